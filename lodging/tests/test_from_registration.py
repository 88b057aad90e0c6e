"""What a unit said when it put a trainee forward (报名: a room or not, the dietary need) is what
the lodging pages, the room assignment and the meal counts start from, until staff change it."""

import pytest

from lodging import selectors, services
from lodging.models import BedAssignment
from registration import services as registration_services
from registration.tests.helpers import person, quota, unit
from training.tests.factories import at

from .helpers import rooms

pytestmark = pytest.mark.django_db


def approved(course, organizer):
    q = quota(course, unit(course.organization, "县医院工会"), places=3)
    for name, phone, extra in (
        ("马玉兰", "13800138001", {"diet": "halal"}),
        ("赵春梅", "13800138002", {"diet": "other", "diet_note": "海鲜过敏"}),
        ("孙立新", "13800138003", {"needs_room": False, "gender": "M"}),
    ):
        registration_services.nominee_add(quota=q, values=person(name, phone, **extra))
    registration_services.nominees_approve(course=course, by=organizer)
    return {e.trainee.name: e for e in course.enrollments.select_related("trainee")}


def test_the_stated_needs_reach_meals_rooms_and_the_trainee(course, organizer):
    people = approved(course, organizer)
    lunch = next(
        line
        for line in selectors.meal_table(course, now=at(course.start_date, "07:00"))
        if line.slot.key == (course.start_date, "lunch")
    )
    assert lunch.count.diets == {"none": 1, "halal": 1, "vegetarian": 0, "other": 1}
    assert lunch.count.notes == [("海鲜过敏", 1)]
    stay = selectors.stay_of(people["孙立新"])
    assert stay.pk is None and not stay.needs_room  # read, not written: a GET writes nothing

    rooms(course, "1号楼 2层 201-202 双人间")
    services.rooms_auto_assign(course=course, keep="unit", by=organizer)
    placed = set(BedAssignment.objects.values_list("enrollment__trainee__name", flat=True))
    assert placed == {"马玉兰", "赵春梅"}  # 孙立新 said he goes home at night


def test_what_staff_write_at_the_desk_wins_over_the_registration(course, organizer):
    people = approved(course, organizer)
    services.stay_update(
        enrollment=people["马玉兰"], needs_room=True, diet="none", diet_note="", skipped=set(), by=organizer
    )
    assert selectors.stay_of(people["马玉兰"]).diet == "none"
    assert {e.trainee.name: e.stay_or_default.diet for e in selectors.enrolled(course)} == {
        "马玉兰": "none",
        "赵春梅": "other",
        "孙立新": "none",
    }
