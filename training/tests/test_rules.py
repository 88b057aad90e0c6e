from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from training import rules

UTC8 = timezone(timedelta(hours=8))


def local(moment):
    return moment.astimezone(UTC8).date()


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        13812345678,
        13812345678.0,
        " 138 1234 5678 ",
        "138-1234-5678",
        "１３８１２３４５６７８",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "0086-13812345678",
        "(138)12345678",
        "138\u30001234\u30005678",
    ],
)
def test_phone_variants_normalise_to_eleven_digits(raw):
    assert rules.normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("", "为空"),
        (None, "为空"),
        ("1381234567", "不是有效"),
        ("23812345678", "不是有效"),
        ("0731-84561234", "不是有效"),
        ("1.38123E+10", "科学计数法"),
        ("13812345678/13912345678", "多个号码"),
        ("手机13812345678", "不是有效"),
    ],
)
def test_bad_phones_are_refused_with_a_reason(raw, needle):
    with pytest.raises(ValueError, match=needle):
        rules.normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("张\u3000三", "张三"),
        (" 王  伟 ", "王伟"),
        ("\u3000李\u3000娜\u3000", "李娜"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("热依拉．艾买提", "热依拉·艾买提"),
    ],
)
def test_names_lose_padding_and_get_one_middle_dot(raw, expected):
    assert rules.normalize_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "张三13812345678", "填表人：王五"])
def test_bad_names_are_refused(raw):
    with pytest.raises(ValueError):
        rules.normalize_name(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "第一组"),
        (1.0, "第一组"),
        ("2组", "第二组"),
        ("第3组", "第三组"),
        ("四组", "第四组"),
        ("第十二小组", "第十二组"),
        ("１２", "第十二组"),
        ("机关组", "机关组"),
        ("", ""),
    ],
)
def test_groups_are_spelled_one_way(raw, expected):
    assert rules.normalize_group(raw) == expected


def test_groups_sort_by_number_then_name():
    groups = ["第十组", "机关组", "", "第二组", "第一组"]
    assert sorted(groups, key=rules.group_sort_key) == ["第一组", "第二组", "第十组", "机关组", ""]


def test_chinese_numbers_round_trip():
    for n in range(1, 100):
        assert rules.parse_chinese_number(rules.chinese_number(n)) == n


def test_id_number_is_checked_and_masked():
    body = "11010519491231002"
    valid = body + rules.id_check_digit(body)
    assert rules.normalize_id_number(valid.lower()) == valid
    assert rules.mask_id_number(valid) == valid[:4] + "*" * 10 + valid[-4:]
    wrong = body + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        rules.normalize_id_number(wrong)
    with pytest.raises(ValueError, match="存成了数字"):
        rules.normalize_id_number(float(body + "1"))
    assert rules.gender_from_id_number(valid) == "F"  # 17th digit 2 is even


def test_gender_is_read_from_the_usual_words_and_anything_else_is_refused():
    assert rules.normalize_gender("男") == "M"
    assert rules.normalize_gender("女性") == "F"
    assert rules.normalize_gender("") == ""
    with pytest.raises(ValueError, match="男”或“女"):
        rules.normalize_gender("未知")


def test_ethnicity_and_political_status_are_completed():
    assert rules.normalize_ethnicity("汉") == "汉族"
    assert rules.normalize_ethnicity("蒙古") == "蒙古族"
    assert rules.normalize_ethnicity("回族") == "回族"
    assert rules.normalize_political_status("党员") == "中共党员"
    assert rules.normalize_political_status("团员") == "共青团员"
    assert rules.normalize_political_status("民盟盟员") == "民盟盟员"


def test_student_numbers_continue_after_the_highest():
    assert rules.next_student_numbers([], 3) == ["001", "002", "003"]
    assert rules.next_student_numbers(["001", "007", "A1"], 2) == ["008", "009"]
    assert rules.next_student_numbers(["0001"], 1) == ["0002"]


def test_a_masked_phone_keeps_the_first_three_and_last_four_digits():
    assert rules.mask_phone("13812345678") == "138****5678"


def test_session_must_end_after_start_and_fall_inside_the_course():
    start = datetime(2026, 11, 20, 8, 30, tzinfo=UTC8)
    base = dict(course_start=date(2026, 11, 20), course_end=date(2026, 11, 22), local_date=local)
    ok = rules.session_problems(starts_at=start, ends_at=start + timedelta(hours=2), credit_hours=Decimal(2), **base)
    assert ok == {}
    backwards = rules.session_problems(starts_at=start, ends_at=start, credit_hours=Decimal(2), **base)
    assert backwards == {"ends_at": "结束时间必须晚于开始时间"}
    later = start + timedelta(days=5)
    outside = rules.session_problems(
        starts_at=later, ends_at=later + timedelta(hours=1), credit_hours=Decimal(1), **base
    )
    assert "不在培训班日期" in outside["starts_at"]
    negative = rules.session_problems(
        starts_at=start, ends_at=start + timedelta(hours=1), credit_hours=Decimal(-1), **base
    )
    assert "credit_hours" in negative


def test_session_problems_use_the_local_date_not_utc():
    # 07:30 in Shanghai on the first day is still the previous day in UTC.
    start = datetime(2026, 11, 20, 7, 30, tzinfo=UTC8)
    problems = rules.session_problems(
        course_start=date(2026, 11, 20),
        course_end=date(2026, 11, 20),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        credit_hours=Decimal(1),
        local_date=local,
    )
    assert problems == {}


def _session(day, hour):
    return SimpleNamespace(starts_at=datetime(2026, 11, day, hour, 0, tzinfo=UTC8))


def test_timetable_keeps_every_day_in_order():
    sessions = [_session(22, 14), _session(20, 8), _session(20, 14)]
    days = rules.timetable_days(date(2026, 11, 20), date(2026, 11, 22), sessions, local)
    assert [d.number for d in days] == [1, 2, 3]
    assert [len(d.sessions) for d in days] == [2, 0, 1]
    assert days[0].sessions[0].starts_at.hour == 8


def test_agenda_puts_today_first_then_upcoming_then_past_newest_first():
    sessions = [_session(20, 8), _session(20, 14), _session(21, 8), _session(22, 8), _session(21, 14)]
    agenda = rules.trainee_agenda(sessions, today=date(2026, 11, 21), local_date=local)
    assert [(s.starts_at.day, s.starts_at.hour) for s in agenda.today] == [(21, 8), (21, 14)]
    assert [(s.starts_at.day, s.starts_at.hour) for s in agenda.upcoming] == [(22, 8)]
    assert [(s.starts_at.day, s.starts_at.hour) for s in agenda.past] == [(20, 14), (20, 8)]


def test_the_fifth_failure_within_the_period_locks_the_account():
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC8)
    state = dict(failures=0, last_failure_at=None, locked_until=None)
    for _ in range(4):
        state["failures"], state["locked_until"] = rules.after_login_failure(
            **state, now=now, max_failures=5, lock_minutes=15
        )
        state["last_failure_at"] = now
        assert state["locked_until"] is None
    failures, locked_until = rules.after_login_failure(**state, now=now, max_failures=5, lock_minutes=15)
    assert failures == 5 and locked_until == now + timedelta(minutes=15)


def test_old_failures_are_forgotten():
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC8)
    failures, locked_until = rules.after_login_failure(
        failures=4,
        last_failure_at=now - timedelta(minutes=16),
        locked_until=None,
        now=now,
        max_failures=5,
        lock_minutes=15,
    )
    assert (failures, locked_until) == (1, None)
