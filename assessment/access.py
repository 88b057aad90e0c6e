"""Who may reach a 学习心得: the course's staff through the course (organizers and its 班主任), or the
trainee who wrote it, through their own enrollment."""

from django.http import Http404

from training.access import course_for_staff
from training.models import Enrollment

from .models import Essay


def essay_for_staff(user, code: str, pk: int) -> Essay:
    """A 心得 of a course the staff member may see (404 otherwise)."""
    course = course_for_staff(user, code)
    essay = Essay.objects.select_related("enrollment__trainee", "graded_by").filter(enrollment__course=course, pk=pk)
    essay = essay.first()
    if essay is None:
        raise Http404("没有这份学习心得")
    essay.enrollment.course = course
    return essay


def enrollment_for_trainee(trainee, code: str):
    """The trainee's own enrollment in the course with this code (404 otherwise)."""
    enrollment = (
        Enrollment.objects.select_related("course", "trainee").filter(trainee=trainee, course__code=code).first()
    )
    if enrollment is None:
        raise Http404("您没有参加这个培训班")
    return enrollment
