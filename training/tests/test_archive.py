"""结班归档: an archived course refuses changes until a reopen with a reason, both in the audit log."""

import pytest

from core.errors import DomainError
from core.models import AuditEntry
from training import archive
from training.models import Course

pytestmark = pytest.mark.django_db


def test_archiving_closes_the_course_for_changes_until_an_audited_reopen(course, organizer):
    archive.ensure_open(course)  # open: nothing raised

    archive.course_archive(course=course, by=organizer)

    stale = course  # loaded before the archive: the guard reads the database, not this object
    with pytest.raises(DomainError) as refused:
        archive.ensure_open(stale)
    assert refused.value.code == "archived" and "结班归档" in refused.value.message
    course.refresh_from_db()
    assert course.archived and course.status == Course.Status.CLOSED and course.archived_by == organizer

    with pytest.raises(DomainError) as no_reason:
        archive.course_reopen(course=course, by=organizer, reason="  ")
    assert no_reason.value.field == "reason"
    assert course.__class__.objects.get(pk=course.pk).archived

    archive.course_reopen(course=course, by=organizer, reason="补录一名学员的结业测试成绩")
    archive.ensure_open(course)
    entries = list(AuditEntry.objects.filter(course=course).order_by("pk").values_list("action", "after"))
    assert entries == [
        ("course.archive", {"archived": True}),
        ("course.reopen", {"reason": "补录一名学员的结业测试成绩"}),
    ]


def test_archiving_twice_or_reopening_an_open_course_is_refused(course, organizer):
    with pytest.raises(DomainError):
        archive.course_reopen(course=course, by=organizer, reason="x")
    archive.course_archive(course=course, by=organizer)
    with pytest.raises(DomainError):
        archive.course_archive(course=course, by=organizer)
