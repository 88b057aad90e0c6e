"""Who may reach what of 报到、住宿和就餐, on top of `training.access`: staff through a course
they may see (its organizers to change rooms and settings; its advisors run the desk and record
needs), trainees only their own enrollment."""

from django.http import Http404

from attendance import access as attendance_access
from training import access as training_access
from training.models import Enrollment, Trainee

from .models import Room


def room_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Room:
    """A room of the course's organization (404 otherwise)."""
    course = training_access.course_for_staff(user, code, manage=manage)
    room = Room.objects.filter(organization_id=course.organization_id, pk=pk).first()
    if room is None:
        raise Http404("没有这个房间")
    room.course = course
    return room


def enrollment_for_trainee(trainee: Trainee, code: str) -> Enrollment:
    return attendance_access.enrollment_for_trainee(trainee, code)
