"""The assessment's writes: the plan, the grid, the test-score file (all or nothing), the trainee's
心得 (deadline, edit until graded), its grade and the discussion records; each audited, none on an
archived course."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from assessment import rules, services
from assessment.models import AssessmentItem, DiscussionRecord, Essay, Score
from core.errors import DomainError
from core.models import AuditEntry
from training.archive import course_archive

from .helpers import assessed, docx_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_the_plan_keeps_the_items_with_a_weight_and_refuses_weights_not_adding_to_100(course, organizer):
    assessed(course, organizer, weights={rules.TEST: 60, rules.EVERYDAY: 40}, pass_marks={rules.TEST: Decimal(60)})
    assert sorted(AssessmentItem.objects.values_list("kind", "weight", "pass_mark")) == [
        ("everyday", 40, None),
        ("test", 60, Decimal("60.0")),
    ]
    with pytest.raises(DomainError) as error:
        assessed(course, organizer, weights={rules.TEST: 50, rules.EVERYDAY: 40})
    assert error.value.code == "weights" and "90%" in error.value.message
    assert AssessmentItem.objects.count() == 2  # unchanged
    assert AuditEntry.objects.filter(action="assessment.plan").count() == 1


def test_the_grid_sets_changes_and_clears_marks_with_an_audit_entry_each(course, enrollment, other_enrollment, advisor):
    assessed(course, advisor, weights={rules.TEST: 60, rules.EVERYDAY: 40})
    values = {enrollment.pk: Decimal("88"), other_enrollment.pk: Decimal("52.5")}
    assert services.scores_save(course=course, kind=rules.TEST, values=values, by=advisor) == 2
    assert services.scores_save(course=course, kind=rules.TEST, values=values, by=advisor) == 0  # idempotent
    changed = services.scores_save(
        course=course, kind=rules.TEST, values={enrollment.pk: None, other_enrollment.pk: Decimal(60)}, by=advisor
    )
    assert changed == 2
    assert list(Score.objects.values_list("enrollment_id", "score")) == [(other_enrollment.pk, Decimal("60.0"))]
    assert AuditEntry.objects.filter(action="assessment.score").count() == 4


def test_the_grid_refuses_an_item_the_course_does_not_assess(course, enrollment, organizer):
    assessed(course, organizer)
    with pytest.raises(DomainError) as error:
        services.scores_save(course=course, kind=rules.SPEECH, values={enrollment.pk: Decimal(80)}, by=organizer)
    assert "交流发言" in error.value.message
    assert not Score.objects.exists()


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row_and_person(
    course, enrollment, other_enrollment, organizer
):
    assessed(course, organizer)
    content = xlsx_bytes([["学号", "姓名", "成绩"], ["001", "张丽华", 86], ["002", "陈建国", "缺考"]])
    with pytest.raises(DomainError) as error:
        services.scores_import(course=course, content=content, filename="成绩.xlsx", by=organizer)
    assert error.value.message == "第3行（陈建国）：成绩“缺考”不是 0 到 100 之间的分数（最多一位小数）。"
    assert error.value.field == "file"
    assert not Score.objects.exists() and not AuditEntry.objects.filter(action="assessment.import").exists()
    content = xlsx_bytes([["学号", "姓名", "成绩"], ["001", "张丽华", 86], ["002", "陈建国", 0]])
    assert services.scores_import(course=course, content=content, filename="成绩.xlsx", by=organizer) == 2
    assert dict(Score.objects.values_list("enrollment__student_no", "score")) == {"001": 86, "002": 0}
    assert AuditEntry.objects.filter(action="assessment.import").count() == 2


def test_an_unreadable_file_is_refused_in_words(course, organizer):
    assessed(course, organizer)
    with pytest.raises(DomainError) as error:
        services.scores_import(course=course, content=b"PK\x03\x04broken", filename="x.xlsx", by=organizer)
    assert "Excel" in error.value.message


def test_an_essay_is_written_changed_until_graded_then_locked(course, enrollment, advisor):
    assessed(course, advisor)
    essay = services.essay_submit(enrollment=enrollment, title="学习体会", body="第一稿")
    essay = services.essay_submit(enrollment=enrollment, title="学习体会", body="第二稿")
    assert Essay.objects.get().body == "第二稿"
    services.essay_grade(essay=essay, score=Decimal(85), comment="联系实际，较好", by=advisor)
    with pytest.raises(DomainError) as error:
        services.essay_submit(enrollment=enrollment, title="", body="第三稿")
    assert error.value.code == "graded"
    essay.refresh_from_db()
    assert (essay.body, essay.score, essay.comment) == ("第二稿", Decimal(85), "联系实际，较好")
    assert AuditEntry.objects.filter(action="assessment.essay_submit").count() == 2
    grade = AuditEntry.objects.get(action="assessment.essay_grade")
    assert grade.after == {"score": "85", "comment": "联系实际，较好"} and grade.actor == advisor


def test_an_essay_after_the_deadline_is_refused(course, enrollment, organizer):
    due = timezone_now() + timedelta(hours=1)
    assessed(course, organizer, essay_due_at=due)
    with time_machine.travel(due + timedelta(minutes=1), tick=False), pytest.raises(DomainError) as error:
        services.essay_submit(enrollment=enrollment, title="", body="迟交")
    assert error.value.code == "late" and "截止" in error.value.message
    with time_machine.travel(due - timedelta(minutes=1), tick=False):
        services.essay_submit(enrollment=enrollment, title="", body="按时")
    assert Essay.objects.get().body == "按时"


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_an_essay_file_must_be_what_its_name_says(course, enrollment, organizer):
    assessed(course, organizer)
    for content, name, words in (
        (b"MZ\x90", "心得.exe", "只能上传"),
        (b"not a pdf", "心得.pdf", "PDF"),
        (b"PK\x03\x04", "心得.docx", "Word"),
        (b"x" * (5 * 1024 * 1024 + 1), "心得.txt", "5 MB"),
    ):
        with pytest.raises(DomainError) as error:
            services.essay_submit(enrollment=enrollment, title="", body="", content=content, filename=name)
        assert words in error.value.message and error.value.field == "file"
    assert not Essay.objects.exists()
    essay = services.essay_submit(
        enrollment=enrollment, title="", body="", content=docx_bytes(), filename="我的心得.docx"
    )
    assert essay.filename == "我的心得.docx" and essay.file.read() == docx_bytes()


def test_no_essay_is_taken_when_the_course_does_not_ask_for_one(course, enrollment, organizer):
    with pytest.raises(DomainError) as error:
        services.essay_submit(enrollment=enrollment, title="", body="心得")
    assert error.value.code == "no_essay"


def test_a_discussion_record_needs_a_recorder_of_that_group(course, enrollment, other_enrollment, advisor):
    with pytest.raises(DomainError) as error:
        services.discussion_record(
            course=course,
            group="第二组",
            topic="如何做好职工维权",
            recorder=enrollment,
            summary="纪要",
            held_at=timezone_now(),
            by=advisor,
        )
    assert error.value.field == "recorder"
    record = services.discussion_record(
        course=course,
        group="第二组",
        topic="如何做好职工维权",
        recorder=other_enrollment,
        summary="纪要",
        held_at=timezone_now(),
        by=advisor,
    )
    assert DiscussionRecord.objects.get() == record
    assert AuditEntry.objects.filter(action="assessment.discussion").count() == 1


def test_an_archived_course_takes_no_assessment_change(course, enrollment, organizer):
    assessed(course, organizer)
    essay = services.essay_submit(enrollment=enrollment, title="", body="心得")
    course_archive(course=course, by=organizer)
    calls = [
        lambda: assessed(course, organizer),
        lambda: services.scores_save(course=course, kind=rules.TEST, values={enrollment.pk: Decimal(1)}, by=organizer),
        lambda: services.essay_submit(enrollment=enrollment, title="", body="改"),
        lambda: services.essay_grade(essay=essay, score=Decimal(80), comment="", by=organizer),
    ]
    for call in calls:
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "archived"
    assert not Score.objects.exists() and Essay.objects.get().score is None


def test_a_replaced_essay_file_is_removed_once_the_new_one_is_saved(
    course, enrollment, organizer, django_capture_on_commit_callbacks
):
    assessed(course, organizer)
    first = services.essay_submit(enrollment=enrollment, title="", body="", content=b"one", filename="a.txt")
    old = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.essay_submit(enrollment=enrollment, title="", body="", content=b"two", filename="b.txt")
    assert not second.file.storage.exists(old) and second.file.read() == b"two"
