"""The pure decisions of attendance, without a database."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from attendance import rules
from attendance.rules import ABSENT, EARLY, LATE, LEAVE, PENDING, PRESENT

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 8, 30, tzinfo=TZ)
END = datetime(2026, 11, 20, 10, 30, tzinfo=TZ)
AFTER = END + timedelta(hours=2)


def status(checked_in=None, checked_out=None, *, now=AFTER, on_leave=False, grace=5, requires_checkout=False):
    return rules.status_of(
        starts_at=START,
        ends_at=END,
        now=now,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        on_leave=on_leave,
        grace_minutes=grace,
        requires_checkout=requires_checkout,
    )


def at(clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return START.replace(hour=hour, minute=minute)


def test_on_time_and_within_grace_is_present():
    assert status(at("08:10")) == rules.Status(PRESENT)
    assert status(at("08:35")).code == PRESENT
    assert status(at("08:35")).label == "出勤"


def test_after_the_grace_is_late_counted_from_the_start():
    result = status(at("08:42"))
    assert (result.code, result.late_minutes, result.label) == (LATE, 12, "迟到 12 分钟")
    assert result.attended


def test_grace_is_a_course_setting():
    assert status(at("08:42"), grace=15).code == PRESENT
    assert status(at("08:31"), grace=0).code == LATE


def test_checking_out_before_end_minus_grace_is_early_leave():
    result = status(at("08:20"), at("10:05"))
    assert (result.code, result.early_minutes, result.label) == (EARLY, 25, "早退 25 分钟")
    assert status(at("08:20"), at("10:26")).code == PRESENT


def test_late_and_early_are_both_reported():
    result = status(at("08:50"), at("10:00"))
    assert (result.code, result.late_minutes, result.early_minutes) == (LATE, 20, 30)
    assert result.label == "迟到 20 分钟，早退 30 分钟"
    assert result.is_early


def test_a_missing_check_out_counts_only_once_the_check_out_window_closed():
    during = END + timedelta(minutes=rules.CHECKOUT_CLOSES_MINUTES - 1)
    assert status(at("08:20"), now=during, requires_checkout=True).code == PRESENT
    result = status(at("08:20"), requires_checkout=True)
    assert (result.code, result.early_minutes, result.label) == (EARLY, None, "未签退")
    assert status(at("08:20")).code == PRESENT  # check-out not required


def test_no_check_in_is_pending_until_the_end_then_absent():
    assert status(now=START + timedelta(minutes=30)).code == PENDING
    assert status(now=END).code == ABSENT
    assert not status(now=END).attended


def test_approved_leave_covers_but_a_check_in_counts_over_it():
    assert status(on_leave=True).code == LEAVE
    assert status(on_leave=True, now=START).code == LEAVE
    assert status(at("08:20"), on_leave=True).code == PRESENT


@pytest.mark.parametrize(
    ("code", "hours"), [(PRESENT, "2"), (LATE, "2"), (EARLY, "2"), (ABSENT, "0"), (LEAVE, "0"), (PENDING, "0")]
)
def test_hours_are_earned_by_attending(code, hours):
    status = rules.Status(code, 1 if code == LATE else 0)
    assert rules.hours_earned(status, Decimal("2"), ended=True) == Decimal(hours)
    assert rules.hours_earned(status, Decimal("2"), ended=False) == 0  # a running session: not yet


def test_the_attendance_rate_has_one_decimal_and_none_when_nothing_was_expected():
    assert rules.rate(189, 192) == 98.4
    assert rules.rate(0, 0) is None


def test_check_in_window_opens_before_the_start_and_closes_at_the_end():
    def problem(now, mode="in", requires_checkout=True):
        return rules.window_problem(
            mode, now=now, starts_at=START, ends_at=END, opens_minutes=30, requires_checkout=requires_checkout
        )

    assert problem(START - timedelta(minutes=31)) == "not_open"
    assert problem(START - timedelta(minutes=30)) == ""
    assert problem(END - timedelta(seconds=1)) == ""
    assert problem(END) == "closed"
    assert problem(END - timedelta(minutes=16), "out") == "not_open"
    assert problem(END - timedelta(minutes=15), "out") == ""
    assert problem(END + timedelta(minutes=29), "out") == ""
    assert problem(END + timedelta(minutes=30), "out") == "closed"
    assert problem(END, "out", requires_checkout=False) == "no_checkout"


def test_screen_mode_follows_the_windows():
    def mode(now, requires_checkout=True):
        return rules.screen_mode(
            now=now, starts_at=START, ends_at=END, opens_minutes=30, requires_checkout=requires_checkout
        )

    assert mode(START - timedelta(hours=1)) == "before"
    assert mode(START) == "in"
    assert mode(END - timedelta(minutes=10)) == "out"
    assert mode(END - timedelta(minutes=10), requires_checkout=False) == "in"
    assert mode(END + timedelta(hours=1)) == "closed"


def test_qr_windows_accept_the_current_and_briefly_the_previous_one():
    base = datetime.fromtimestamp(rules.qr_window(START) * rules.WINDOW_SECONDS, tz=TZ)  # a window's first second
    window = rules.qr_window(base)
    assert rules.qr_window_problem(window, base) == ""
    assert rules.qr_window_problem(window, base + timedelta(seconds=rules.WINDOW_SECONDS - 1)) == ""
    next_start = base + timedelta(seconds=rules.WINDOW_SECONDS)
    assert rules.qr_window_problem(window, next_start + timedelta(seconds=rules.GRACE_SECONDS - 1)) == ""
    assert rules.qr_window_problem(window, next_start + timedelta(seconds=rules.GRACE_SECONDS)) == "expired"
    assert rules.qr_window_problem(window - 2, base) == "expired"
    assert rules.qr_window_problem(window + 1, base) == "future"


def test_check_in_is_allowed_from_the_listed_networks_or_anywhere_when_none_are_listed():
    assert rules.network_allowed("203.0.113.9", "")
    assert rules.network_allowed("10.20.3.4", "10.20.0.0/16\n192.168.1.0/24")
    assert not rules.network_allowed("10.21.0.1", "10.20.0.0/16")
    assert not rules.network_allowed("", "10.20.0.0/16")
    with pytest.raises(ValueError, match="10.20.0.0/33"):
        rules.network_allowed("10.20.0.1", "10.20.0.0/33")


def test_leave_tiers_and_outcome():
    assert rules.leave_tiers(Decimal("4"), Decimal("4")) == ("advisor",)
    both = rules.leave_tiers(Decimal("4.5"), Decimal("4"))
    assert both == ("advisor", "organizer")
    assert rules.leave_outcome(("advisor",), []) == "pending"
    assert rules.leave_outcome(("advisor",), [("advisor", True)]) == "approved"
    assert rules.leave_outcome(both, [("advisor", True)]) == "pending"
    assert rules.leave_next_tier(both, [("advisor", True)]) == "organizer"
    assert rules.leave_outcome(both, [("advisor", True), ("organizer", True)]) == "approved"
    assert rules.leave_outcome(both, [("organizer", True)]) == "approved"
    assert rules.leave_outcome(both, [("advisor", True), ("organizer", False)]) == "rejected"


def test_leave_hours_and_coverage_after_coming_back():
    assert rules.leave_hours([Decimal("3"), Decimal("0.5")]) == Decimal("3.5")
    assert rules.leave_hours([]) == Decimal("0")
    assert rules.leave_covers(starts_at=START, resumed_at=None)
    assert rules.leave_covers(starts_at=START, resumed_at=START + timedelta(minutes=1))
    assert not rules.leave_covers(starts_at=START, resumed_at=START - timedelta(minutes=1))


# --- The bulletin's words ------------------------------------------------------------------------------


def wording(day, data):
    return rules.bulletin_wording(
        course_name="2026年全县基层工会干部培训班",
        day=day,
        course_start=date(2026, 4, 14),
        course_end=date(2026, 4, 16),
        data=data,
    )


def test_a_days_bulletin_is_worded_as_a_notice_of_that_day():
    words = wording(date(2026, 4, 14), {"late": [{"name": "王建国"}], "early": [], "absent": [], "discipline": []})
    assert words.title == "关于2026年全县基层工会干部培训班4月14日纪律情况的通报"
    assert words.recipients == "各学员所在单位工会："
    assert words.opening.startswith("为严肃培训纪律")
    assert "现将2026年全县基层工会干部培训班4月14日学员出勤和课堂纪律情况通报如下：" in words.opening
    assert words.closing == rules.BULLETIN_CLOSING_WARNING and words.closing.endswith("特此通报。")


def test_a_whole_course_bulletin_names_the_dates_and_a_clean_record_is_praised():
    words = wording(None, {"late": [], "early": [], "absent": [], "leave": [{"name": "李秀英"}], "discipline": []})
    assert words.title == "关于2026年全县基层工会干部培训班纪律情况的通报"
    assert "培训期间（4月14日至16日）" in words.opening
    assert words.closing == rules.BULLETIN_CLOSING_PRAISE and words.closing.endswith("特此通报。")


def test_recipients_end_with_one_full_width_colon_and_texts_split_into_paragraphs():
    assert rules.recipients_line("全体学员") == "全体学员："
    assert rules.recipients_line(" 全体学员: ") == "全体学员："
    assert rules.recipients_line("全体学员：：") == "全体学员："
    assert rules.paragraphs("　　第一段。\r\n\r\n  第二段。\n") == ["第一段。", "第二段。"]


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于培训纪律的通报", ["关于培训纪律的通报"]),
        (
            "关于2026年全县基层工会干部培训班4月14日纪律情况的通报",
            ["关于2026年全县基层工会干部培训班", "4月14日纪律情况的通报"],
        ),
        (
            "关于2026年春季全县工会财务与经审干部培训班纪律情况的通报",
            ["关于2026年春季全县", "工会财务与经审干部培训班纪律情况的通报"],
        ),
        # Nowhere to break by meaning: left to the renderer.
        (
            "关于进一步加强和改进全体参训学员课堂学习纪律管理工作若干事项的通报",
            ["关于进一步加强和改进全体参训学员课堂学习纪律管理工作若干事项的通报"],
        ),
    ],
)
def test_long_titles_break_where_a_word_ends(title, lines):
    assert rules.title_lines(title, per_line=20) == lines
