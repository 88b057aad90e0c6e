"""Pure decisions of 报名 by unit: whether a unit's link may still change its list, how many
places are left, and the organizer's progress counts. Plain values in and out."""

from dataclasses import dataclass
from datetime import datetime

from core.errors import DomainError

REVOKED = "此链接已被收回，请联系培训班组织者。"
CLOSED = "报名已截止。如需调整，请联系培训班组织者。"
LOCKED = "名单已锁定，不能再修改。如需调整，请联系培训班组织者。"


def unit_may_change(*, now: datetime, deadline: datetime | None, locked_at: datetime | None) -> DomainError | None:
    """Why a unit's link may no longer add, edit or substitute (None while it may): the list is
    locked, or the deadline has passed (at the deadline itself the list is closed)."""
    if locked_at is not None:
        return DomainError("locked", LOCKED)
    if deadline is not None and now >= deadline:
        return DomainError("closed", CLOSED)
    return None


def places_left(*, places: int, extra: int, taken: int) -> int:
    return max(0, places + extra - taken)


def quota_problem(*, places: int, extra: int, taken: int) -> str | None:
    """The 名额分配表's rule: a unit's places (with the extra allowed) never fall below the people
    it has already put forward."""
    if places + extra < taken:
        return f"该单位已报 {taken} 人，名额（含追加）不能少于 {taken}"
    return None


@dataclass(frozen=True)
class UnitProgress:
    """One unit's row on 报名进度."""

    quota_pk: int
    unit: str
    contact: str
    phone: str
    places: int
    extra: int
    submitted: int  # people holding a place (pending, returned, approved)
    approved: int
    pending: int
    returned: int

    @property
    def total(self) -> int:
        return self.places + self.extra

    @property
    def answered(self) -> bool:
        return self.submitted > 0

    @property
    def full(self) -> bool:
        return self.submitted >= self.total


def progress_totals(rows: list[UnitProgress]) -> dict[str, int]:
    return {
        "units": len(rows),
        "answered": sum(1 for r in rows if r.answered),
        "places": sum(r.total for r in rows),
        "submitted": sum(r.submitted for r in rows),
        "approved": sum(r.approved for r in rows),
        "pending": sum(r.pending for r in rows),
        "returned": sum(r.returned for r in rows),
    }
