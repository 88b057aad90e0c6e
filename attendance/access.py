"""Who may see what in attendance, on top of `training.access`: staff reach leave requests,
discipline records and bulletins only through a course they may see; trainees reach only their own
enrollments, their own leave and the published bulletins of their own courses."""

from django.http import Http404

from training import access as training_access
from training.models import Enrollment, Session, Trainee

from . import tokens
from .models import Bulletin, DisciplineRecord, LeaveRequest


def enrollment_for_badge(user, badge_code: str) -> Enrollment:
    """The enrollment a badge code names, if it is genuine and of a course the staff member may
    see (404 otherwise, the same for a forged code as for another organization's trainee)."""
    enrollment_id = tokens.badge_enrollment_id(badge_code)
    enrollment = Enrollment.objects.select_related("course").filter(pk=enrollment_id).first() if enrollment_id else None
    if enrollment is None:
        raise Http404("没有这个胸牌")
    return training_access.enrollment_for_staff(user, enrollment.course.code, enrollment.pk)


def leave_for_staff(user, code: str, pk: int) -> LeaveRequest:
    """A leave request of a course the staff member may see (404 otherwise)."""
    course = training_access.course_for_staff(user, code)
    leave = (
        LeaveRequest.objects.select_related("enrollment__trainee")
        .prefetch_related("sessions", "decisions__decided_by")
        .filter(enrollment__course=course, pk=pk)
        .first()
    )
    if leave is None:
        raise Http404("没有这份请假")
    leave.enrollment.course = course
    return leave


def discipline_for_staff(user, code: str, pk: int) -> DisciplineRecord:
    """A discipline entry of a course the staff member may see (404 otherwise)."""
    course = training_access.course_for_staff(user, code)
    record = DisciplineRecord.objects.filter(enrollment__course=course, pk=pk).first()
    if record is None:
        raise Http404("没有这条纪律记录")
    return record


def bulletin_for_staff(user, code: str, pk: int) -> Bulletin:
    """A published bulletin of a course the staff member may see (404 otherwise)."""
    course = training_access.course_for_staff(user, code)
    bulletin = Bulletin.objects.filter(course=course, pk=pk).first()
    if bulletin is None:
        raise Http404("没有这期通报")
    bulletin.course = course
    return bulletin


def approver_role(user, course) -> str:
    """Organizers (and superusers) decide as organizers, the course's advisors as advisors."""
    return "organizer" if training_access.can_manage(user, course) else "advisor"


def enrollment_for_trainee(trainee: Trainee, code: str) -> Enrollment:
    """The trainee's own enrollment in the course with this code (404 otherwise)."""
    enrollment = (
        Enrollment.objects.select_related("course__organization", "trainee")
        .filter(trainee=trainee, course__code=code)
        .first()
    )
    if enrollment is None:
        raise Http404("您没有参加这个培训班")
    return enrollment


def session_for_trainee(trainee: Trainee, pk: int) -> tuple[Session, Enrollment]:
    """The session a classroom QR points at and the trainee's enrollment in its course; 404 for a
    session of a course the trainee is not on the roster of."""
    session = Session.objects.select_related("course").filter(pk=pk).first()
    enrollment = Enrollment.objects.filter(course_id=session.course_id, trainee=trainee).first() if session else None
    if enrollment is None:
        raise Http404("没有这个课次，或您不在这个培训班的花名册中")
    enrollment.course = session.course
    return session, enrollment


def leave_for_trainee(trainee: Trainee, pk: int) -> LeaveRequest:
    """One of the trainee's own leave requests (404 for anyone else's)."""
    leave = LeaveRequest.objects.select_related("enrollment__course").filter(enrollment__trainee=trainee, pk=pk).first()
    if leave is None:
        raise Http404("没有这份请假")
    return leave


def bulletin_for_trainee(trainee: Trainee, pk: int) -> Bulletin:
    """A published bulletin of a course the trainee is on the roster of (404 otherwise)."""
    bulletin = Bulletin.objects.select_related("course").filter(pk=pk, course__enrollments__trainee=trainee).first()
    if bulletin is None:
        raise Http404("没有这期通报")
    return bulletin
