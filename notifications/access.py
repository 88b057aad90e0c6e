"""Changing the outbox (resend, cancel) is for the course's organizers."""

from django.http import Http404

from training import access as training_access

from .models import Notification


def notification_for_organizer(user, code: str, pk: int) -> Notification:
    """A message of a course the user organizes (404 for other courses, 403 for its advisors)."""
    course = training_access.course_for_staff(user, code, manage=True)
    notification = Notification.objects.filter(course=course, pk=pk).first()
    if notification is None:
        raise Http404("没有这条提醒")
    return notification
