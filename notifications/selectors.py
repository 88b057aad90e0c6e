from django.db.models import Count, QuerySet

from training.models import Course

from .models import Notification


def notification_list_for_course(
    course: Course, *, status: str = "", kind: str = "", session: int | None = None
) -> QuerySet[Notification]:
    """The course's outbox, newest first, filtered by status, kind and session."""
    rows = course.notifications.select_related("session")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if session:
        rows = rows.filter(session_id=session)
    return rows.order_by("-created_at", "-pk")


def notification_counts_for_course(course: Course) -> dict[str, int]:
    """How many of the course's messages are in each status."""
    return dict(course.notifications.values_list("status").annotate(n=Count("pk")).order_by())
