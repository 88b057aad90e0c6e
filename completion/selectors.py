"""What the completion pages and documents read: each trainee's figures and decision, and the
certificate register."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from assessment import rules as assessment_rules
from assessment.selectors import CourseMarks, marks_for_course
from attendance import rules as attendance_rules
from attendance.selectors import Sheet, discipline_points, sheet_for_course
from attendance.services import LeaveProjection
from training.models import Course, Enrollment, Session

from . import rules
from .models import Certificate, CompletionOverride


@dataclass
class CompletionRow:
    enrollment: Enrollment
    hours: Decimal
    absences: int
    leave_hours: Decimal
    points: int
    completion: rules.Completion
    override: object | None  # the latest CompletionOverride, if any
    everyday: Decimal | None = None  # 平时表现, when the course is assessed
    assessment: assessment_rules.Assessment | None = None  # None: the course is not assessed

    @property
    def eligible(self) -> bool:
        return self.override.eligible if self.override else self.completion.eligible


_READ = object()


def completion_for_course(
    course: Course, *, now: datetime, sheet: Sheet | None = None, marks: CourseMarks | None = _READ
) -> list[CompletionRow]:
    """Everyone on the roster with the figures the completion rule reads and its decision (with
    reasons), and an organizer's override where there is one; when the course is assessed, each
    trainee's 平时表现 (from the same attendance figures) and the weighted assessment, which the
    decision includes. Seven queries when the course is not assessed, nine when it is (two fewer
    with a sheet the caller already has, three fewer with its `marks` too)."""
    sheet = sheet or sheet_for_course(course, now=now)
    if marks is _READ:
        marks = marks_for_course(course)
    points = discipline_points(course)
    overrides = {}
    for override in CompletionOverride.objects.filter(enrollment__course=course).select_related("decided_by"):
        overrides[override.enrollment_id] = override  # ordered by time: the latest stands
    total = sum((s.credit_hours for s in sheet.sessions), Decimal("0"))
    ended = [s for s in sheet.sessions if s.ends_at <= now]
    ahead = [s for s in sheet.sessions if s.ends_at > now]
    held = sum((s.credit_hours for s in ended), Decimal("0"))
    rows = []
    for enrollment in sheet.enrollments:
        statuses = [(s, sheet.status(s, enrollment)) for s in ended]
        hours = sum((attendance_rules.hours_earned(st, s.credit_hours, ended=True) for s, st in statuses), Decimal("0"))
        leave_hours = sum((s.credit_hours for s, st in statuses if st.code == attendance_rules.LEAVE), Decimal("0"))
        leave_hours += sum((s.credit_hours for s in ahead if (s.pk, enrollment.pk) in sheet.leave), Decimal("0"))
        absences = sum(1 for _, st in statuses if st.code == attendance_rules.ABSENT)
        everyday = assessment = None
        if marks is not None:
            everyday = assessment_rules.everyday_score(  # of the 学时 held so far: final once all are
                attended_hours=hours,
                total_hours=held,
                lates=sum(1 for _, st in statuses if st.attended and st.is_late),
                early_leaves=sum(1 for _, st in statuses if st.attended and st.is_early),
                absences=absences,
                discipline_points=points.get(enrollment.pk, 0),
            )
            assessment = assessment_rules.assess(
                marks.items, marks.scores_of(enrollment.pk, everyday), marks.plan.pass_mark
            )
        decision = rules.completion(
            rules=rules.rules_of(course),
            total_hours=total,
            attended_hours=hours,
            absences=absences,
            leave_hours=leave_hours,
            discipline_points=points.get(enrollment.pk, 0),
            missed_required=tuple(s.title for s, st in statuses if s.required_for_completion and not st.attended)
            + tuple(s.title for s in ahead if s.required_for_completion and (s.pk, enrollment.pk) in sheet.leave),
            remaining_hours=sum(
                (s.credit_hours for s in ahead if (s.pk, enrollment.pk) not in sheet.leave), Decimal("0")
            ),
            remaining_required=tuple(
                s.title for s in ahead if s.required_for_completion and (s.pk, enrollment.pk) not in sheet.leave
            ),
            assessment=assessment,
        )
        rows.append(
            CompletionRow(
                enrollment,
                hours,
                absences,
                leave_hours,
                points.get(enrollment.pk, 0),
                decision,
                overrides.get(enrollment.pk),
                everyday,
                assessment,
            )
        )
    return rows


def leave_projection(*, enrollment: Enrollment, sessions: list[Session], now: datetime) -> LeaveProjection:
    """What leave from `sessions` would do to the trainee's 结业: the completion rule run on their
    figures as they are and as they would be with these sessions on leave (approved leave counted,
    pending requests not). Registered with attendance (completion/apps.py), which shows it on the
    leave form and the approval page and asks for a confirmation when it disqualifies."""
    course = enrollment.course
    sheet = sheet_for_course(course, now=now, enrollments=[enrollment])
    marks = marks_for_course(course, enrollments=[enrollment])
    before = completion_for_course(course, now=now, sheet=sheet, marks=marks)[0]
    sheet.leave |= {(s.pk, enrollment.pk) for s in sessions}
    after = completion_for_course(course, now=now, sheet=sheet, marks=marks)[0]
    ended = [s for s in sheet.sessions if s.ends_at <= now]
    lost = sum(
        (
            s.credit_hours - attendance_rules.hours_earned(sheet.status(s, enrollment), s.credit_hours, ended=True)
            for s in ended
            if (s.pk, enrollment.pk) not in sheet.leave
        ),
        Decimal("0"),
    )
    total = sum((s.credit_hours for s in sheet.sessions), Decimal("0"))
    allowance = rules.leave_allowance(rules=rules.rules_of(course), total_hours=total, lost_hours=lost)
    text, disqualifies = rules.leave_projection_text(
        asked=bool(sessions),
        leave_hours=after.leave_hours,
        allowance=allowance,
        before=before.completion,
        after=after.completion,
    )
    return LeaveProjection(text, disqualifies)


def completion_for_enrollment(enrollment: Enrollment, *, now: datetime) -> CompletionRow:
    """One trainee's row of the completion page (their own assessment on their phone)."""
    sheet = sheet_for_course(enrollment.course, now=now, enrollments=[enrollment])
    marks = marks_for_course(enrollment.course, enrollments=[enrollment])
    return completion_for_course(enrollment.course, now=now, sheet=sheet, marks=marks)[0]


# --- Certificates -------------------------------------------------------------------------------------


def certificate_job_latest(course: Course):
    """The course's latest certificate job (its progress on the register page), or None."""
    return course.certificate_jobs.select_related("requested_by").first()


def certificate_list_for_course(course: Course):
    """The course's certificate register in number order, every version."""
    return course.certificates.select_related("enrollment").order_by("seq", "version")


def certificate_for_token(token: str) -> Certificate | None:
    """The certificate a verification token names, for the public verify page."""
    return Certificate.objects.select_related("course__organization").filter(token=token).first()


def certificates_of(enrollment: Enrollment) -> list[Certificate]:
    return list(enrollment.certificates.order_by("-version"))


def certificates_to_download(enrollment: Enrollment) -> list[Certificate]:
    """The trainee's certificates of this course to offer for download on their phone pages: the
    valid one with its PDF made (revoked and superseded versions are not offered)."""
    return list(enrollment.certificates.filter(status=Certificate.Status.VALID).exclude(pdf="").order_by("-version"))
