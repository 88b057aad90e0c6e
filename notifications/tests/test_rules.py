from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from attendance.rules import completion_risk
from notifications import rules

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 8, 30, tzinfo=TZ)
END = START + timedelta(hours=2)


def due(now):
    return rules.session_due(now=now, starts_at=START, ends_at=END, reminder_minutes=15, grace_minutes=5)


def test_what_a_session_makes_due_and_when():
    assert due(START - timedelta(minutes=16)) == set()
    assert due(START - timedelta(minutes=15)) == {"session_reminder"}
    assert due(START) == set()
    assert due(START + timedelta(minutes=5)) == {"rollcall_alert"}
    assert due(END) == {"session_closed"}
    assert due(END + rules.CLOSED_WINDOW) == set()


def test_course_day_messages():
    opening = {"start_date": date(2026, 11, 20), "first_start": START}
    assert rules.opening_due(local_now=datetime(2026, 11, 19, 9, 0, tzinfo=TZ), **opening)
    assert not rules.opening_due(local_now=datetime(2026, 11, 19, 8, 59, tzinfo=TZ), **opening)
    assert rules.opening_due(local_now=START - timedelta(minutes=1), **opening)  # enrolled on the morning itself
    assert not rules.opening_due(local_now=START, **opening)
    span = {"start_date": date(2026, 11, 20), "end_date": date(2026, 11, 22)}
    assert rules.summary_due(local_now=datetime(2026, 11, 21, 20, 0, tzinfo=TZ), **span)
    assert not rules.summary_due(local_now=datetime(2026, 11, 21, 19, 59, tzinfo=TZ), **span)
    assert not rules.summary_due(local_now=datetime(2026, 11, 23, 21, 0, tzinfo=TZ), **span)


def test_backoff_doubles_up_to_an_hour():
    assert [rules.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8)] == [1, 2, 4, 8, 60]


def test_channels_follow_the_recipients_data():
    assert rules.trainee_channel(phone="13900000001", sms_gateway=True) == ("sms", "13900000001")
    assert rules.trainee_channel(phone="13900000001", sms_gateway=False) == ("console", "13900000001")
    assert rules.staff_channel(email="a@b.cn") == ("email", "a@b.cn")
    assert rules.staff_channel(email="") == ("console", "")


def test_a_trainee_is_at_risk_when_missing_the_next_session_would_lose_completion():
    hours = {"total": Decimal("20"), "percent": 90}
    assert completion_risk(attended=Decimal("8"), remaining=Decimal("12"), next_hours=Decimal("2"), **hours) is None
    assert completion_risk(attended=Decimal("6"), remaining=Decimal("12"), next_hours=Decimal("2"), **hours) == "close"
    assert completion_risk(attended=Decimal("5"), remaining=Decimal("12"), next_hours=Decimal("2"), **hours) == "lost"


def test_late_reminders_and_alerts_expire():
    assert not rules.expired("session_reminder", now=START - timedelta(seconds=1), starts_at=START, ends_at=END)
    assert rules.expired("session_reminder", now=START, starts_at=START, ends_at=END)
    assert not rules.expired("rollcall_alert", now=END - timedelta(seconds=1), starts_at=START, ends_at=END)
    assert rules.expired("rollcall_alert", now=END, starts_at=START, ends_at=END)
    assert not rules.expired("session_closed", now=END + timedelta(days=1), starts_at=START, ends_at=END)


def test_a_unit_contact_gets_a_text_on_a_mobile_else_an_email_else_only_the_outbox():
    assert rules.unit_channel(phone="138 1234-5678", email="a@b.cn", sms_gateway=True) == ("sms", "13812345678")
    assert rules.unit_channel(phone="+8613812345678", email="", sms_gateway=True) == ("sms", "13812345678")
    assert rules.unit_channel(phone="0731-5550001", email="a@b.cn", sms_gateway=True) == ("email", "a@b.cn")
    assert rules.unit_channel(phone="13812345678", email="a@b.cn", sms_gateway=False) == ("email", "a@b.cn")
    assert rules.unit_channel(phone="0731-5550001", email="", sms_gateway=True) == ("console", "0731-5550001")


def test_a_units_reminder_key_names_the_quota_and_the_day():
    assert rules.unit_reminder_key(quota_id=7, local_day=date(2026, 11, 11)) == "unit_reminder:7:20261111"
