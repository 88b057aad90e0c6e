"""The course day, live: what the overview shows an organizer or an advisor about today (a read,
like selectors.py, kept beside it so neither grows past 500 lines)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from training.models import Course, Session

from . import rules, selectors
from .models import LeaveRequest


@dataclass
class SessionToday:
    session: Session
    expected: int
    checked_in: int
    leave: int
    missing: int  # not checked in and not on leave: 缺勤 once the session has ended, 未到 before
    flagged: int
    ended: bool
    started: bool


@dataclass
class CourseDay:
    sessions: list[SessionToday]
    pending_leave: int
    unpublished_day: date | None  # yesterday had sessions and no bulletin was published for it


def course_day(course: Course, *, now: datetime) -> CourseDay:
    """What the organizer and the advisor watch on a course day: per session of today, who is
    here, on leave, missing or flagged; pending leave; yesterday's bulletin not yet published.
    Seven queries, whatever the roster's size."""
    today = timezone.localdate(now)
    sessions = [s for s in course.sessions.order_by("starts_at", "pk") if timezone.localdate(s.starts_at) == today]
    sheet = selectors.sheet_for_course(course, now=now, sessions=sessions)
    rows = []
    for session in sessions:
        statuses = [sheet.status(session, e) for e in sheet.enrollments]
        records = [sheet.record(session, e) for e in sheet.enrollments]
        rows.append(
            SessionToday(
                session=session,
                expected=len(statuses),
                checked_in=sum(1 for r in records if r and r.checked_in_at),
                leave=sum(1 for st in statuses if st.code == rules.LEAVE),
                missing=sum(1 for st in statuses if st.code in (rules.ABSENT, rules.PENDING)),
                flagged=sum(1 for r in records if r and r.flagged),
                ended=session.ends_at <= now,
                started=session.starts_at <= now,
            )
        )
    yesterday = today - timedelta(days=1)
    held_yesterday = (
        course.sessions.filter(starts_at__date=yesterday, ends_at__lte=now).exists()
        if course.start_date <= yesterday <= course.end_date
        else False
    )
    published = course.bulletins.filter(day=yesterday).exists() if held_yesterday else True
    return CourseDay(
        sessions=rows,
        pending_leave=LeaveRequest.objects.filter(
            enrollment__course=course, status=LeaveRequest.Status.PENDING
        ).count(),
        unpublished_day=None if published else yesterday,
    )
