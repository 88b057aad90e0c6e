"""Every write of the outbox. Messages are rows, unique by `dedupe_key`: planned by the sweep when
they fall due (or written by the service whose transaction causes them), claimed by a conditional
UPDATE before anyone sends them, and marked sent, retried with backoff, or failed.

Never twice, never lost: a row is sent only by the worker whose claim the UPDATE recorded; a claim
not marked sent within NOTIFICATION_LEASE_SECONDS (its worker died) is claimed again. So a message
can go out twice only if it was being sent when its worker died (at most one per worker process,
each sends its rows one after another), or if a single send outlasted the lease (the channels'
timeouts, EMAIL_TIMEOUT and 10 s for HTTP, are kept well below it), or if a gateway accepted it
but the answer never came back (the SMS gateway gets the dedupe_key to recognise a repeat).
"""

import logging
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from attendance import rules as attendance_rules
from attendance import selectors as attendance_selectors
from attendance.models import LeaveRequest
from completion import selectors as completion_selectors
from core.errors import DomainError
from evaluation import rules as evaluation_rules
from evaluation import selectors as evaluation_selectors
from evaluation import services as evaluation_services
from training.models import Course, Enrollment, Membership, Session

from . import canteen, channels, rules
from .models import Notification
from .rows import message_row, message_text

Kind, Status = Notification.Kind, Notification.Status
logger = logging.getLogger("notifications")


def _to_trainee(enrollment: Enrollment) -> dict:
    channel, address = rules.trainee_channel(phone=enrollment.trainee.phone, sms_gateway=bool(settings.SMS_GATEWAY_URL))
    return {"recipient": enrollment.trainee.name, "channel": channel, "address": address, "enrollment": enrollment}


def _to_staff(user) -> dict:
    channel, address = rules.staff_channel(email=user.email)
    return {"recipient": user.first_name or user.username, "channel": channel, "address": address, "user": user}


def _to_group(course: Course) -> dict:
    return {"recipient": "班级群", "channel": Notification.Channel.WEBHOOK, "address": course.webhook_url}


# --- Planning ---------------------------------------------------------------------------------------------


def _organizers(course: Course) -> list:
    memberships = Membership.objects.filter(organization=course.organization_id, role=Membership.Role.ORGANIZER)
    return [m.user for m in memberships.select_related("user")]


def _staff_of(course: Course) -> list:
    """Who gets the advisor's messages: the course's advisors, or its organizers when it has none."""
    return list(course.advisors.all()) or _organizers(course)


def _stamp(session) -> str:
    """Part of a per-session key: a session moved to another time is reminded of again."""
    return f"{session.pk}@{int(session.starts_at.timestamp())}"


class _Plan:
    """The rows of one course, skipping (before rendering any text) those already in the outbox."""

    def __init__(self, course: Course, now: datetime):
        self.course, self.now, self.rows = course, now, []
        recent = Notification.objects.filter(course=course, created_at__gte=now - timedelta(days=3))
        self.known = set(recent.values_list("dedupe_key", flat=True))

    def wants(self, key: str) -> bool:
        return key[:120] not in self.known

    def add(self, *, key: str, kind: str, title: str, body: str, session=None, **target) -> None:
        row = message_row(
            course=self.course, kind=kind, key=key, title=title, body=body, now=self.now, session=session, **target
        )
        self.rows.append(row)
        self.known.add(row.dedupe_key)


def _plan_course(course: Course, now: datetime) -> list[Notification]:
    local = timezone.localtime(now)
    plan = _Plan(course, now)
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    due = {
        s.pk: rules.session_due(
            now=now,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            reminder_minutes=course.reminder_minutes,
            grace_minutes=course.grace_minutes,
        )
        for s in sessions
    }
    opening = rules.opening_due(
        local_now=local, start_date=course.start_date, first_start=sessions[0].starts_at if sessions else None
    )
    summary = rules.summary_due(local_now=local, start_date=course.start_date, end_date=course.end_date)
    summary_keys = {}
    if summary:
        targets = [_to_staff(u) for u in _organizers(course)] + ([_to_group(course)] if course.webhook_url else [])
        for target in targets:
            who = target["user"].pk if target.get("user") else "group"
            key = f"evening_summary:{course.pk}:{local.date():%Y%m%d}:{who}"
            if plan.wants(key):
                summary_keys[key] = target
    if not (opening or summary_keys or any(due.values())):
        return []  # nothing due: no roster, no attendance loaded

    enrollments = list(course.enrollments.filter(status=Enrollment.Status.ENROLLED).select_related("trainee"))
    if opening:
        days = [(day, [s for s in sessions if s.local_date == day]) for day in course.days]
        for enrollment in enrollments:
            key = f"course_opening:{course.pk}:{enrollment.pk}"
            if plan.wants(key):
                plan.add(
                    key=key,
                    kind=Kind.COURSE_OPENING,
                    title=f"开班通知：{course.name}",
                    body=message_text(Kind.COURSE_OPENING, course=course, days=days, enrollment=enrollment),
                    **_to_trainee(enrollment),
                )

    if any(due.values()):
        staff = _staff_of(course)
        sheet = attendance_selectors.sheet_for_course(course, now=now, sessions=sessions, enrollments=enrollments)
        for session in sessions:
            _plan_session(plan, session, due[session.pk], enrollments, sheet, staff)
            if rules.SESSION_CLOSED in due[session.pk]:
                _plan_at_risk(plan, sessions, enrollments, sheet, staff)

    if summary_keys:
        data = attendance_selectors.bulletin_data(course, day=local.date(), now=now)
        body = message_text(Kind.EVENING_SUMMARY, data=data, course=course)
        for key, target in summary_keys.items():
            title = f"每日小结：{course.name} {local.month}月{local.day}日"
            plan.add(key=key, kind=Kind.EVENING_SUMMARY, title=title, body=body, **target)
    return plan.rows


def _plan_session(plan: _Plan, session, kinds: set[str], enrollments, sheet, staff) -> None:
    course = plan.course
    when = f"{timezone.localtime(session.starts_at):%H:%M}"
    stamp = _stamp(session)
    if rules.SESSION_REMINDER in kinds:
        for enrollment in enrollments:
            key = f"session_reminder:{stamp}:{enrollment.pk}"
            if (session.pk, enrollment.pk) in sheet.leave or not plan.wants(key):
                continue
            plan.add(
                key=key,
                kind=Kind.SESSION_REMINDER,
                title=f"课前提醒：{when} {session.title}",
                body=message_text(Kind.SESSION_REMINDER, session=session, course=course),
                session=session,
                **_to_trainee(enrollment),
            )
    if rules.ROLLCALL_ALERT in kinds:
        missing = [e for e in enrollments if sheet.status(session, e).code == attendance_rules.PENDING]
        if missing:
            title = f"点名提醒：{when} {session.title} 还有 {len(missing)} 人未签到"
            # Phone numbers go to the advisors only, never to the whole class's group chat.
            targets = [(_to_staff(u), True) for u in staff] + (
                [(_to_group(course), False)] if course.webhook_url else []
            )
            for target, phones in targets:
                key = f"rollcall_alert:{stamp}:{target['user'].pk if target.get('user') else 'group'}"
                if plan.wants(key):
                    body = message_text(Kind.ROLLCALL_ALERT, session=session, missing=missing, phones=phones)
                    plan.add(key=key, kind=Kind.ROLLCALL_ALERT, title=title, body=body, session=session, **target)
    if rules.SESSION_CLOSED in kinds:
        statuses = [(e, sheet.status(session, e)) for e in enrollments]
        absent = [e for e, status in statuses if status.code == attendance_rules.ABSENT]
        attended = sum(1 for _, status in statuses if status.attended)
        for user in staff:
            key = f"session_closed:{stamp}:{user.pk}"
            if plan.wants(key):
                body = message_text(
                    Kind.SESSION_CLOSED, session=session, absent=absent, attended=attended, total=len(statuses)
                )
                title = f"课次结束：{when} {session.title}，缺勤 {len(absent)} 人"
                plan.add(key=key, kind=Kind.SESSION_CLOSED, title=title, body=body, session=session, **_to_staff(user))


def _plan_at_risk(plan: _Plan, sessions, enrollments, sheet, staff) -> None:
    """After a session closes: a warning to the trainee and the advisors, once each, when the
    course's completion rule (completion.rules.completion: hours, absences, leave, discipline points,
    required sessions) can no longer be met ('lost', with the reasons) or is about to be missed
    ('close': missing the largest session still ahead would break the hours, or one more absence
    the limit). Sessions ahead under approved leave do not count as hours still to be earned; a
    trainee an organizer has decided on is left alone."""
    course, now = plan.course, plan.now
    ahead = [s for s in sessions if s.ends_at > now]
    total = sum((s.credit_hours for s in sessions), Decimal("0"))
    max_absences = course.max_absences
    for row in completion_selectors.completion_for_course(course, now=now, sheet=sheet):
        enrollment = row.enrollment
        if row.override is not None:
            continue
        open_hours = [s.credit_hours for s in ahead if (s.pk, enrollment.pk) not in sheet.leave]
        if not row.completion.still_possible:
            risk = attendance_rules.AT_RISK_LOST
        elif attendance_rules.completion_risk(
            total=total,
            attended=row.hours,
            remaining=sum(open_hours, Decimal("0")),
            next_hours=max(open_hours, default=Decimal("0")),
            percent=course.min_attendance_percent,
        ) or (open_hours and max_absences and row.absences == max_absences):  # a limit of 0 warns no one ahead
            risk = attendance_rules.AT_RISK_CLOSE
        else:
            continue
        required = (total * course.min_attendance_percent / 100).quantize(Decimal("0.1"))
        context = {"course": course, "enrollment": enrollment, "risk": risk, "attended": row.hours}
        body = message_text(Kind.AT_RISK, total=total, required=required, reasons=row.completion.lasting, **context)
        title = f"结业预警：{enrollment.trainee.name}" + ("已不能结业" if risk == "lost" else "再缺一次课将不能结业")
        for target in [_to_trainee(enrollment)] + [_to_staff(u) for u in staff]:
            who = f"u{target['user'].pk}" if target.get("user") else "t"
            key = f"at_risk:{enrollment.pk}:{risk}:{who}"
            if plan.wants(key):
                plan.add(key=key, kind=Kind.AT_RISK, title=title, body=body, **target)


LEAVE_NOTICE_DAYS = 3  # a decision older than this, never noticed (the beat was down), is not sent late


def _plan_leave_decisions(now: datetime) -> list[Notification]:
    """The trainee hears of the decision on their leave: one message per (leave, outcome), for the
    leaves decided lately. Planned here, by the sweep, so attendance needs nothing of the outbox:
    a decision rolled back was never seen, and a decision is noticed within a sweep (a minute)."""
    leaves = list(
        LeaveRequest.objects.filter(
            status__in=[LeaveRequest.Status.APPROVED, LeaveRequest.Status.REJECTED],
            decisions__decided_at__gte=now - timedelta(days=LEAVE_NOTICE_DAYS),
            decisions__decided_at__lte=now,
        )
        .distinct()
        .select_related("enrollment__trainee", "enrollment__course")
        .prefetch_related("decisions")
    )
    keys = {leave.pk: f"leave_decision:{leave.pk}:{leave.status}" for leave in leaves}
    known = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    rows = []
    for leave in leaves:
        if keys[leave.pk] in known:
            continue
        enrollment = leave.enrollment
        comments = [d.comment for d in leave.decisions.all() if d.comment]
        rows.append(
            message_row(
                course=enrollment.course,
                kind=Kind.LEAVE_DECISION,
                key=keys[leave.pk],
                title=f"请假{leave.get_status_display()}：{enrollment.course.name}",
                body=message_text(Kind.LEAVE_DECISION, leave=leave, course=enrollment.course, comments=comments),
                now=now,
                **_to_trainee(enrollment),
            )
        )
    return rows


def notifications_plan(*, now: datetime | None = None) -> int:
    """Writes the rows that are due at `now` for every running course and returns how many are new.
    Idempotent and safe to run from two places at once: each message's dedupe_key is unique."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    courses = Course.objects.filter(
        status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED],
        start_date__lte=today + timedelta(days=1),
        end_date__gte=today - timedelta(days=1),  # a late session's close is reported after midnight
    ).prefetch_related("advisors")
    rows = [row for course in courses for row in _plan_course(course, now)]
    rows += _plan_leave_decisions(now)
    rows += canteen.meal_count_rows(now)
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def evaluation_remind(*, course: Course, session: Session | None, link_base: str, now: datetime | None = None) -> int:
    """评教提醒, pressed by staff: one message to each trainee still on the roster who checked in to
    the session (for the course form, `session` None: to any session) and has not answered, while
    the evaluation is open. Idempotent per (form, session, trainee): the dedupe key names them, so a
    second press reaches only trainees not reminded yet (a late check-in). Returns how many were
    queued now (two presses at the same moment may both count a row; it is written and sent once).
    Refuses with 'disabled', 'not_evaluated' or 'not_open'."""
    now = now or timezone.now()
    settings_, forms = evaluation_services.forms_ensure(course)
    kind = evaluation_rules.form_kind_for_session(session.kind) if session else "course"
    if not settings_.enabled:
        raise DomainError("disabled", "本培训班没有开展评教。")
    if kind is None:
        raise DomainError("not_evaluated", "这个课次不需要评价。")
    form = forms[kind]
    opens, closes = evaluation_selectors.window_of(settings_, course, session)
    if evaluation_rules.window_state(now, opens, closes) != evaluation_rules.OPEN:
        raise DomainError("not_open", "评价没有在进行中（尚未开始或已经截止），不能发送评教提醒。")
    if session is None:
        waiting = list(evaluation_selectors.not_responded_course(course, form))
        path, title = reverse("evaluation:answer-course", args=[course.code]), f"评教提醒：{course.name}总体评价"
    else:
        waiting = list(evaluation_selectors.not_responded(session, form))
        path, title = reverse("evaluation:answer-session", args=[session.pk]), f"评教提醒：{session.title}"
    keys = {e.pk: f"evaluation_reminder:{form.pk}:{session.pk if session else 'course'}:{e.pk}" for e in waiting}
    known = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    context = {"course": course, "session": session, "closes": closes, "url": f"{link_base}{path}"}
    body = message_text(Kind.EVALUATION_REMINDER, **context)
    rows = [
        message_row(
            course=course,
            kind=Kind.EVALUATION_REMINDER,
            key=key,
            title=title,
            body=body,
            now=now,
            session=session,
            **_to_trainee(enrollment),
        )
        for enrollment in waiting
        if (key := keys[enrollment.pk]) not in known
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- Delivery ---------------------------------------------------------------------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def notifications_dispatch(*, now: datetime | None = None, limit: int = 20000) -> list[int]:
    """The rows to hand to delivery tasks now: pending and due, not handed out within the lease,
    and claims left by a dead worker. Marks them handed out (a second sweep skips them)."""
    now = now or timezone.now()
    stale = now - _lease()
    due = (
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        & (Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
    ) | Q(status=Status.SENDING, claimed_at__lt=stale)
    ids = list(Notification.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), 500):
        Notification.objects.filter(pk__in=ids[start : start + 500]).update(dispatched_at=now)
    return ids


def notification_deliver(*, pk: int, now: datetime | None = None) -> str:
    """Claims the row (a conditional UPDATE: pending and due, or a claim older than the lease) and
    sends it. Returns the outcome: 'sent', 'retry', 'failed', 'expired' or 'skipped' (someone else
    has it, or it is done). Idempotent, so a delivery task may run twice. A reminder claimed after
    its session began (or a roll-call alert after its session ended) is not sent late: it expires.
    Any unexpected error counts as transient, so no row stays claimed for ever."""
    now = now or timezone.now()
    claim = uuid.uuid4().hex
    claimable = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - _lease()
    )
    claimed = Notification.objects.filter(claimable, pk=pk).update(
        status=Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("session").get(pk=pk)
    mine = Notification.objects.filter(pk=pk, claim=claim)
    session = notification.session
    late = rules.expired(
        notification.kind,
        now=now,
        starts_at=session.starts_at if session else None,
        ends_at=session.ends_at if session else None,
    )
    if late:
        mine.update(status=Status.CANCELLED, last_error="已过时，未发送")
        return "expired"
    if notification.attempts > settings.NOTIFICATION_MAX_ATTEMPTS:  # claimed again and again: its sends never end
        mine.update(status=Status.FAILED, last_error=notification.last_error or "多次发送均未完成")
        return "failed"
    try:
        channels.send(notification)
    except channels.PermanentError as error:
        mine.update(status=Status.FAILED, last_error=f"{error}"[:500])
        return "failed"
    except Exception as error:  # transient, or unforeseen: retried with backoff, bounded
        if not isinstance(error, channels.TransientError):
            logger.exception("notification %s: unexpected error while sending", pk)
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, last_error=f"{error}"[:500])
            return "failed"
        mine.update(
            status=Status.PENDING,
            last_error=f"{error}"[:500] or type(error).__name__,
            next_attempt_at=now + rules.backoff(notification.attempts),
            dispatched_at=None,
        )
        return "retry"
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def notifications_sweep(*, now: datetime | None = None) -> list[int]:
    """What the beat does every minute: plan the rows now due, and return those to deliver."""
    now = now or timezone.now()
    notifications_plan(now=now)
    return notifications_dispatch(now=now)


def notifications_run_due(*, now: datetime | None = None) -> dict:
    """One sweep in the foreground: plan, then deliver every due row here (the command's job). Each
    claim is stamped when it is made, not when the sweep began, so a long run keeps its leases."""
    planned = notifications_plan(now=now)
    outcomes: dict[str, int] = {}
    for pk in notifications_dispatch(now=now):
        outcome = notification_deliver(pk=pk, now=now)  # None: each claim stamped when made
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {"planned": planned, **outcomes}


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """A failed message goes back to the queue with fresh attempts."""
    updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), dispatched_at=None, last_error=""
    )
    if not updated:
        raise DomainError("not_failed", "只有发送失败的提醒可以重发。")
    notification.refresh_from_db()
    return notification


@transaction.atomic
def notification_cancel(*, notification: Notification) -> Notification:
    """A pending message is not sent after all (one being sent right now cannot be stopped)."""
    updated = Notification.objects.filter(pk=notification.pk, status=Status.PENDING).update(status=Status.CANCELLED)
    if not updated:
        raise DomainError("not_pending", "只有待发送的提醒可以取消。")
    notification.refresh_from_db()
    return notification
