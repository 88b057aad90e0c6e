"""Pure decisions of the outbox: which messages a session or a course day makes due at a given
time, how long to wait before trying a failed message again, and how to reach a recipient."""

import re
from datetime import date, datetime, time, timedelta

OPENING_NOTICE_AT = time(9, 0)  # 开班通知: from 9:00 the day before the course starts
SUMMARY_AT = time(20, 0)  # 每日小结: from 20:00 on each day of the course
CLOSED_WINDOW = timedelta(hours=6)  # a session's close is reported within this time, not days later
SESSION_REMINDER, ROLLCALL_ALERT, SESSION_CLOSED = "session_reminder", "rollcall_alert", "session_closed"


def session_due(
    *, now: datetime, starts_at: datetime, ends_at: datetime, reminder_minutes: int, grace_minutes: int
) -> set[str]:
    """The per-session messages due at `now`: the reminder in the minutes before the start, the
    roll-call alert from start + grace until the end, and the close after the end."""
    due = set()
    if starts_at - timedelta(minutes=reminder_minutes) <= now < starts_at:
        due.add(SESSION_REMINDER)
    if starts_at + timedelta(minutes=grace_minutes) <= now < ends_at:
        due.add(ROLLCALL_ALERT)
    if ends_at <= now < ends_at + CLOSED_WINDOW:
        due.add(SESSION_CLOSED)
    return due


def opening_due(*, local_now: datetime, start_date: date, first_start: datetime | None) -> bool:
    """From 9:00 the day before the course until its first session starts."""
    if local_now.date() == start_date - timedelta(days=1):
        return local_now.time() >= OPENING_NOTICE_AT
    return local_now.date() == start_date and first_start is not None and local_now < first_start


def expired(kind: str, *, now: datetime, starts_at: datetime | None, ends_at: datetime | None) -> bool:
    """A message that would be wrong if sent late: a reminder after its session began, a roll-call
    alert after its session ended."""
    if kind == SESSION_REMINDER and starts_at is not None:
        return now >= starts_at
    if kind == ROLLCALL_ALERT and ends_at is not None:
        return now >= ends_at
    return False


def summary_due(*, local_now: datetime, start_date: date, end_date: date) -> bool:
    return start_date <= local_now.date() <= end_date and local_now.time() >= SUMMARY_AT


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` tries: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def trainee_channel(*, phone: str, sms_gateway: bool) -> tuple[str, str]:
    return ("sms", phone) if sms_gateway and phone else ("console", phone)


def staff_channel(*, email: str) -> tuple[str, str]:
    return ("email", email) if email else ("console", "")


def unit_channel(*, phone: str, email: str, sms_gateway: bool) -> tuple[str, str]:
    """A unit's contact: a text message to a mobile number when an SMS gateway is configured, else
    an email, else only the console (a landline such as 0731-8xxxxxxx takes no text message)."""
    mobile = re.sub(r"[\s-]", "", phone).removeprefix("+86")
    if sms_gateway and re.fullmatch(r"1\d{10}", mobile):
        return ("sms", mobile)
    if email:
        return ("email", email)
    return ("console", phone)


def unit_reminder_key(*, quota_id: int, local_day: date) -> str:
    """One 报名提醒 per unit (its quota on the course) per calendar day, however often it is pressed."""
    return f"unit_reminder:{quota_id}:{local_day:%Y%m%d}"


# --- Who a channel reaches ------------------------------------------------------------------------

# Django email backends that hand nothing to a mail server: a message "sent" through them reaches nobody.
_EMAIL_BACKENDS_THAT_KEEP_MAIL = ("console", "locmem", "dummy", "filebased")
NOT_DELIVERED = "记录在日志，未送达"


def email_delivers(backend: str) -> bool:
    """Whether the email backend really sends (SMTP or a provider), not one that writes to a log."""
    return not any(f".{name}." in backend for name in _EMAIL_BACKENDS_THAT_KEEP_MAIL)


def status_label(*, status: str, status_display: str, channel: str) -> str:
    """A message through the console channel reached nobody: it is never called 已发送."""
    if channel == "console" and status == "sent":
        return NOT_DELIVERED
    return status_display


def opening_warning_shown(*, local_now: datetime, start_date: date, first_start: datetime | None) -> bool:
    """The 开班通知 is still ahead (it goes out from 9:00 the day before the course until its first
    session starts), so a warning that it would reach nobody can still be acted on."""
    if first_start is not None:
        return local_now < first_start
    return local_now.date() < start_date
