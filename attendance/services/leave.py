"""Leave requests (请假): asking, the approvers' decisions by tier, withdrawing and 销假."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError
from training.archive import ensure_open
from training.models import Course, Enrollment, Session

from .. import rules
from ..models import AttendanceRecord, LeaveDecision, LeaveRequest

# --- What leave does to 结业 --------------------------------------------------------------------------
# The completion rule sits above attendance (it reads attendance), so it is the completion app that
# says what a leave would do to a trainee's completion: it registers its projection here when the
# apps load (completion/apps.py), the way apps register their choices with core.audit. Without it
# (attendance alone) leave has no projection and needs no confirmation.


@dataclass(frozen=True)
class LeaveProjection:
    text: str  # e.g. "批准后请假 3 学时，超过结业规则允许的 2.4 学时，将不能结业。"
    disqualifies: bool  # the leave would turn a trainee who can still complete into one who cannot


_projector: list[Callable[..., LeaveProjection]] = []


def leave_projector_register(projector: Callable[..., LeaveProjection]) -> None:
    """`projector(enrollment=, sessions=, now=)` answers what leave from `sessions` would do."""
    _projector[:] = [projector]


def leave_projection(*, enrollment: Enrollment, sessions: list[Session], now: datetime) -> LeaveProjection | None:
    return _projector[0](enrollment=enrollment, sessions=sessions, now=now) if _projector else None


@transaction.atomic
def leave_request_create(
    *, enrollment: Enrollment, sessions: list[Session], kind: str, reason: str, at: datetime | None = None
) -> LeaveRequest:
    """A trainee asks for leave from sessions of their course. Who must approve follows from the
    class time it covers and the course's limit; asked after a session began, it is marked
    late-filed (补假). A session already under a pending or approved request, or one the trainee
    has checked in to, is refused. (What it
    would do to 结业 is shown to the trainee first, but only an approval commits it.)"""
    ensure_open(enrollment.course)
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not sessions:
        raise DomainError("no_sessions", "请选择要请假的课次。", "sessions")
    if not reason:
        raise DomainError("reason_required", "请填写请假事由。", "reason")
    if kind not in LeaveRequest.Kind.values:
        raise DomainError("bad_kind", "请选择请假类型。", "kind")
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise DomainError("withdrawn", "您已退训，不能请假。")
    if enrollment.course.status != Course.Status.PUBLISHED:
        raise DomainError("course_not_running", "培训班不在进行中，不能请假。")
    if any(s.course_id != enrollment.course_id for s in sessions):
        raise DomainError("other_course", "只能为本班的课次请假。", "sessions")
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()  # one request at a time
    held = LeaveRequest.sessions.through.objects.filter(
        session_id__in=[s.pk for s in sessions],
        leaverequest__enrollment=enrollment,
        leaverequest__status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
    ).values_list("session__title", "session__starts_at", "leaverequest__resumed_at")
    taken = [
        title
        for title, starts_at, resumed_at in sorted(held, key=lambda row: row[1])
        if rules.leave_covers(starts_at=starts_at, resumed_at=resumed_at)  # 销假 frees the rest
    ]
    if taken:
        raise DomainError("overlap", f"“{taken[0]}”已有请假申请，不能重复申请。", "sessions")
    attended = (
        AttendanceRecord.objects.filter(
            enrollment=enrollment, session_id__in=[s.pk for s in sessions], checked_in_at__isnull=False
        )
        .order_by("session__starts_at")
        .values_list("session__title", flat=True)
    )
    if attended:
        raise DomainError("attended", f"“{attended[0]}”您已签到，不能再为它请假。", "sessions")
    course = enrollment.course
    hours = rules.leave_hours([s.credit_hours for s in sessions])
    tiers = rules.leave_tiers(hours, course.leave_advisor_max_hours)
    leave = LeaveRequest.objects.create(
        enrollment=enrollment,
        kind=kind,
        reason=reason[:300],
        hours=hours,
        needs_organizer=rules.ORGANIZER in tiers,
        late_filed=any(s.starts_at <= at for s in sessions),
        requested_at=at,
    )
    leave.sessions.set(sessions)
    audit.record(
        "leave.request",
        course=course,
        by=enrollment.trainee.user,
        who=enrollment.trainee.name,
        obj=leave,
        label=f"{enrollment.trainee.name} · {leave.get_kind_display()} {hours} 学时",
        after={"status": leave.status, "sessions": [s.title for s in sessions], "reason": leave.reason},
        at=at,
    )
    return leave


def _locked_leave(leave: LeaveRequest) -> LeaveRequest:
    """The request, locked, for a decision, a withdrawal or 销假 (refused once the course is archived)."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("enrollment__course", "enrollment__trainee__user")
        .get(pk=leave.pk)
    )
    ensure_open(leave.enrollment.course)
    return leave


@transaction.atomic
def leave_decide(
    *,
    leave: LeaveRequest,
    by,
    role: str,
    approve: bool,
    comment: str = "",
    confirm: bool = False,
    at: datetime | None = None,
) -> LeaveRequest:
    """An approver's decision. The advisor decides first; leave beyond the advisor's limit then
    also needs an organizer, whose decision may also stand in for the advisor's. A rejection needs
    a comment; an approval that would cost the trainee their 结业 needs `confirm`. Locks the
    request, so two approvers cannot both decide one tier. The trainee hears of the final decision
    from the notifications sweep (a decision rolled back is never seen there)."""
    at = at or timezone.now()
    leave = _locked_leave(leave)
    comment = (comment or "").strip()
    if leave.status != LeaveRequest.Status.PENDING:
        raise DomainError("decided", f"这份请假已{leave.get_status_display()}，不能再审批。")
    if not approve and not comment:
        raise DomainError("comment_required", "不批准时请填写意见，学员会看到。", "comment")
    tiers = (rules.ADVISOR, rules.ORGANIZER) if leave.needs_organizer else (rules.ADVISOR,)
    decisions = list(leave.decisions.values_list("role", "approved"))
    next_tier = rules.leave_next_tier(tiers, decisions)
    if role == rules.ADVISOR and next_tier == rules.ORGANIZER:
        raise DomainError("awaiting_organizer", "班主任已同意，还须组织者审批。")
    if approve and not confirm:
        projection = leave_projection(enrollment=leave.enrollment, sessions=list(leave.sessions.all()), now=at)
        if projection and projection.disqualifies:
            raise DomainError("would_disqualify", f"{projection.text}如仍要批准，请勾选确认后再提交。", "confirm")
    LeaveDecision.objects.create(
        leave=leave, role=role, approved=approve, comment=comment[:200], decided_by=by, decided_at=at
    )
    leave.status = rules.leave_outcome(tiers, [*decisions, (role, approve)])
    leave.save(update_fields=["status"])
    audit.record(
        "leave.approve" if approve else "leave.reject",
        course=leave.enrollment.course,
        by=by,
        obj=leave,
        label=f"{leave.enrollment.trainee.name} · {leave.get_kind_display()}",
        before={"status": LeaveRequest.Status.PENDING},
        after={"status": leave.status, "role": role, "comment": comment[:200]},
        at=at,
    )
    return leave


@transaction.atomic
def leave_withdraw(*, leave: LeaveRequest) -> LeaveRequest:
    """The trainee takes back a request nobody has decided yet."""
    leave = _locked_leave(leave)
    if leave.status != LeaveRequest.Status.PENDING:
        raise DomainError("decided", f"这份请假已{leave.get_status_display()}，不能撤回。")
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.save(update_fields=["status"])
    _audit_own(leave, "leave.withdraw", before={"status": LeaveRequest.Status.PENDING}, after={"status": leave.status})
    return leave


@transaction.atomic
def leave_resume(*, leave: LeaveRequest, at: datetime | None = None) -> LeaveRequest:
    """销假: the trainee is back early; sessions of the leave that start from now on are no longer
    covered. Refused when nothing is left to cancel."""
    at = at or timezone.now()
    leave = _locked_leave(leave)
    if leave.status != LeaveRequest.Status.APPROVED or leave.resumed_at is not None:
        raise DomainError("not_approved", "只有已批准、尚未销假的请假可以销假。")
    if not leave.sessions.filter(starts_at__gt=at).exists():
        raise DomainError("nothing_left", "这份请假的课次都已开始，无需销假。")
    leave.resumed_at = at
    leave.save(update_fields=["resumed_at"])
    _audit_own(leave, "leave.resume", before={"resumed_at": None}, after={"resumed_at": at}, at=at)
    return leave


def _audit_own(leave: LeaveRequest, action: str, **fields) -> None:
    """An entry for what the trainee did to their own request."""
    trainee = leave.enrollment.trainee
    audit.record(
        action,
        course=leave.enrollment.course,
        by=trainee.user,
        who=trainee.name,
        obj=leave,
        label=trainee.name,
        **fields,
    )
