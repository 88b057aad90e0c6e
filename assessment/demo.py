"""考核 for the demo: last spring's course fully assessed (test scores for everyone, two of them
below the test's own pass mark; every 心得 graded with a comment; each group's discussion record),
the running course with the default plan and a few 心得 handed in, not graded yet. Built through
the services the pages use, at times inside the course."""

import random
from datetime import timedelta
from decimal import Decimal

from training.demo import at as demo_at
from training.models import Course, Session

from . import rules, services

TITLES = [
    "学习新时代工会工作的几点体会",
    "做职工信得过的“娘家人”",
    "学以致用，做好基层工会工作",
    "参加培训班的收获与思考",
    "把学习成果转化为服务职工的实效",
]
OPENINGS = [
    "通过这次培训，我系统学习了工会法和工会工作的基本知识，对做好基层工会工作有了新的认识。",
    "三天的学习时间虽短，但内容丰富、安排紧凑，使我受益匪浅。",
    "这次培训既有理论讲授，又有现场教学，让我对工会工作的职责有了更深的理解。",
]
POINTS = [
    "一是要坚持政治引领，把党的声音传递到每一名职工。",
    "二是要突出维权服务，多为职工办实事、解难题。",
    "三是要加强自身建设，提高依法履职和财务管理的能力。",
    "四是要创新工作方法，用好网上工会和职工之家阵地。",
]
COMMENTS = [
    "联系本单位实际，体会深刻，措施具体。",
    "条理清楚，认识到位，建议再结合具体案例。",
    "内容充实，思考有深度。",
    "结构完整，但联系实际不够，可再充实。",
    "认识较深，语言朴实，有真情实感。",
]
TOPICS = ["基层工会如何更好服务职工", "新就业形态劳动者入会的难点和办法", "工会经费使用中常见问题及规范"]


def _essay_body(rng: random.Random) -> str:
    points = rng.sample(POINTS, k=3)
    points.sort(key=POINTS.index)
    return "\n".join([rng.choice(OPENINGS), *points, "今后我将把学到的知识运用到工作中，切实履行好工会干部的职责。"])


def _plan(course: Course, by):
    due = Session.objects.filter(course=course).order_by("-ends_at").values_list("ends_at", flat=True).first()
    items = [
        services.ItemSetting(k, w, Decimal(60) if k == rules.TEST else None) for k, w in rules.DEFAULT_WEIGHTS.items()
    ]
    return services.plan_save(course=course, by=by, pass_mark=rules.DEFAULT_PASS_MARK, essay_due_at=due, items=items)


def load_finished(course: Course, *, advisor, organizer, sat_test: set[int] | None = None) -> None:
    """A test score for everyone who sat the test (`sat_test`, enrollments; everyone when None), two
    of them below 60; every 心得 graded; one discussion record per group."""
    rng = random.Random(2026)
    plan = _plan(course, organizer)
    enrollments = list(course.enrollments.select_related("trainee").order_by("student_no"))
    closing = plan.essay_due_at
    failing = {enrollments[4].pk: Decimal(52), enrollments[15].pk: Decimal("47.5")}
    scores = {e.pk: failing.get(e.pk, Decimal(rng.randint(64, 98))) for e in enrollments}
    scores = {pk: score for pk, score in scores.items() if sat_test is None or pk in sat_test}
    services.scores_save(course=course, kind=rules.TEST, values=scores, by=advisor, at=closing - timedelta(hours=2))
    for n, enrollment in enumerate(enrollments):
        essay = services.essay_submit(
            enrollment=enrollment,
            title=TITLES[n % len(TITLES)],
            body=_essay_body(rng),
            at=closing - timedelta(hours=20, minutes=n * 7),
        )
        services.essay_grade(
            essay=essay,
            score=Decimal(rng.randint(70, 95)),
            comment=rng.choice(COMMENTS),
            by=advisor,
            at=closing - timedelta(hours=1),
        )
    discussion = Session.objects.filter(course=course, kind=Session.Kind.DISCUSSION).order_by("starts_at").first()
    held_at = discussion.starts_at if discussion else closing - timedelta(days=1)
    groups = sorted({e.group for e in enrollments if e.group})
    for n, group in enumerate(groups):
        recorder = next(e for e in enrollments if e.group == group)
        services.discussion_record(
            course=course,
            group=group,
            topic=TOPICS[n % len(TOPICS)],
            recorder=recorder,
            summary=(
                f"{group}围绕“{TOPICS[n % len(TOPICS)]}”进行了讨论。大家结合本单位实际踊跃发言，"
                "认为要把培训所学用到实处，在维权服务、经费管理和职工之家建设上下功夫。"
            ),
            held_at=held_at,
            by=advisor,
        )


def load_running(course: Course, *, organizer) -> None:
    """The default plan, and the first five trainees' 心得 handed in on the first evening, not graded
    (the first day is over whenever the demo is loaded: the course runs yesterday to tomorrow)."""
    _plan(course, organizer)
    rng = random.Random(2027)
    for n, enrollment in enumerate(course.enrollments.select_related("trainee").order_by("student_no")[:5]):
        services.essay_submit(
            enrollment=enrollment,
            title=TITLES[n],
            body=_essay_body(rng),
            at=demo_at(course.start_date, "20:00") + timedelta(minutes=n * 9),
        )
