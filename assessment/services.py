"""结业考核 (writes): the plan and its items, staff's scores (the grid and the test file), the
trainee's 学习心得 and its grade, the groups' discussion records. Each one checks first that the
course is not archived, validates everything before writing, runs in a transaction and leaves its
entry in the audit log."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError
from training.archive import ensure_open
from training.models import Course, Enrollment
from training.roster import RosterFileError, read_sheets

from . import rules
from .files import essay_file_problem
from .models import AssessmentItem, AssessmentPlan, DiscussionRecord, Essay, Score


@dataclass(frozen=True)
class ItemSetting:
    kind: str
    weight: int
    pass_mark: Decimal | None = None


@transaction.atomic
def plan_save(
    *, course: Course, by, pass_mark: Decimal, essay_due_at: datetime | None, items: list[ItemSetting]
) -> AssessmentPlan:
    """Sets the course's pass mark, 心得 deadline and items: weights add up to 100 (or are all 0: not
    assessed); an item with weight 0 and no pass mark of its own is removed. Idempotent."""
    ensure_open(course)
    problem = rules.weights_problem({i.kind: i.weight for i in items})
    if problem:
        raise DomainError("weights", problem)
    if any(i.kind not in rules.KINDS for i in items):
        raise DomainError("kind", "没有这个考核项目。")
    plan, _ = AssessmentPlan.objects.select_for_update().get_or_create(course=course)
    before = {"pass_mark": plan.pass_mark, "essay_due_at": plan.essay_due_at}
    before["items"] = {i.kind: i.weight for i in plan.items.all()}
    plan.pass_mark, plan.essay_due_at = pass_mark, essay_due_at
    plan.save(update_fields=["pass_mark", "essay_due_at"])
    plan.items.all().delete()
    kept = [i for i in items if i.weight or i.pass_mark is not None]
    AssessmentItem.objects.bulk_create(
        [AssessmentItem(plan=plan, kind=i.kind, weight=i.weight, pass_mark=i.pass_mark) for i in kept]
    )
    after = {"pass_mark": pass_mark, "essay_due_at": essay_due_at, "items": {i.kind: i.weight for i in kept}}
    audit.record("assessment.plan", course=course, by=by, obj=plan, label="考核方案", before=before, after=after)
    return plan


def _plan_items(course: Course) -> dict[str, AssessmentItem]:
    return {item.kind: item for item in AssessmentItem.objects.filter(plan__course=course)}


def _write_scores(
    *, course: Course, kind: str, values: dict[int, Decimal | None], by, action: str, at: datetime | None = None
) -> int:
    """Sets (or clears, with None) `kind` scores of enrollments of the course; returns how many
    changed. The caller holds the transaction."""
    if kind not in rules.ENTERED:
        raise DomainError("kind", "这个项目的成绩不在此录入。")
    if kind not in _plan_items(course):
        raise DomainError("kind", f"本班考核没有“{rules.KIND_LABELS[kind]}”这一项，请先在考核设置中加上。")
    enrollments = {e.pk: e for e in Enrollment.objects.filter(course=course, pk__in=values).select_related("trainee")}
    if unknown := set(values) - set(enrollments):
        raise DomainError("enrollment", f"本班没有这位学员（{sorted(unknown)[0]}）。")
    for pk, value in values.items():
        if value is not None and not (0 <= value <= rules.MAX_SCORE):
            raise DomainError("score", f"{enrollments[pk].trainee.name} 的成绩须在 0 到 100 之间。")
    now = at or timezone.now()
    existing = {
        s.enrollment_id: s
        for s in Score.objects.select_for_update().filter(
            enrollment__course=course, kind=kind, enrollment_id__in=values
        )
    }
    entries, changed = [], 0
    for pk, value in values.items():
        old = existing.get(pk)
        if (old.score if old else None) == value:
            continue
        changed += 1
        if value is None:
            old.delete()
        elif old:
            old.score, old.entered_by, old.entered_at = value, by, now
            old.save(update_fields=["score", "entered_by", "entered_at"])
        else:
            Score.objects.create(enrollment_id=pk, kind=kind, score=value, entered_by=by, entered_at=now)
        entries.append(
            audit.entry(
                action,
                course=course,
                by=by,
                obj=enrollments[pk],
                label=f"{enrollments[pk].trainee.name} {rules.KIND_LABELS[kind]}",
                before={"score": old.score if old else None},
                after={"score": value},
                at=now,
            )
        )
    audit.record_many(entries)
    return changed


@transaction.atomic
def scores_save(*, course: Course, kind: str, values: dict[int, Decimal | None], by, at: datetime | None = None) -> int:
    """The score grid: one item's marks of many trainees at once (an empty cell clears a mark).
    All or nothing; one audit entry per changed mark. Returns how many changed."""
    ensure_open(course)
    return _write_scores(course=course, kind=kind, values=values, by=by, action="assessment.score", at=at)


@transaction.atomic
def scores_import(*, course: Course, content: bytes, filename: str, by) -> int:
    """结业测试 scores from an .xlsx (or .csv) of 姓名/手机号/学号 and 成绩. Every row is checked
    first; any problem raises a DomainError listing each one by row and person, and nothing is
    written. Returns how many scores changed."""
    ensure_open(course)
    try:
        sheets = read_sheets(content, filename)
    except RosterFileError as error:
        raise DomainError("file", error.message, "file") from None
    people = [
        rules.Person(e.pk, e.trainee.name, e.trainee.phone, e.student_no)
        for e in Enrollment.objects.filter(course=course).select_related("trainee")
    ]
    parsed = rules.parse_scores(sheets[0].rows if sheets else [], people)
    if parsed.problems:
        raise DomainError("rows", "；".join(parsed.problems[:20]) + ("……" if len(parsed.problems) > 20 else ""), "file")
    return _write_scores(course=course, kind=rules.TEST, values=parsed.scores, by=by, action="assessment.import")


@transaction.atomic
def essay_submit(
    *,
    enrollment: Enrollment,
    title: str,
    body: str,
    content: bytes | None = None,
    filename: str = "",
    at: datetime | None = None,
) -> Essay:
    """The trainee's 学习心得, written (body) or uploaded (.docx/.txt/.pdf), before the deadline;
    a second call replaces the first until it is graded. Locks the enrollment row. `at` (the
    demo's history) stands for now."""
    course = enrollment.course
    ensure_open(course)
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    plan = AssessmentPlan.objects.filter(course=course).first()
    if plan is None or not plan.items.filter(kind=rules.ESSAY).exists():
        raise DomainError("no_essay", "本班考核不要求提交学习心得。")
    now = at or timezone.now()
    if plan.essay_due_at and now > plan.essay_due_at:
        due = timezone.localtime(plan.essay_due_at)
        raise DomainError("late", f"学习心得已于 {due:%Y年%-m月%-d日 %H:%M} 截止提交。")
    essay = Essay.objects.filter(enrollment=enrollment).first()
    if essay and essay.graded:
        raise DomainError("graded", "学习心得已经评分，不能再修改。")
    if content is not None:
        if problem := essay_file_problem(content, filename):
            raise DomainError("file", problem, "file")
    elif not body.strip() and not (essay and essay.file):
        raise DomainError("empty", "请填写心得正文，或上传心得文件。", "body")
    essay = essay or Essay(enrollment=enrollment)
    essay.title, essay.body, essay.submitted_at = title.strip(), body.strip(), now
    if content is not None:
        if essay.file:  # the replaced file goes once the new one is committed, not before
            old, storage = essay.file.name, essay.file.storage
            transaction.on_commit(lambda: storage.delete(old))
        essay.file.save(f"{enrollment.pk}{Path(filename).suffix.lower()}", ContentFile(content), save=False)
        essay.filename = Path(filename).name[:120]
    essay.save()
    audit.record(
        "assessment.essay_submit",
        course=course,
        who=enrollment.trainee.name,
        obj=essay,
        label=f"{enrollment.trainee.name} 学习心得",
        after={"title": essay.title, "file": essay.filename, "chars": len(essay.body)},
        at=now,
    )
    return essay


@transaction.atomic
def essay_grade(*, essay: Essay, score: Decimal, comment: str, by, at: datetime | None = None) -> Essay:
    """The advisor's (or organizer's) grade of a 心得: a score 0–100 and a comment; grading again
    changes it (both in the audit log). Locks the essay row."""
    course = essay.enrollment.course
    ensure_open(course)
    essay = Essay.objects.select_for_update().select_related("enrollment__trainee").get(pk=essay.pk)
    if not (0 <= score <= rules.MAX_SCORE):
        raise DomainError("score", "评分须在 0 到 100 之间。", "score")
    before = {"score": essay.score, "comment": essay.comment}
    essay.score, essay.comment, essay.graded_by, essay.graded_at = score, comment.strip(), by, at or timezone.now()
    essay.save(update_fields=["score", "comment", "graded_by", "graded_at"])
    audit.record(
        "assessment.essay_grade",
        course=course,
        by=by,
        obj=essay,
        label=f"{essay.enrollment.trainee.name} 学习心得",
        before=before,
        after={"score": score, "comment": essay.comment},
        at=essay.graded_at,
    )
    return essay


@transaction.atomic
def discussion_record(
    *, course: Course, group: str, topic: str, recorder: Enrollment, summary: str, held_at: datetime, by
) -> DiscussionRecord:
    """A group's discussion record; the recorder must be a trainee of that group in this course."""
    ensure_open(course)
    if recorder.course_id != course.pk:
        raise DomainError("recorder", "记录人不是本班学员。", "recorder")
    group = group.strip()
    if recorder.group != group:
        raise DomainError("recorder", f"记录人 {recorder.trainee.name} 不在“{group}”。", "recorder")
    record = DiscussionRecord.objects.create(
        course=course,
        group=group,
        topic=topic.strip(),
        recorder=recorder,
        summary=summary.strip(),
        held_at=held_at,
        created_by=by,
    )
    audit.record(
        "assessment.discussion",
        course=course,
        by=by,
        obj=record,
        label=f"{group} {record.topic}",
        after={"recorder": recorder.trainee.name, "held_at": held_at},
    )
    return record
