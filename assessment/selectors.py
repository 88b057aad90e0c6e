"""What the assessment pages and 结业 read: a course's plan, everyone's marks, the 心得 and the
discussion records, each in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from training.models import Course, Enrollment
from training.rules import group_sort_key

from . import rules
from .models import AssessmentItem, AssessmentPlan, DiscussionRecord, Essay, Score


@dataclass
class CourseMarks:
    """A course's items as the rule reads them and every graded mark: enrollment → kind → score
    (the 心得 grade under ESSAY). 平时表现 is not here: 结业 derives it from attendance."""

    plan: AssessmentPlan
    items: list[rules.Item]
    marks: dict[int, dict[str, Decimal]] = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        return [item.kind for item in self.items]

    def scores_of(self, enrollment_id: int, everyday: Decimal | None = None) -> dict[str, Decimal]:
        scores = dict(self.marks.get(enrollment_id, {}))
        if everyday is not None:
            scores[rules.EVERYDAY] = everyday
        return scores


def marks_for_course(course: Course, *, enrollments: list | None = None) -> CourseMarks | None:
    """The course's items and marks, or None when it is not assessed (no items). One query when
    not assessed, three when it is (items with the plan, staff's scores, 心得 grades)."""
    items = list(AssessmentItem.objects.filter(plan__course=course).select_related("plan").order_by("pk"))
    if not items:
        return None
    order = {kind: n for n, kind in enumerate(rules.KINDS)}
    items.sort(key=lambda i: order[i.kind])
    result = CourseMarks(items[0].plan, [i.as_rule() for i in items])
    scores = Score.objects.filter(enrollment__course=course)
    essays = Essay.objects.filter(enrollment__course=course, score__isnull=False)
    if enrollments is not None:
        scores = scores.filter(enrollment__in=enrollments)
        essays = essays.filter(enrollment__in=enrollments)
    for enrollment_id, kind, score in scores.values_list("enrollment_id", "kind", "score"):
        result.marks.setdefault(enrollment_id, {})[kind] = score
    for enrollment_id, score in essays.values_list("enrollment_id", "score"):
        result.marks.setdefault(enrollment_id, {})[rules.ESSAY] = score
    return result


def plan_for_course(course: Course) -> AssessmentPlan | None:
    return AssessmentPlan.objects.filter(course=course).prefetch_related("items").first()


def roster_for_grid(course: Course) -> list[Enrollment]:
    """The course's trainees by group (第一组, 第二组, … in number order) and 学号, as the grid lists them."""
    enrollments = Enrollment.objects.filter(course=course, status=Enrollment.Status.ENROLLED).select_related("trainee")
    return sorted(enrollments, key=lambda e: (group_sort_key(e.group), e.student_no))


def scores_of_kind(course: Course, kind: str) -> dict[int, Decimal]:
    return dict(Score.objects.filter(enrollment__course=course, kind=kind).values_list("enrollment_id", "score"))


def essay_list_for_course(course: Course) -> list[Essay]:
    """Every 心得 of the course, ungraded first, then by submission."""
    return sorted(
        Essay.objects.filter(enrollment__course=course)
        .select_related("enrollment__trainee", "graded_by")
        .defer("body"),
        key=lambda e: (e.graded, e.submitted_at),
    )


def discussion_list_for_course(course: Course) -> list[DiscussionRecord]:
    """The course's discussion records by time, then group in number order."""
    records = DiscussionRecord.objects.filter(course=course).select_related("recorder__trainee", "created_by")
    return sorted(records, key=lambda r: (r.held_at, group_sort_key(r.group), r.pk))


def essay_of(enrollment: Enrollment) -> Essay | None:
    return Essay.objects.filter(enrollment=enrollment).first()
