"""结班归档 (writes): a course closed for changes after its dossier is made, and the audited reopen.
Every service that changes a course's attendance, leave, discipline, assessment, completion or
roster calls `ensure_open` first."""

from django.db import transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError

from .models import Course

ARCHIVED = (
    "培训班已结班归档，考勤、请假、违纪、考核和结业都不能再修改。确需修改的，请组织者先“重新开放”（记入审计日志）。"
)


def ensure_open(course: Course) -> None:
    """Every service that changes a course's attendance, leave, discipline, assessment, completion or
    roster asks this first: an archived course is read-only until an audited reopen. Reads the flag
    from the database, so a course object loaded before the archive cannot slip through."""
    if Course.objects.filter(pk=course.pk, archived_at__isnull=False).exists():
        raise DomainError("archived", ARCHIVED)


@transaction.atomic
def course_archive(*, course: Course, by) -> Course:
    """结班归档: the course becomes read-only and 已结业. Archiving an archived course is refused."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.archived:
        raise DomainError("archived", "培训班已经结班归档。")
    course.archived_at, course.archived_by, course.status = timezone.now(), by, Course.Status.CLOSED
    course.save(update_fields=["archived_at", "archived_by", "status", "updated_at"])
    audit.record("course.archive", course=course, by=by, obj=course, label=course.name, after={"archived": True})
    return course


@transaction.atomic
def course_reopen(*, course: Course, by, reason: str) -> Course:
    """Opens an archived course for changes again, with the reason in the audit log. The dossier made
    at the archive stays as it was; archiving again makes a new one."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.archived:
        raise DomainError("not_archived", "培训班没有归档，不需要重新开放。")
    reason = reason.strip()
    if not reason:
        raise DomainError("reason", "请写明重新开放的理由（记入审计日志）。", "reason")
    before = {"archived_at": course.archived_at}
    course.archived_at, course.archived_by = None, None
    course.save(update_fields=["archived_at", "archived_by", "updated_at"])
    audit.record(
        "course.reopen", course=course, by=by, obj=course, label=course.name, before=before, after={"reason": reason}
    )
    return course
