"""The writes of 报到、住宿和就餐 against the real database: arrivals once, beds once, meals
counted and frozen, every refusal a DomainError with its code."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection

from attendance import services as attendance_services
from attendance import tokens
from attendance.tests.helpers import race
from conftest import require_service
from core.errors import DomainError
from lodging import selectors, services
from lodging.models import Arrival, BedAssignment, Meal, MealOptOut, Room
from registration import services as registration_services
from training.models import Enrollment
from training.tests.factories import SessionFactory, at

from .helpers import rooms, trainees

pytestmark = pytest.mark.django_db


# --- Arrival --------------------------------------------------------------------------------------------


def test_a_second_scan_returns_the_first_arrival(course, enrollment, organizer):
    url = f"http://10.20.1.5:8000/b/{tokens.badge_code(enrollment.pk)}/"
    first_time = at(course.start_date, "08:05")
    first, created, _ = services.arrival_scan(course=course, text=url, by=organizer, at=first_time)
    again, created_again, _ = services.arrival_scan(
        course=course, text=url, by=organizer, at=first_time + timedelta(minutes=9)
    )
    assert created and not created_again and again.pk == first.pk and again.arrived_at == first_time
    assert Arrival.objects.count() == 1 and first.recorded_by == organizer and first.method == "scan"


def test_a_forged_or_foreign_badge_is_refused_on_the_field(course, enrollment, organizer):
    from training.tests.factories import CourseFactory, EnrollmentFactory

    with pytest.raises(DomainError) as error:
        services.arrival_scan(course=course, text="B1-FORGED", by=organizer)
    assert (error.value.code, error.value.field) == ("bad_badge", "code")
    elsewhere = EnrollmentFactory(course=CourseFactory(organization=course.organization), trainee=enrollment.trainee)
    with pytest.raises(DomainError) as error:
        services.arrival_scan(course=course, text=tokens.badge_code(elsewhere.pk), by=organizer)
    assert error.value.code == "other_course" and not Arrival.objects.exists()


def test_a_withdrawn_trainee_cannot_arrive(course, enrollment, organizer):
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    with pytest.raises(DomainError) as error:
        services.arrival_record(enrollment=enrollment, by=organizer, method="search")
    assert error.value.code == "withdrawn"


def test_arrival_stats_per_unit_and_who_is_missing(course, organizer, django_assert_num_queries):
    people = trainees(course, 3) + trainees(course, 2, start=20, unit="县医院工会")
    services.arrival_record(enrollment=people[0], by=organizer, method="search")
    services.arrival_record(enrollment=people[3], by=organizer, method="search")
    registration_services.unit_create(
        organization=course.organization, name="县医院工会", contact="刘芳", phone="0731-5551234"
    )
    with django_assert_num_queries(4):  # the first session's start, enrollments with trainees, arrivals, units
        stats = selectors.arrival_stats(course)
    assert (stats.arrived, stats.expected) == (2, 5)
    assert [(u.unit, u.arrived, u.expected) for u in stats.units] == [("县供电公司工会", 1, 3), ("县医院工会", 1, 2)]
    assert [p.pk for p in stats.missing] == [people[1].pk, people[2].pk, people[4].pk]
    # Who to phone about a missing trainee: the contact of their 基层单位, where the unit is known.
    assert [(p.unit_contact.contact if p.unit_contact else None) for p in stats.missing] == [None, None, "刘芳"]
    assert stats.late == [] and stats.late_after is None  # no sessions: nobody is late


def test_arrival_stats_lists_who_came_after_the_first_session_began(course, organizer):
    day = course.start_date
    SessionFactory(
        course=course, starts_at=at(day + timedelta(days=1), "08:30"), ends_at=at(day + timedelta(days=1), "10:00")
    )
    SessionFactory(course=course, starts_at=at(day, "08:30"), ends_at=at(day, "09:30"))  # the 开班式
    people = trainees(course, 2) + trainees(course, 2, start=20, unit="县医院工会")
    for person, clock in zip(people, ("08:00", "08:30", "08:31", "14:20"), strict=True):
        services.arrival_record(enrollment=person, by=organizer, method="search", at=at(day, clock))
    stats = selectors.arrival_stats(course)
    assert stats.late_after == at(day, "08:30")
    assert [p.pk for p in stats.late] == [people[2].pk, people[3].pk]
    assert [(u.unit, u.late) for u in stats.units] == [("县供电公司工会", 0), ("县医院工会", 2)]


# --- Rooms ----------------------------------------------------------------------------------------------


def test_rooms_are_added_in_bulk_and_a_clash_refuses_the_whole_list(course):
    assert len(rooms(course, "1号楼 2层 201-220 双人间")) == 20
    with pytest.raises(DomainError) as error:
        rooms(course, "1号楼 3层 301-305 双人间\n1号楼 2层 220 单人间")
    assert (error.value.code, error.value.field) == ("exists", "lines")
    assert Room.objects.count() == 20


def test_auto_assignment_skips_day_students_and_keeps_what_was_given(course, organizer, django_assert_num_queries):
    men = trainees(course, 5)
    trainees(course, 3, start=30, gender="F")
    services.stay_update(enrollment=men[4], needs_room=False, diet="none", diet_note="", skipped=set(), by=organizer)
    rooms(course, "1号楼 2层 201-204 双人间")
    given = services.room_move(course=course, enrollment=men[0], room=Room.objects.get(number="204"), by=organizer)
    # savepoint, the course lock, enrollments, stays, nominees, rooms, existing beds; savepoint, the one
    # insert, two releases
    with django_assert_num_queries(11):
        result = services.rooms_auto_assign(course=course, keep="unit", by=organizer)
    assert len(result.placed) == 6 and result.unplaced == []  # a man took the free bed of 204
    assert BedAssignment.objects.get(enrollment=men[0]).pk == given.pk
    assert not BedAssignment.objects.filter(enrollment=men[4]).exists()
    for room in Room.objects.all():
        assert (
            len(set(BedAssignment.objects.filter(room=room).values_list("enrollment__trainee__gender", flat=True))) <= 1
        )


def test_a_move_is_refused_into_a_full_room_or_the_other_gender(course, organizer):
    man, other, woman = trainees(course, 2) + trainees(course, 1, start=30, gender="F")
    single = rooms(course, "1号楼 1层 101 单人间")[0]
    services.room_move(course=course, enrollment=man, room=single, by=organizer)
    for who, code in ((other, "room_full"), (woman, "room_full")):
        with pytest.raises(DomainError) as error:
            services.room_move(course=course, enrollment=who, room=single, by=organizer)
        assert error.value.code == code
    double = rooms(course, "1号楼 1层 102 双人间")[0]
    services.room_move(course=course, enrollment=other, room=double, by=organizer)
    with pytest.raises(DomainError) as error:
        services.room_move(course=course, enrollment=woman, room=double, by=organizer)
    assert (error.value.code, error.value.field) == ("gender_mismatch", "room")
    services.room_move(course=course, enrollment=man, room=None, by=organizer)
    assert not BedAssignment.objects.filter(enrollment=man).exists()


def test_a_room_cannot_lose_a_bed_someone_sleeps_in(course, organizer):
    people = trainees(course, 2)
    room = rooms(course, "1号楼 1层 101 双人间")[0]
    for person in people:
        services.room_move(course=course, enrollment=person, room=room, by=organizer)
    with time_machine.travel(at(course.start_date, "08:00"), tick=False), pytest.raises(DomainError) as error:
        services.room_update(room=room, beds=1)
    assert (error.value.code, error.value.field) == ("beds_taken", "beds")


def _last_bed_race(course, organizer, advisor):
    people = trainees(course, 3)
    room = rooms(course, "1号楼 1层 101 双人间")[0]
    services.room_move(course=course, enrollment=people[0], room=room, by=organizer)
    contenders = iter([(people[1], organizer), (people[2], advisor)])

    def assign():
        who, by = next(contenders)
        return services.room_move(course=course, enrollment=who, room=room, by=by)

    results = race(2, 2, assign)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code == "room_full", results
    assert BedAssignment.objects.filter(room=room).count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_staff_giving_the_last_bed_at_once_on_postgresql(course, organizer, advisor):
    require_service("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    _last_bed_race(course, organizer, advisor)


# --- Meals ----------------------------------------------------------------------------------------------


def test_meal_counts_by_diet_minus_leave_and_opt_outs(course, organizer, advisor, django_assert_num_queries):
    people = trainees(course, 6)
    second = course.start_date + timedelta(days=1)
    services.stay_update(enrollment=people[0], needs_room=True, diet="halal", diet_note="", skipped=set(), by=organizer)
    services.stay_update(
        enrollment=people[1], needs_room=True, diet="vegetarian", diet_note="", skipped=set(), by=organizer
    )
    services.stay_update(
        enrollment=people[2], needs_room=True, diet="other", diet_note="海鲜过敏", skipped=set(), by=organizer
    )
    with time_machine.travel(at(course.start_date, "07:00"), tick=False):
        services.meal_choice_set(enrollment=people[3], day=second, kind="lunch", eats=False, by=organizer)
        session = SessionFactory(course=course, starts_at=at(second, "08:30"), ends_at=at(second, "17:00"))
        leave = attendance_services.leave_request_create(
            enrollment=people[4], kind="sick", reason="发烧", sessions=[session]
        )
        attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    with django_assert_num_queries(6):  # meals, enrollments, stays, nominees' needs, leaves' sessions, opt-outs
        lines = selectors.meal_table(course, now=at(course.start_date, "07:00"))
    lunch = next(line for line in lines if line.slot.key == (second, "lunch"))
    assert (lunch.count.eating, lunch.count.on_leave, lunch.count.opted_out) == (4, 1, 1)
    assert lunch.count.diets == {"none": 1, "halal": 1, "vegetarian": 1, "other": 1}
    assert lunch.count.notes == [("海鲜过敏", 1)]
    first_lunch = next(line for line in lines if line.slot.key == (course.start_date, "lunch"))
    assert first_lunch.count.eating == 6 and first_lunch.state == "open"


def test_after_the_cut_off_the_count_is_frozen_and_opting_out_is_refused(course, organizer):
    people = trainees(course, 3)
    lunch = course.start_date
    cutoff = at(lunch, "09:00")
    with time_machine.travel(cutoff - timedelta(minutes=1), tick=False):
        services.meal_choice_set(enrollment=people[0], day=lunch, kind="lunch", eats=False, by=organizer)
    with time_machine.travel(cutoff + timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as error:
            services.meal_choice_set(enrollment=people[1], day=lunch, kind="lunch", eats=False, by=organizer)
        assert error.value.code == "cutoff_passed"
        assert services.meals_freeze() == 1
        assert services.meals_freeze() == 0  # idempotent
    row = Meal.objects.get(course=course, day=lunch, kind="lunch")
    assert row.frozen["opted_out"] == 1 and sum(row.frozen["diets"].values()) == 2
    trainees(course, 2, start=40)  # late additions do not change the frozen count
    line = next(
        x for x in selectors.meal_table(course, now=cutoff + timedelta(hours=1)) if x.slot.key == (lunch, "lunch")
    )
    assert line.state == "frozen" and line.count.eating == 2


def test_settings_refuse_a_cut_off_after_the_meal_and_save_what_differs(course):
    slots, _ = selectors.meal_plan(course)
    lunch = next(s for s in slots if s.key == (course.start_date, "lunch"))
    with pytest.raises(DomainError) as error:
        services.settings_update(
            course=course, handout="胸牌", meals={lunch.key: (True, lunch.at + timedelta(hours=1))}
        )
    assert error.value.code == "cutoff_after_meal" and error.value.field.startswith("cutoff_")
    services.settings_update(course=course, handout="胸牌、房卡", meals={lunch.key: (False, lunch.cutoff)})
    assert Meal.objects.filter(course=course).count() == 1
    assert not next(s for s in selectors.meal_plan(course)[0] if s.key == lunch.key).served


def test_opting_out_twice_leaves_one_row_and_eating_again_removes_it(course, enrollment):
    day = course.start_date + timedelta(days=1)
    with time_machine.travel(at(course.start_date, "08:00"), tick=False):
        for _ in range(2):
            services.meal_choice_set(
                enrollment=enrollment, day=day, kind="dinner", eats=False, by=enrollment.trainee.user or _user()
            )
        assert MealOptOut.objects.count() == 1
        services.meal_choice_set(enrollment=enrollment, day=day, kind="dinner", eats=True, by=_user())
    assert not MealOptOut.objects.exists()
    with pytest.raises(DomainError):
        services.meal_choice_set(enrollment=enrollment, day=date(2030, 1, 1), kind="lunch", eats=False, by=_user())


def _user():
    from training.tests.factories import UserFactory

    return UserFactory()
