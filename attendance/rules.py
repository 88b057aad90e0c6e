"""Pure decisions of attendance: the status of one trainee in one session, the check-in and
check-out windows, the rotating QR's time windows, allowed networks, leave approval tiers,
attendance rates and the default words of the discipline bulletin. Plain values in, plain values
out: the grid, the roll call, the bulletin, the trainee's phone and (later) the reports and
reminders all ask these functions and agree.
"""

import ipaddress
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.formats import date_range_words
from training.rules import parse_networks

# The classroom QR changes every WINDOW_SECONDS; a code from the previous window is still accepted
# for GRACE_SECONDS after it changed, so a trainee who scanned just before the change is not refused.
WINDOW_SECONDS = 20
GRACE_SECONDS = 10
# A trainee who scanned a valid code and must log in first (or hesitates before tapping) gets a
# signed ticket for the same session and mode, valid this long.
TICKET_SECONDS = 120
# Check-out opens this long before the end of a session and stays open this long after it.
CHECKOUT_OPENS_MINUTES = 15
CHECKOUT_CLOSES_MINUTES = 30

PRESENT, LATE, EARLY, ABSENT, LEAVE, PENDING = "present", "late", "early", "absent", "leave", "pending"


@dataclass(frozen=True)
class Status:
    """One trainee in one session. `late_minutes`/`early_minutes` are 0 when on time; an
    `early_minutes` of None means the trainee never checked out of a session that requires it."""

    code: str
    late_minutes: int = 0
    early_minutes: int | None = 0

    @property
    def attended(self) -> bool:
        return self.code in (PRESENT, LATE, EARLY)

    @property
    def is_late(self) -> bool:
        return self.late_minutes > 0

    @property
    def is_early(self) -> bool:
        return self.early_minutes is None or self.early_minutes > 0

    @property
    def has_minutes(self) -> bool:
        """Whether the label says more than the symbol (minutes late or early, 未签退)."""
        return self.is_late or self.is_early

    @property
    def label(self) -> str:
        if self.code == ABSENT:
            return "缺勤"
        if self.code == LEAVE:
            return "请假"
        if self.code == PENDING:
            return "待签到"
        parts = []
        if self.is_late:
            parts.append(f"迟到 {self.late_minutes} 分钟")
        if self.early_minutes is None:
            parts.append("未签退")
        elif self.early_minutes:
            parts.append(f"早退 {self.early_minutes} 分钟")
        return "，".join(parts) or "出勤"

    @property
    def symbol(self) -> str:
        """One full-width character for the grid and the printed sheets (the ticks and crosses of a
        paper register, each one em wide in CJK fonts so a printed row of them lines up)."""
        return {PRESENT: "√", LATE: "迟", EARLY: "退", ABSENT: "×", LEAVE: "假", PENDING: "・"}[self.code]


def _minutes(delta: timedelta) -> int:
    return max(0, math.floor(delta.total_seconds() / 60))


def status_of(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    checked_in_at: datetime | None,
    checked_out_at: datetime | None = None,
    on_leave: bool = False,
    grace_minutes: int = 5,
    requires_checkout: bool = False,
) -> Status:
    """The one place where 出勤 / 迟到 / 早退 / 缺勤 / 请假 / 待签到 is decided.

    - A check-in counts over leave: a trainee on leave who came anyway attended.
    - 迟到: checked in later than start + grace; the minutes are counted from the start.
    - 早退: checked out earlier than end − grace (minutes counted to the end), or, for a session that
      requires check-out, no check-out once the check-out window has closed (未签退).
    - 请假: approved leave covers the session and the trainee did not check in.
    - 缺勤 (旷课): no check-in and no leave once the session has ended; before that, 待签到.
    """
    grace = timedelta(minutes=grace_minutes)
    if checked_in_at is None:
        if on_leave:
            return Status(LEAVE)
        return Status(ABSENT) if now >= ends_at else Status(PENDING)
    late = _minutes(checked_in_at - starts_at) if checked_in_at > starts_at + grace else 0
    early: int | None = 0
    if checked_out_at is not None:
        early = _minutes(ends_at - checked_out_at) if checked_out_at < ends_at - grace else 0
    elif requires_checkout and now >= ends_at + timedelta(minutes=CHECKOUT_CLOSES_MINUTES):
        early = None
    if late:
        return Status(LATE, late, early)
    if early is None or early:
        return Status(EARLY, 0, early)
    return Status(PRESENT)


def hours_earned(status: Status, credit_hours: Decimal, *, ended: bool) -> Decimal:
    """学时: a session's hours count for a trainee who attended it (late or early included, which
    the bulletin reports separately) once it has ended — every page counts a running session the
    same, as nothing yet; leave and absence earn none."""
    return credit_hours if status.attended and ended else Decimal("0")


def rate(attended: int, expected: int) -> float | None:
    """到课率 in per cent with one decimal, None when nothing was expected yet."""
    return round(attended * 100 / expected, 1) if expected else None


# --- Windows ---------------------------------------------------------------------------------------


def checkin_window(starts_at: datetime, ends_at: datetime, opens_minutes: int) -> tuple[datetime, datetime]:
    """Scanning in is possible from `opens_minutes` before the start until the end."""
    return starts_at - timedelta(minutes=opens_minutes), ends_at


def checkout_window(ends_at: datetime) -> tuple[datetime, datetime]:
    return ends_at - timedelta(minutes=CHECKOUT_OPENS_MINUTES), ends_at + timedelta(minutes=CHECKOUT_CLOSES_MINUTES)


def window_problem(mode: str, *, now: datetime, starts_at, ends_at, opens_minutes, requires_checkout) -> str:
    """'' when a scan in `mode` ('in' or 'out') is possible now, else the refusal code."""
    if mode == "out":
        if not requires_checkout:
            return "no_checkout"
        opens, closes = checkout_window(ends_at)
    else:
        opens, closes = checkin_window(starts_at, ends_at, opens_minutes)
    if now < opens:
        return "not_open"
    if now >= closes:
        return "closed"
    return ""


def screen_mode(*, now: datetime, starts_at, ends_at, opens_minutes, requires_checkout) -> str:
    """What the classroom screen shows now: 'before', 'in', 'out' or 'closed'."""
    if requires_checkout and not window_problem(
        "out", now=now, starts_at=starts_at, ends_at=ends_at, opens_minutes=opens_minutes, requires_checkout=True
    ):
        return "out"
    problem = window_problem(
        "in", now=now, starts_at=starts_at, ends_at=ends_at, opens_minutes=opens_minutes, requires_checkout=False
    )
    return {"": "in", "not_open": "before", "closed": "closed"}[problem]


def qr_window(now: datetime) -> int:
    """The index of the QR time window that `now` falls in."""
    return math.floor(now.timestamp() / WINDOW_SECONDS)


def qr_window_problem(window: int, now: datetime) -> str:
    """'' when a QR code of `window` is accepted at `now`: the current window, or the previous one
    during the first GRACE_SECONDS of the current one. Otherwise 'expired' (or 'future')."""
    current = qr_window(now)
    if window == current:
        return ""
    if window == current - 1 and now.timestamp() - current * WINDOW_SECONDS < GRACE_SECONDS:
        return ""
    return "future" if window > current else "expired"


def ticket_problem(issued: int, now: datetime) -> str:
    """'' when a ticket issued at the epoch second `issued` is still good at `now`."""
    age = now.timestamp() - issued
    if age < -GRACE_SECONDS:
        return "future"
    return "" if age <= TICKET_SECONDS else "expired"


def qr_seconds_left(now: datetime) -> int:
    return WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS


def network_allowed(ip: str, networks_text: str) -> bool:
    """True when the course allows every network, or the address lies in one it allows."""
    networks = parse_networks(networks_text)
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in networks)


# --- Leave -------------------------------------------------------------------------------------------

ADVISOR, ORGANIZER = "advisor", "organizer"


def leave_hours(credit_hours: list[Decimal]) -> Decimal:
    """The 学时 a leave request covers: the sessions' 学时, as completion counts leave (not their
    clock time, which differs: a 2-hour lecture may count 3 学时)."""
    return sum(credit_hours, Decimal("0")).quantize(Decimal("0.1"))


def leave_tiers(hours: Decimal, advisor_max_hours: Decimal) -> tuple[str, ...]:
    """Who must approve: the advisor up to the course's limit (half a day by default), the advisor
    and then an organizer beyond it."""
    return (ADVISOR,) if hours <= advisor_max_hours else (ADVISOR, ORGANIZER)


def leave_outcome(tiers: tuple[str, ...], decisions: list[tuple[str, bool]]) -> str:
    """'pending', 'approved' or 'rejected' from the decisions so far, each (role, approved).
    One rejection ends it; an organizer's approval also stands for the advisor's."""
    if any(not approved for _, approved in decisions):
        return "rejected"
    approved_roles = {role for role, approved in decisions if approved}
    if ORGANIZER in approved_roles:
        approved_roles.add(ADVISOR)
    return "approved" if set(tiers) <= approved_roles else "pending"


def leave_next_tier(tiers: tuple[str, ...], decisions: list[tuple[str, bool]]) -> str | None:
    approved_roles = {role for role, approved in decisions if approved}
    if ORGANIZER in approved_roles:
        return None
    for tier in tiers:
        if tier not in approved_roles:
            return tier
    return None


def leave_covers(*, starts_at: datetime, resumed_at: datetime | None) -> bool:
    """Approved leave covers a session of the request unless the trainee came back (销假) before
    the session started."""
    return resumed_at is None or starts_at < resumed_at


# --- Completion at risk ---------------------------------------------------------------------------------

AT_RISK_LOST, AT_RISK_CLOSE = "lost", "close"


def completion_risk(*, total: Decimal, attended: Decimal, remaining: Decimal, next_hours: Decimal, percent: int):
    """Whether a trainee can still reach the course's minimum share of credit hours: 'lost' when
    even attending everything left is not enough, 'close' when missing the next session would make
    it so, else None. The at-risk warnings ask completion.rules.completion for 'lost' (every rule,
    not only hours) and this for 'close'."""
    if total <= 0:
        return None
    required = total * Decimal(percent) / 100
    if attended + remaining < required:
        return AT_RISK_LOST
    if remaining and attended + remaining - next_hours < required:
        return AT_RISK_CLOSE
    return None


# --- The bulletin's words (公文) --------------------------------------------------------------------------

BULLETIN_RECIPIENTS = "各学员所在单位工会："
BULLETIN_CLOSING_WARNING = (
    "希望受到通报的学员引以为戒，全体学员珍惜学习机会，严格遵守培训纪律，按时上课，上课期间自觉关闭手机，"
    "不迟到、不早退、不随意出入教室，确保培训取得实效。特此通报。"
)
BULLETIN_CLOSING_PRAISE = (
    "全体学员自觉遵守培训纪律，学风良好。希望大家继续保持，珍惜学习机会，确保培训取得实效。特此通报。"
)


@dataclass(frozen=True)
class BulletinWording:
    title: str
    recipients: str
    opening: str
    closing: str


def bulletin_wording(*, course_name: str, day: date | None, course_start: date, course_end: date, data: dict):
    """The words a bulletin is published with unless the advisor rewrites them: the title
    (关于……4月14日纪律情况的通报), the 主送, an opening ending 现将……通报如下： and a closing ending
    特此通报。 that warns when anyone was late, left early, was absent or broke discipline and
    praises the class otherwise. `data` is what attendance.selectors.bulletin_data returns."""
    if day is None:
        scope, title_scope = f"培训期间（{date_range_words(course_start, course_end)}）", ""
    else:
        scope = title_scope = f"{day.month}月{day.day}日"
    issues = any(data.get(key) for key in ("late", "early", "absent", "discipline"))
    return BulletinWording(
        title=f"关于{course_name}{title_scope}纪律情况的通报",
        recipients=BULLETIN_RECIPIENTS,
        opening=f"为严肃培训纪律，保证培训质量，现将{course_name}{scope}学员出勤和课堂纪律情况通报如下：",
        closing=BULLETIN_CLOSING_WARNING if issues else BULLETIN_CLOSING_PRAISE,
    )


def recipients_line(text: str) -> str:
    """主送 ends with exactly one full-width colon: 各学员所在单位工会： whatever was typed."""
    return text.strip().rstrip(":：").rstrip() + "："


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a typed text: one per line, without the spaces (ASCII or full-width) people
    indent with, and without empty lines; the page and the PDF indent each by two characters."""
    return [line.strip(" \t\u3000") for line in text.splitlines() if line.strip(" \t\u3000")]


# Where a long title may be split without cutting a word: at the end of a course's name or before
# the 纪律情况 tail first; failing that, after a year, a season or a county.
_TITLE_BREAKS_FIRST = re.compile(r"(?<=班)|(?=纪律情况)")
_TITLE_BREAKS_THEN = re.compile(r"(?<=年)(?!\d)|(?<=季)|(?<=县)|(?<=市)")


def _text_width(text: str) -> float:
    """In full-width characters: ASCII letters and digits count half."""
    return sum(0.5 if ord(char) < 128 else 1 for char in text)


def title_lines(title: str, *, per_line: float) -> list[str]:
    """A 公文 title split by meaning (GB/T 9704: 回行时词意完整): one line when it fits; else two
    lines broken where a word ends (the end of the course's name, before 纪律情况; else after a
    year, season or county), the most even such pair that fits; else the title as one string, for
    the renderer to wrap."""
    if _text_width(title) <= per_line:
        return [title]
    for breaks in (_TITLE_BREAKS_FIRST, _TITLE_BREAKS_THEN):
        pairs = [(title[: m.start()], title[m.start() :]) for m in breaks.finditer(title) if 0 < m.start() < len(title)]
        fitting = [pair for pair in pairs if max(_text_width(pair[0]), _text_width(pair[1])) <= per_line]
        if fitting:
            return list(min(fitting, key=lambda pair: abs(_text_width(pair[0]) - _text_width(pair[1]))))
    return [title]
