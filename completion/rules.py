"""结业 decisions and certificate layout, as pure functions of plain values."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from assessment.rules import Assessment
from core.formats import hours as _hours

# --- Completion (结业) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRules:
    """A course's rules for completion. None means no limit."""

    min_hours_percent: int = 90
    max_absences: int | None = None
    max_leave_percent: Decimal | None = None
    max_discipline_points: int | None = None


@dataclass(frozen=True)
class Completion:
    eligible: bool
    reasons: tuple[str, ...]  # why not (empty when eligible)
    still_possible: bool  # whether the sessions still ahead can make it eligible
    lasting: tuple[str, ...] = ()  # the reasons attending the rest cannot mend (what matters mid-course)


def rules_of(course) -> CompletionRules:
    """A course's completion settings as the rule reads them."""
    return CompletionRules(
        min_hours_percent=course.min_attendance_percent,
        max_absences=course.max_absences,
        max_leave_percent=course.max_leave_percent,
        max_discipline_points=course.max_discipline_points,
    )


def completion(
    *,
    rules: CompletionRules,
    total_hours: Decimal,
    attended_hours: Decimal,
    absences: int,
    leave_hours: Decimal,
    discipline_points: int,
    missed_required: tuple[str, ...] = (),
    remaining_hours: Decimal = Decimal("0"),
    remaining_required: tuple[str, ...] = (),
    assessment: Assessment | None = None,
) -> Completion:
    """结业 or not, with every reason, from plain figures: hours attended against the minimum share,
    unexcused absences (缺勤), the share of hours on leave, discipline points, and required sessions
    (考试, 结业式) missed. While the course runs, `remaining_*` say what can still be attended, and
    `still_possible` whether attending all of it could still make the trainee eligible (absences,
    leave and points already counted cannot be undone). With an `assessment` (the course is
    assessed, `assessment.rules.assess`), 考核合格 is one more condition: its reasons join the others;
    items not graded yet leave completion possible, a failed item or total does not."""
    required_hours = total_hours * rules.min_hours_percent / 100
    reasons, lasting = [], []  # lasting: already broken, attending the rest cannot mend it
    if attended_hours < required_hours:
        reasons.append(
            f"到课学时 {_hours(attended_hours)}，不足总学时 {_hours(total_hours)} 的 {rules.min_hours_percent}%"
            f"（{_hours(required_hours.quantize(Decimal('0.1')))}）"
        )
        if attended_hours + remaining_hours < required_hours:
            lasting.append(reasons[-1])
    if rules.max_absences is not None and absences > rules.max_absences:
        lasting.append(f"缺勤 {absences} 次，超过 {rules.max_absences} 次")
        reasons.append(lasting[-1])
    leave_percent = leave_hours * 100 / total_hours if total_hours else Decimal("0")
    if rules.max_leave_percent is not None and leave_percent > rules.max_leave_percent:
        lasting.append(f"请假 {_hours(leave_hours)} 学时，超过总学时的 {rules.max_leave_percent}%")
        reasons.append(lasting[-1])
    if rules.max_discipline_points is not None and discipline_points > rules.max_discipline_points:
        lasting.append(f"违纪扣分 {discipline_points} 分，超过 {rules.max_discipline_points} 分")
        reasons.append(lasting[-1])
    for title in missed_required:
        lasting.append(f"未参加必修课次“{title}”")
        reasons.append(lasting[-1])
    for title in remaining_required:
        reasons.append(f"必修课次“{title}”尚未进行")
    if assessment is not None and not assessment.passed:
        reasons.extend(assessment.reasons)
        lasting.extend(assessment.lasting)
    return Completion(not reasons, tuple(reasons), not lasting, tuple(lasting))


def leave_allowance(*, rules: CompletionRules, total_hours: Decimal, lost_hours: Decimal) -> Decimal:
    """The most 学时 a trainee may spend on leave and still complete: what the minimum attendance
    share leaves over after `lost_hours` missed otherwise (absent, late, early), and no more than
    the leave share allows. Rounded down to one decimal, never below 0."""
    spare = total_hours * (100 - rules.min_hours_percent) / 100 - lost_hours
    if rules.max_leave_percent is not None:
        spare = min(spare, total_hours * rules.max_leave_percent / 100)
    return max(Decimal("0"), spare).quantize(Decimal("0.1"), rounding="ROUND_DOWN")


def leave_projection_text(
    *, asked: bool, leave_hours: Decimal, allowance: Decimal, before: Completion, after: Completion
) -> tuple[str, bool]:
    """What leave does to 结业, in a sentence, and whether it takes away a completion still possible.
    `asked` is False for the trainee's budget before choosing any session."""
    if not before.still_possible:
        return f"该学员已不能结业（{before.lasting[0]}），这份请假不改变结业结果。", False
    if not asked:
        return (
            f"按结业规则，您共可请假 {_hours(allowance)} 学时（已请 {_hours(leave_hours)} 学时）；超过将不能结业。",
            False,
        )
    if not after.still_possible:
        if leave_hours > allowance:
            return (
                f"批准后请假 {_hours(leave_hours)} 学时，超过结业规则允许的 {_hours(allowance)} 学时，将不能结业。",
                True,
            )
        return f"批准后将不能结业：{'；'.join(after.lasting)}。", True
    return f"批准后请假 {_hours(leave_hours)} 学时，未超过结业规则允许的 {_hours(allowance)} 学时，仍可结业。", False


# --- 结业鉴定 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppraisalFacts:
    """What the first draft of a trainee's 结业鉴定 is written from."""

    total_hours: Decimal
    hours: Decimal
    lates: int
    earlies: int
    absences: int
    leave_hours: Decimal
    points: int
    eligible: bool
    reasons: tuple[str, ...] = ()
    assessment: str = ""  # the assessment in words, e.g. "考核总评 86.5 分，考核合格"


def appraisal_draft(facts: AppraisalFacts) -> str:
    """The first draft of the advisor's appraisal, from the facts only: attendance, leave,
    discipline, the assessment and the result. The advisor adds what only they saw."""
    lapses = [
        f"{label} {count} 次"
        for label, count in (("迟到", facts.lates), ("早退", facts.earlies), ("缺勤", facts.absences))
        if count
    ]
    if facts.leave_hours:
        lapses.append(f"请假 {_hours(facts.leave_hours)} 学时")
    if facts.points:
        conduct = f"培训期间有违反学员守则的情况（违纪扣 {facts.points} 分），"
    else:
        conduct = "能够自觉遵守学员守则和培训纪律，"
    attendance = f"应修 {_hours(facts.total_hours)} 学时，实修 {_hours(facts.hours)} 学时，"
    attendance += "、".join(lapses) + "。" if lapses else "全勤，无迟到、早退、缺勤和请假。"
    if not lapses and not facts.points:
        attitude = "该同志学习态度端正，认真听讲，积极参加讨论交流，"
    else:
        attitude = "该同志参加了本期培训，"
    assessment = f"{facts.assessment}。" if facts.assessment else ""
    result = "达到结业要求，准予结业。" if facts.eligible else f"未达到结业要求（{'；'.join(facts.reasons)}）。"
    return f"{attitude}{conduct}{attendance}{assessment}{result}"


# --- Certificates ------------------------------------------------------------------------------------


def certificate_number(pattern: str, *, year: int, seq: int) -> str:
    """The number printed on a certificate from the course's pattern, e.g. 〔{year}〕县工培字第{seq:03d}号.
    Raises ValueError naming what is wrong with a pattern."""
    try:
        return pattern.format(year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"证书编号格式有误（{exc}）：只能使用 {{year}} 和 {{seq}}，如 〔{{year}}〕县工培字第{{seq:03d}}号"
        ) from None


PT_MM = 25.4 / 72
CERTIFICATE_NAME_SCALE = 1.4  # the name is set larger, in kaishu
CERTIFICATE_LINE_HEIGHT = 2.0
CERTIFICATE_SIZES = (20, 19, 18, 17, 16, 15, 14, 13, 12, 11)


def certificate_body(*, name: str, dates: str, organization: str, course: str, hours: str) -> list[tuple[str, str]]:
    """The wording of a 结业证书 as (kind, text) parts: 'name', 'nowrap' (a date or a figure that must
    not break across lines), 'text', and 'closing' (特发此证, on a line of its own)."""
    return [
        ("name", name),
        ("text", "同志于"),
        ("nowrap", dates),
        ("text", f"参加{organization}举办的{course}，完成规定的"),
        ("nowrap", f"{hours}学时"),
        ("text", "培训，经考核合格，准予结业。"),
        ("closing", "特发此证。"),
    ]


def certificate_text_size(parts: list[tuple[str, str]], *, width_mm: float, height_mm: float) -> int:
    """The largest type size (pt) at which the wording surely fits its box, estimated as the worst
    case: every character a full em (the name larger), two characters of indent, the longest
    unbreakable part pushed whole to the next line, and the closing on a line of its own. WeasyPrint
    cannot shrink text to fit, so the size is chosen before layout."""
    flowing = [(kind, text) for kind, text in parts if kind != "closing"]
    units = 2 + sum(len(text) * (CERTIFICATE_NAME_SCALE if kind == "name" else 1) for kind, text in flowing) + 1
    waste = max((len(text) * (CERTIFICATE_NAME_SCALE if kind == "name" else 1) for kind, text in flowing), default=0)
    for size in CERTIFICATE_SIZES:
        em = size * PT_MM
        per_line = int(width_mm / em)
        lines = math.ceil((units + waste) / per_line) + sum(1 for kind, _ in parts if kind == "closing")
        if lines * CERTIFICATE_LINE_HEIGHT * em <= height_mm:
            return size
    return CERTIFICATE_SIZES[-1]


def mask_name(name: str) -> str:
    """张*强 for the public: the first and last character of a name of three or more, 张* for two."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def job_stalled(*, updated_at: datetime, now: datetime, minutes: int) -> bool:
    """Whether a background job that reports progress has not moved for `minutes` (its worker
    died or was restarted), so a new job may take over."""
    return now - updated_at > timedelta(minutes=minutes)
