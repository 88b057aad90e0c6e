"""Reads shared by pages, exports and commands, with their joins inside so that a page runs a
fixed number of queries however long the roster is."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from . import access, rules
from .models import Course, Enrollment, Lecturer, Organization, Session, Trainee

NO_GROUP = "__none__"  # the group filter value for trainees without a group


def course_list_for_staff(user) -> QuerySet[Course]:
    """The user's courses with their trainee and session counts (one query)."""
    return (
        Course.objects.filter(pk__in=access.courses_for_staff(user).values("pk"))
        .select_related("organization")
        .annotate(
            trainee_count=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED), distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .order_by("-start_date", "code")
    )


def timetable_for_course(course: Course) -> list[rules.TimetableDay]:
    return rules.timetable_days(course.start_date, course.end_date, course.sessions.all(), timezone.localdate)


@dataclass
class CourseOverview:
    trainee_count: int
    withdrawn_count: int
    groups: list[tuple[str, int]]
    session_count: int
    credit_hours: object
    today: list
    next_session: Session | None
    advisors: list


def course_overview(course: Course, *, now=None) -> CourseOverview:
    now = now or timezone.now()
    sessions = list(course.sessions.all())
    today = timezone.localdate(now)
    return CourseOverview(
        trainee_count=course.enrollments.filter(status=Enrollment.Status.ENROLLED).count(),
        withdrawn_count=course.enrollments.filter(status=Enrollment.Status.WITHDRAWN).count(),
        groups=groups_of_course(course),
        session_count=len(sessions),
        credit_hours=course.sessions.aggregate(total=Sum("credit_hours"))["total"] or 0,
        today=[s for s in sessions if timezone.localdate(s.starts_at) == today],
        next_session=next((s for s in sessions if s.starts_at > now), None),
        advisors=list(course.advisors.all()),
    )


def groups_of_course(course: Course) -> list[tuple[str, int]]:
    """(group, number of enrolled trainees), numbered groups in number order."""
    rows = (
        course.enrollments.filter(status=Enrollment.Status.ENROLLED)
        .values_list("group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return sorted(rows, key=lambda row: rules.group_sort_key(row[0]))


def roster_for_course(course: Course, *, q: str = "", group: str | None = None) -> QuerySet[Enrollment]:
    """The roster (花名册) with each trainee joined in; `q` searches name, phone, work unit and
    student number; `group` filters one group ('' for trainees without a group)."""
    enrollments = course.enrollments.select_related("trainee").order_by("student_no", "pk")
    if q:
        enrollments = enrollments.filter(
            Q(trainee__name__icontains=q)
            | Q(trainee__phone__contains=q)
            | Q(trainee__work_unit__icontains=q)
            | Q(student_no=q)
        )
    if group is not None:
        enrollments = enrollments.filter(group=group)
    return enrollments


def roster_export_rows(course: Course, *, codes: bool = False) -> list[list[str]]:
    """The rows of the exported 花名册; with `codes`, each ends with the trainee's login code."""
    return [
        [
            e.student_no,
            e.trainee.name,
            e.trainee.get_gender_display(),
            e.trainee.ethnicity,
            e.trainee.political_status,
            e.trainee.work_unit,
            e.trainee.position,
            e.trainee.phone,
            e.group,
            e.get_status_display(),
            *([e.trainee.access_code] if codes else []),
        ]
        for e in roster_for_course(course)
    ]


def trainee_courses(trainee: Trainee) -> list[Enrollment]:
    """The trainee's enrollments in courses that are not in preparation, with each course's
    sessions and advisors loaded, newest course first."""
    return list(
        trainee.enrollments.filter(course__status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED])
        .select_related("course__organization")
        .prefetch_related(
            Prefetch("course__sessions", queryset=Session.objects.order_by("starts_at")),
            "course__advisors",
        )
        .order_by("-course__start_date")
    )


def trainee_agenda(enrollment: Enrollment, *, today: date) -> rules.Agenda:
    return rules.trainee_agenda(enrollment.course.sessions.all(), today=today, local_date=timezone.localdate)


def audit_entries_for_course(course: Course, *, kind: str = ""):
    """The course's audit log, newest first; `kind` narrows it to one area (e.g. 'leave')."""
    entries = course.audit_entries.all()
    return entries.filter(action__startswith=f"{kind}.") if kind else entries


def lecturer_list_for_organization(organization: Organization, *, q: str = "") -> list[Lecturer]:
    """The 师资库, active lecturers first, each with the number of sessions given, the cap of
    their rank and whether their rate is above it (one query); `q` searches name, title, unit
    and topics."""
    lecturers = organization.lecturers.annotate(session_count=Count("session_lecturers")).order_by(
        "-is_active", "name", "pk"
    )
    if q:
        lecturers = lecturers.filter(
            Q(name__icontains=q) | Q(title__icontains=q) | Q(unit__icontains=q) | Q(topics__icontains=q)
        )
    caps = organization.fee_caps()
    found = list(lecturers)
    for lecturer in found:
        lecturer.cap = caps[lecturer.rank]
        lecturer.over_cap = rules.fee_over_cap(lecturer.fee_rate, lecturer.cap)
    return found


def lecturer_sessions_for_staff(user, lecturer: Lecturer) -> list[Session]:
    """Every session the lecturer gave or will give in the organization's courses the user may see,
    newest first, each with its course (one query)."""
    visible = access.courses_for_staff(user).filter(organization_id=lecturer.organization_id).values("pk")
    return list(lecturer.sessions.filter(course__in=visible).select_related("course").order_by("-starts_at", "-pk"))
