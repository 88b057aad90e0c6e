"""报到、住宿和就餐 for the demo's running course: the 县委党校 guesthouse's rooms in two buildings,
everyone placed by unit, two 走读 trainees, 清真/素食/其他 needs, all 48 trainees arrived on the
first morning (two of them late), a few meals declined, and the meals past their cut-off frozen.
Built through the same services the pages use."""

from datetime import timedelta

from training.demo import at
from training.models import Course

from . import services
from .models import Arrival

ROOMS = "1号楼 2层 201-214 双人间\n1号楼 3层 301-306 双人间\n2号楼 1层 101-108 双人间 女\n2号楼 2层 201-204 三人间"
HANDOUT = "学员手册、胸牌、餐券、房卡"


def load_running(course: Course, *, organizer, advisor, now) -> None:
    if Arrival.objects.filter(enrollment__course=course).exists():
        return
    services.settings_update(
        course=course,
        handout=HANDOUT,
        meals={},
        canteen={"canteen_contact": "党校食堂 王建军", "canteen_phone": "13907957001", "canteen_email": ""},
    )
    services.rooms_add(organization=course.organization, lines=ROOMS)
    people = list(course.enrollments.select_related("trainee").order_by("student_no"))
    needs = {}
    for person in people:
        if person.trainee.ethnicity in ("回族", "维吾尔族"):
            needs[person.pk] = ("halal", "")
    for person, need in zip(people[5:7], (("vegetarian", ""), ("other", "不吃辣")), strict=True):
        needs[person.pk] = need
    needs[people[9].pk] = ("vegetarian", "")
    day_students = {people[12].pk, people[20].pk}  # units in the county town, home every night
    first = course.start_date
    for person in people:
        diet, note = needs.get(person.pk, ("none", ""))
        if diet != "none" or person.pk in day_students:
            services.stay_update(
                enrollment=person,
                needs_room=person.pk not in day_students,
                diet=diet,
                diet_note=note,
                skipped={(first, "dinner")} if person.pk in day_students else set(),
                by=advisor,
                at=at(first, "07:00"),
            )
    services.rooms_auto_assign(course=course, keep="unit", by=organizer, at=at(first - timedelta(days=1), "16:00"))
    late = {people[30].pk: "10:15", people[41].pk: "14:20"}
    for n, person in enumerate(people):
        clock = late.get(person.pk)
        # the others before the 开班式 at 08:30: only the two above are late (lodging.rules.arrival_late)
        moment = at(first, clock) if clock else at(first, "07:30") + timedelta(seconds=50 * n)
        services.arrival_record(enrollment=person, by=advisor, method="scan" if n % 9 else "search", at=moment)
    second = first + timedelta(days=1)
    for person in people[14:17]:
        services.meal_choice_set(
            enrollment=person, day=second, kind="dinner", eats=False, by=advisor, at=at(first, "20:00")
        )
    services.meals_freeze(now=now)
