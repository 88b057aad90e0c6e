"""Reads of attendance shared by pages, the bulletin and (later) reports and reminders.

Everything is built from one `Sheet`: the course's sessions, its enrolled trainees, their records
and their approved leave, loaded in a fixed number of queries whatever the size of the course, and
asked for statuses through `attendance.rules.status_of`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from core import formats
from training import rules as training_rules
from training.models import Course, Enrollment, Session

from . import rules
from .models import AttendanceRecord, DisciplineRecord, LeaveRequest


def _group_order(enrollment: Enrollment):
    return (training_rules.group_sort_key(enrollment.group), enrollment.student_no, enrollment.pk)


@dataclass
class Sheet:
    course: Course
    sessions: list[Session]
    enrollments: list[Enrollment]
    now: datetime
    records: dict = field(default_factory=dict)  # (session_id, enrollment_id) -> AttendanceRecord
    leave: set = field(default_factory=set)  # (session_id, enrollment_id) under approved leave

    def record(self, session: Session, enrollment: Enrollment) -> AttendanceRecord | None:
        return self.records.get((session.pk, enrollment.pk))

    def status(self, session: Session, enrollment: Enrollment) -> rules.Status:
        record = self.records.get((session.pk, enrollment.pk))
        return rules.status_of(
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            now=self.now,
            checked_in_at=record.checked_in_at if record else None,
            checked_out_at=record.checked_out_at if record else None,
            on_leave=(session.pk, enrollment.pk) in self.leave,
            grace_minutes=self.course.grace_minutes,
            requires_checkout=session.requires_checkout,
        )


def sheet_for_course(
    course: Course,
    *,
    now: datetime,
    sessions: list[Session] | None = None,
    enrollments: list[Enrollment] | None = None,
    trail: bool = False,
) -> Sheet:
    """Up to four queries (sessions and enrollments when not given, records, approved leave), and
    with `trail` two more for the records' manual changes."""
    if sessions is None:
        sessions = list(course.sessions.order_by("starts_at", "pk"))
    if enrollments is None:
        enrollments = sorted(
            course.enrollments.filter(status=Enrollment.Status.ENROLLED).select_related("trainee"), key=_group_order
        )
    session_ids = [s.pk for s in sessions]
    sheet = Sheet(course=course, sessions=sessions, enrollments=enrollments, now=now)
    records = AttendanceRecord.objects.filter(session_id__in=session_ids)
    if len(enrollments) == 1:
        records = records.filter(enrollment=enrollments[0])
    if trail:
        records = records.prefetch_related("changes__changed_by")
    sheet.records = {(r.session_id, r.enrollment_id): r for r in records}
    covered = LeaveRequest.sessions.through.objects.filter(
        session_id__in=session_ids, leaverequest__status=LeaveRequest.Status.APPROVED
    ).values_list("session_id", "leaverequest__enrollment_id", "session__starts_at", "leaverequest__resumed_at")
    sheet.leave = {
        (session_id, enrollment_id)
        for session_id, enrollment_id, starts_at, resumed_at in covered
        if rules.leave_covers(starts_at=starts_at, resumed_at=resumed_at)
    }
    return sheet


# --- The grid ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    status: rules.Status
    flagged: bool


@dataclass
class Row:
    enrollment: Enrollment
    cells: list[Cell]
    hours: Decimal
    counts: dict


@dataclass
class Grid:
    sessions: list[Session]
    rows: list[Row]
    total_hours: Decimal


def _tally(statuses) -> dict:
    counts = {"attended": 0, "late": 0, "early": 0, "absent": 0, "leave": 0}
    for status in statuses:
        counts["attended"] += status.attended
        counts["late"] += status.is_late and status.attended
        counts["early"] += status.is_early and status.attended
        counts["absent"] += status.code == rules.ABSENT
        counts["leave"] += status.code == rules.LEAVE
    return counts


def attendance_grid(course: Course, *, now: datetime, group: str | None = None, day: date | None = None) -> Grid:
    """Trainees × sessions with each status, hours earned and counts per trainee, in group order.
    Four queries: sessions, enrollments with trainees, records, approved leave."""
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    if day is not None:
        sessions = [s for s in sessions if s.local_date == day]
    enrollments = course.enrollments.filter(status=Enrollment.Status.ENROLLED).select_related("trainee")
    if group is not None:
        enrollments = enrollments.filter(group=group)
    sheet = sheet_for_course(course, now=now, sessions=sessions, enrollments=sorted(enrollments, key=_group_order))
    rows = []
    for enrollment in sheet.enrollments:
        cells, hours = [], Decimal("0")
        for session in sessions:
            status = sheet.status(session, enrollment)
            record = sheet.records.get((session.pk, enrollment.pk))
            cells.append(Cell(status, bool(record and record.flagged)))
            hours += rules.hours_earned(status, session.credit_hours, ended=session.ends_at <= now)
        rows.append(Row(enrollment, cells, hours, _tally(c.status for c in cells)))
    return Grid(sessions, rows, sum((s.credit_hours for s in sessions), Decimal("0")))


# --- One session ------------------------------------------------------------------------------------


def session_counts(session: Session, *, now: datetime) -> dict:
    """已签到 / 已签退 / 应到 / 请假 for the classroom screen. Three queries."""
    enrolled = Enrollment.objects.filter(course_id=session.course_id, status=Enrollment.Status.ENROLLED)
    records = AttendanceRecord.objects.filter(session=session, enrollment__status=Enrollment.Status.ENROLLED)
    counts = records.aggregate(
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        checked_out=Count("pk", filter=Q(checked_out_at__isnull=False)),
    )
    checked_in_ids = records.filter(checked_in_at__isnull=False).values("enrollment_id")
    leave = (
        LeaveRequest.objects.filter(
            sessions=session, status=LeaveRequest.Status.APPROVED, enrollment__status=Enrollment.Status.ENROLLED
        )
        .filter(Q(resumed_at__isnull=True) | Q(resumed_at__gt=session.starts_at))
        .exclude(enrollment_id__in=checked_in_ids)
        .values("enrollment_id")
        .distinct()
        .count()
    )
    return {**counts, "expected": enrolled.count(), "leave": leave}


@dataclass
class RollcallRow:
    enrollment: Enrollment
    status: rules.Status
    record: AttendanceRecord | None
    on_leave: bool

    @property
    def called(self) -> str:
        """Which roll-call button shows as chosen: 'present', 'late', 'absent' or '' (not called)."""
        if self.record and self.record.checked_in_at:
            return rules.LATE if self.status.is_late else rules.PRESENT
        if self.status.code == rules.ABSENT or (self.record and not self.on_leave):
            return rules.ABSENT
        return ""


def rollcall_rows(session: Session, *, now: datetime) -> list[RollcallRow]:
    """The session's roster in group order with each status, for the advisor's phone."""
    sheet = sheet_for_course(session.course, now=now, sessions=[session])
    return [
        RollcallRow(e, sheet.status(session, e), sheet.record(session, e), (session.pk, e.pk) in sheet.leave)
        for e in sheet.enrollments
    ]


def rollcall_missing(session: Session, *, now: datetime) -> list[Enrollment]:
    """Enrolled trainees with neither a check-in nor approved leave for the session."""
    rows = rollcall_rows(session, now=now)
    return [r.enrollment for r in rows if not (r.record and r.record.checked_in_at) and not r.on_leave]


def screen_mode(session: Session, course: Course, *, now: datetime) -> str:
    """What the session's classroom screen shows now (rules.screen_mode)."""
    return rules.screen_mode(
        now=now,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        opens_minutes=course.checkin_opens_minutes,
        requires_checkout=session.requires_checkout,
    )


def badge_sessions_today(course: Course, *, now: datetime) -> list[tuple[Session, str]]:
    """Today's sessions of the course, and any whose check-in or check-out is open now (an evening
    session that runs past midnight), each with what the classroom screen would show now ('before',
    'in', 'out' or 'closed'), for the page a badge's QR opens. One query."""
    today = timezone.localdate(now)
    shown = []
    for session in course.sessions.order_by("starts_at", "pk"):
        mode = screen_mode(session, course, now=now)
        if session.local_date == today or mode in ("in", "out"):
            shown.append((session, mode))
    return shown


def record_of(session: Session, enrollment: Enrollment) -> AttendanceRecord | None:
    return AttendanceRecord.objects.filter(session=session, enrollment=enrollment).first()


# --- One trainee --------------------------------------------------------------------------------------


@dataclass
class TraineeLine:
    session: Session
    status: rules.Status
    record: AttendanceRecord | None
    hours: Decimal
    running: bool  # under way: its 学时 count when it ends


def trainee_attendance(enrollment: Enrollment, *, now: datetime) -> dict:
    """The trainee's sessions with statuses, hours and the records' trails; totals; leave requests;
    discipline entries (all, and those not void)."""
    course = enrollment.course
    sheet = sheet_for_course(course, now=now, enrollments=[enrollment], trail=True)
    lines = []
    for session in sheet.sessions:
        status = sheet.status(session, enrollment)
        ended = session.ends_at <= now
        lines.append(
            TraineeLine(
                session,
                status,
                sheet.record(session, enrollment),
                rules.hours_earned(status, session.credit_hours, ended=ended),
                running=session.starts_at <= now < session.ends_at,
            )
        )
    result = {
        "lines": lines,
        "hours": sum((line.hours for line in lines), Decimal("0")),
        "total_hours": sum((s.credit_hours for s in sheet.sessions), Decimal("0")),
        "counts": _tally(line.status for line in lines),
        "leave_requests": list(
            enrollment.leave_requests.prefetch_related("sessions", "decisions__decided_by").order_by("-requested_at")
        ),
    }
    discipline = list(enrollment.discipline_records.select_related("session", "recorded_by").order_by("-recorded_at"))
    result["discipline"] = discipline
    result["active_discipline"] = [d for d in discipline if d.voided_at is None]
    return result


def statuses_for_trainee(enrollment: Enrollment, *, now: datetime) -> dict[int, rules.Status]:
    """Session id → the trainee's status, for the trainee's home page. Three queries."""
    sheet = sheet_for_course(enrollment.course, now=now, enrollments=[enrollment])
    return {session.pk: sheet.status(session, enrollment) for session in sheet.sessions}


# --- Leave and discipline lists -------------------------------------------------------------------------


def leave_list_for_course(course: Course, *, status: str | None = None):
    """The course's leave requests, newest first, with trainee, sessions and decisions loaded."""
    leaves = (
        LeaveRequest.objects.filter(enrollment__course=course)
        .select_related("enrollment__trainee")
        .prefetch_related("sessions", "decisions__decided_by")
    )
    if status:
        leaves = leaves.filter(status=status)
    return leaves.order_by("-requested_at", "-pk")


def discipline_list_for_course(course: Course):
    """Every discipline entry of the course, void ones included, newest first."""
    return (
        DisciplineRecord.objects.filter(enrollment__course=course)
        .select_related("enrollment__trainee", "session", "recorded_by", "voided_by")
        .order_by("-recorded_at", "-pk")
    )


def discipline_points(course: Course) -> dict[int, int]:
    """Points per enrollment from records that are not void."""
    rows = (
        DisciplineRecord.objects.filter(enrollment__course=course, voided_at__isnull=True)
        .values_list("enrollment_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    return dict(rows)


# --- The bulletin -----------------------------------------------------------------------------------------


def _when(moment: datetime, *, clock: bool = False) -> str:
    return formats.moment_words(timezone.localtime(moment), clock=clock)


def _clock(moment: datetime | None) -> str:
    return formats.clock_words(timezone.localtime(moment)) if moment else ""


def bulletin_data(course: Course, *, day: date | None, now: datetime) -> dict:
    """The discipline bulletin (纪律通报) of one day or of the whole course, as plain JSON values, so
    a published bulletin can be frozen as it was: the sessions that have ended, 到课率 overall, per
    group and per session, who was late, left early, was absent or on leave, and the discipline
    entries that are not void. Every list is in time order (late arrivals by when they came, early
    leavers by when they left, discipline by the session's start or, without one, when it was
    recorded); times are words as the bulletin prints them (4月14日上午, 4月14日下午 14:30)."""
    sessions = [s for s in course.sessions.order_by("starts_at", "pk") if s.ends_at <= now]
    if day is not None:
        sessions = [s for s in sessions if s.local_date == day]
    sheet = sheet_for_course(course, now=now, sessions=sessions)
    late, early, absent, leave = [], [], [], []
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_session = []
    for session in sessions:
        attended = 0
        session_late, session_early = [], []
        for enrollment in sheet.enrollments:
            status = sheet.status(session, enrollment)
            record = sheet.record(session, enrollment)
            who = {"name": enrollment.trainee.name, "group": enrollment.group, "session": session.title}
            who["when"] = _when(session.starts_at)
            groups[enrollment.group][1] += 1
            if status.attended:
                attended += 1
                groups[enrollment.group][0] += 1
            if status.is_late and status.attended:
                item = {**who, "minutes": status.late_minutes, "time": _clock(record.checked_in_at)}
                session_late.append((record.checked_in_at, item))
            if status.is_early and status.attended:
                item = {**who, "minutes": status.early_minutes, "time": _clock(record.checked_out_at) or "未签退"}
                session_early.append((record.checked_out_at is None, record.checked_out_at or session.ends_at, item))
            if status.code == rules.ABSENT:
                absent.append(who)
            if status.code == rules.LEAVE:
                leave.append(who)
        # Stable sorts: people who came (or left) at the same minute stay in group order.
        late += [item for _, item in sorted(session_late, key=lambda pair: pair[0])]
        early += [item for *_, item in sorted(session_early, key=lambda triple: triple[:2])]
        per_session.append(
            {
                "title": session.title,
                "when": _when(session.starts_at, clock=True),
                "attended": attended,
                "expected": len(sheet.enrollments),
                "rate": rules.rate(attended, len(sheet.enrollments)),
            }
        )
    discipline = DisciplineRecord.objects.filter(enrollment__course=course, voided_at__isnull=True).select_related(
        "enrollment__trainee", "session"
    )
    if day is not None:
        discipline = [
            d for d in discipline if (d.session.local_date if d.session else timezone.localdate(d.recorded_at)) == day
        ]
    discipline = sorted(
        discipline, key=lambda d: (d.session.starts_at if d.session else d.recorded_at, d.recorded_at, d.pk)
    )
    attended_total = sum(row["attended"] for row in per_session)
    expected_total = sum(row["expected"] for row in per_session)
    return {
        "day": day.isoformat() if day else None,
        "as_of": _when(now, clock=True),
        "enrolled": len(sheet.enrollments),
        "sessions": per_session,
        "attended": attended_total,
        "expected": expected_total,
        "rate": rules.rate(attended_total, expected_total),
        "groups": [
            {"group": group or "未分组", "attended": a, "expected": e, "rate": rules.rate(a, e)}
            for group, (a, e) in sorted(groups.items(), key=lambda item: training_rules.group_sort_key(item[0]))
        ],
        "late": late,
        "early": early,
        "absent": absent,
        "leave": leave,
        "discipline": [
            {
                "name": d.enrollment.trainee.name,
                "group": d.enrollment.group,
                "kind": d.get_kind_display(),
                "minutes_out": d.minutes_out,
                "points": d.points,
                "session": d.session.title if d.session else "",
                "when": _when(d.session.starts_at) if d.session else _when(d.recorded_at, clock=True),
            }
            for d in discipline
        ],
    }


def bulletin_default_wording(course: Course, *, day: date | None, data: dict) -> rules.BulletinWording:
    """The title, 主送, opening and closing a bulletin gets unless the advisor rewrites them."""
    return rules.bulletin_wording(
        course_name=course.name, day=day, course_start=course.start_date, course_end=course.end_date, data=data
    )


def _document(*, issuer, doc_number, title, recipients, opening, closing, signed_on: date, data) -> dict:
    return {
        "issuer": issuer,
        "doc_number": doc_number,
        "title": title,
        "recipients": recipients,
        "opening": rules.paragraphs(opening),
        "closing": rules.paragraphs(closing),
        "signed_on": formats.document_date(signed_on),
        "data": data,
    }


def bulletin_document(bulletin) -> dict:
    """A published bulletin as the 公文 it was issued as, in plain values the page and the PDF share:
    the issuing organ (版头 and signature), 发文字号, title, 主送, opening and closing as paragraphs,
    the 成文日期 in Arabic numerals (2026年4月16日) and the frozen figures. No query: the row
    holds all of it."""
    return _document(
        issuer=bulletin.issuer,
        doc_number=bulletin.doc_number,
        title=bulletin.title,
        recipients=bulletin.recipients,
        opening=bulletin.opening,
        closing=bulletin.closing,
        signed_on=timezone.localdate(bulletin.published_at),
        data=bulletin.data,
    )


def bulletin_draft(course: Course, *, day: date | None, now: datetime, wording=None) -> dict:
    """The bulletin as it would be published now, in the shape of bulletin_document, with the
    number the next publication would get, and `default_wording` to fill the form with. `wording`
    (a BulletinWording, e.g. what the advisor typed) replaces the defaults in the preview. One query
    besides bulletin_data's (the highest number so far); the course's organization is expected
    loaded."""
    data = bulletin_data(course, day=day, now=now)
    default = bulletin_default_wording(course, day=day, data=data)
    words = wording or default
    highest = course.bulletins.aggregate(highest=Max("number"))["highest"] or 0
    local_now = timezone.localtime(now)
    document = _document(
        issuer=course.organization.name,
        doc_number=formats.document_number(course.bulletin_number_prefix, year=local_now.year, number=highest + 1),
        title=words.title,
        recipients=words.recipients,
        opening=words.opening,
        closing=words.closing,
        signed_on=local_now.date(),
        data=data,
    )
    return {**document, "default_wording": default}


def bulletins_for_course(course: Course):
    """Published bulletins, newest first."""
    return course.bulletins.select_related("published_by").order_by("-published_at", "-pk")
