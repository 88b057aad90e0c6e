"""Pure decisions of 报名 by unit: whether a unit's link may still change its list, how many
places are left, and the organizer's progress counts; the 培训通知's template text, its 发文字号
and its parts, and the 回执's columns. Plain values in and out."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core import formats
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


def after_withdrawal(closed: DomainError | None) -> str:
    """What the organizer is told after 撤销, given why units may no longer change their lists
    (`unit_may_change`): while its link is open the unit fills the place itself; otherwise staff
    add the person on the roster."""
    if closed is None:
        return "单位可以在报名链接上另报一人。"
    return f"{'名单已锁定' if closed.code == 'locked' else '报名已截止'}，如需补人，可在花名册中直接添加。"


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


# --- The 培训通知 and its 报名回执 ----------------------------------------------------------------------

# The 回执's columns, in the roster importer's own words (training.roster.LABELS), so that a unit's
# filled-in 回执 is read back by the roster import unchanged. 饮食 and 住宿 are not in it: the
# roster has no place for them (a unit gives them on its link).
RECEIPT_FIELDS = ("name", "gender", "ethnicity", "political_status", "work_unit", "position", "phone", "id_number")

_DOC_NUMBER = re.compile(r"^([\u3400-\u9fffA-Za-z0-9]{1,12})〔(\d{4})〕第?0*([1-9]\d{0,4})号$")
_YEAR_BRACKETS = re.compile(r"[\[(（【﹝〔]\s*(\d{4})\s*[\])）】﹞〕]")
DOC_NUMBER_HELP = "应写作“机关代字〔年份〕序号号”，如 县工发〔2026〕3号：年份写全，序号不加“第”、不编虚位"


def doc_number_clean(text: str) -> str:
    """A 发文字号 as GB/T 9704 writes it: 县工发〔2026〕3号. Other brackets around the year become
    六角括号, and a 第 or leading zeros before the number go; anything else is a ValueError."""
    text = re.sub(r"\s+", "", text or "")
    text = _YEAR_BRACKETS.sub(r"〔\1〕", text)
    match = _DOC_NUMBER.match(text)
    if not match:
        raise ValueError(DOC_NUMBER_HELP)
    return f"{match[1]}〔{match[2]}〕{match[3]}号"


def notice_defaults(
    *,
    course_name: str,
    organization: str,
    short_name: str,
    venue: str,
    start: date,
    end: date,
    deadline: datetime | None,
    first_session: datetime | None,
    topics: list[str],
    places: int,
    today: date,
) -> dict[str, str | date]:
    """The 培训通知 as the template writes it from the course's facts (local dates and times), for
    the organizer to rewrite: every text a Notice holds."""
    region = short_name[:1] if short_name[:1] in "省市区州县" else "县"
    issuer = short_name or organization
    place = venue or "另行通知"
    seats = f"共{places}人，" if places else ""
    # half an hour before the first session, to find the room and the seat
    doors = first_session - timedelta(minutes=30) if first_session else None
    arrive = (
        f"{formats.document_date(doors.date())}{formats.day_part(doors)}{formats.clock_words(doors)}前"
        if doors
        else f"{formats.document_date(start)}上午8:00前"
    )
    by = f"于{formats.document_date(deadline.date())}{formats.clock_words(deadline)}前" if deadline else "按时"
    return {
        "doc_number": formats.document_number(f"{region}工发", year=today.year, number=1),
        "title": f"关于举办{course_name}的通知",
        "recipients": "各乡镇（街道）总工会，县直各单位工会：",
        "purpose": (
            "为深入学习贯彻习近平总书记关于工人阶级和工会工作的重要论述，进一步提高基层工会干部的政治素质和履职能力，"
            f"经研究，决定举办{course_name}。现将有关事项通知如下："
        ),
        "when_where": f"{formats.document_date_range(start, end)}，共{(end - start).days + 1}天。地点：{place}。",
        "audience": f"各基层工会主席、副主席及工会专（兼）职干部，{seats}名额分配见附件1。",
        "content": f"主要安排{'、'.join(topics)}等专题，并安排分组讨论和结业考核。" if topics else "",
        "arrival": f"{arrive}到{place}报到。",
        "bring": (
            "1.参训学员请携带本人身份证、笔记本和笔；需要住宿的在报名时注明，由主办单位统一安排。\n"
            "2.培训期间严格遵守学习纪律，不迟到早退，上课期间自觉关闭手机，一般不得请假。"
        ),
        "how_to_register": (
            f"请各单位按附件1分配的名额确定参训人员，{by}通过{issuer}发送的本单位报名链接填报，"
            f"或填写报名回执（附件2，Excel表格可向{issuer}索取）报送{issuer}。逾期未报视为放弃名额。"
        ),
        "contacts": f"{organization}　联系人：　　　联系电话：",
        "signed_on": today,
    }


NOTICE_SECTIONS = (
    ("when_where", "培训时间和地点"),
    ("audience", "培训对象"),
    ("content", "培训内容"),
    ("arrival", "报到时间和地点"),
    ("how_to_register", "报名办法"),
    ("bring", "有关要求"),
    ("contacts", "联系人"),
)


def notice_sections(texts: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The body's parts in order, each headed 一、二、… (an empty part is left out, and the
    numbering closes up), with its text as paragraphs (one per line)."""
    parts = [(label, texts.get(name, "")) for name, label in NOTICE_SECTIONS]
    parts = [(label, paragraphs(text)) for label, text in parts if text.strip()]
    return [(f"{formats.chinese_number(i)}、{label}", lines) for i, (label, lines) in enumerate(parts, start=1)]


def paragraphs(text: str) -> list[str]:
    """One paragraph per typed line, without the spaces people indent with, nor empty lines."""
    return [line.strip(" \t\u3000") for line in (text or "").splitlines() if line.strip(" \t\u3000")]
