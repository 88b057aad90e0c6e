"""Who may reach an evaluation form: the course's staff (through the course; its organizers to
edit), and trainees only for their own course (through their enrollment)."""

from django.http import Http404

from attendance import access as attendance_access
from training import access as training_access
from training.models import Enrollment, Session, Trainee

from . import rules, selectors
from .models import EvaluationForm


def form_for_staff(user, code: str, kind: str, *, manage: bool = False) -> EvaluationForm:
    """The course's form of `kind` (lecture, field, course) as it stands — the template's default,
    unsaved, until someone answers or edits it."""
    course = training_access.course_for_staff(user, code, manage=manage)
    if kind not in rules.TEMPLATES:
        raise Http404("没有这张评价表")
    return selectors.forms_of(course)[1][kind]


def session_for_trainee(trainee: Trainee, pk: int) -> tuple[Session, Enrollment]:
    """A session of a course the trainee is on the roster of, with the enrollment (404 otherwise)."""
    session, enrollment = attendance_access.session_for_trainee(trainee, pk)
    session.course = enrollment.course
    return session, enrollment


def enrollment_for_trainee(trainee: Trainee, code: str) -> Enrollment:
    return attendance_access.enrollment_for_trainee(trainee, code)
