"""Who may reach an evaluation form: the course's staff (through the course; its organizers to
edit), and trainees only for their own course (through their enrollment)."""

from django.http import Http404

from attendance import access as attendance_access
from training import access as training_access
from training.models import Enrollment, Session, Trainee

from .models import EvaluationForm


def form_for_staff(user, code: str, pk: int, *, manage: bool = False) -> EvaluationForm:
    course = training_access.course_for_staff(user, code, manage=manage)
    form = EvaluationForm.objects.filter(course=course, pk=pk).first()
    if form is None:
        raise Http404("没有这张评价表")
    form.course = course
    return form


def session_for_trainee(trainee: Trainee, pk: int) -> tuple[Session, Enrollment]:
    """A session of a course the trainee is on the roster of, with the enrollment (404 otherwise)."""
    session, enrollment = attendance_access.session_for_trainee(trainee, pk)
    session.course = enrollment.course
    return session, enrollment


def enrollment_for_trainee(trainee: Trainee, code: str) -> Enrollment:
    return attendance_access.enrollment_for_trainee(trainee, code)
