"""Who may see what in materials: staff reach a material through a course they may see
(organizers of its organization change it); trainees read the released materials of their own
courses only."""

from datetime import datetime

from django.http import Http404

from training import access as training_access
from training.models import Course, Enrollment, Trainee

from .models import Material


def material_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Material:
    """A material of a course the staff member may see (404 otherwise; 403 without `manage` rights
    when `manage`)."""
    course = training_access.course_for_staff(user, code, manage=manage)
    material = Material.objects.filter(course=course, pk=pk).first()
    if material is None:
        raise Http404("没有这份材料")
    material.course = course
    return material


def material_for_trainee(trainee: Trainee, pk: int, *, now: datetime) -> tuple[Material, Enrollment]:
    """A released material of a published or closed course the trainee is enrolled in (and has
    not withdrawn from), with the enrollment; 404 for anything else, including a material not
    released yet."""
    material = Material.objects.select_related("course").filter(pk=pk).first()
    enrollment = None
    if material is not None and material.course_id is not None:
        enrollment = Enrollment.objects.filter(
            course_id=material.course_id,
            trainee=trainee,
            status=Enrollment.Status.ENROLLED,
            course__status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED],
        ).first()
    if enrollment is None or (material.release_at is not None and material.release_at > now):
        raise Http404("没有这份材料，或它还没有开放")
    enrollment.course = material.course
    return material, enrollment
