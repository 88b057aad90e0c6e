"""The pure decisions of 报到、住宿和就餐, without a database. The rules work on local wall-clock
times (naive, as the meal plan is written); the selectors make them aware."""

# ruff: noqa: DTZ001

from datetime import date, datetime

import pytest

from core.errors import DomainError
from lodging import rules
from lodging.rules import Person, RoomBeds


def test_the_default_plan_starts_with_lunch_and_ends_with_lunch():
    slots = rules.default_meals(date(2026, 11, 20), date(2026, 11, 22))
    served = [(s.day.day, s.kind) for s in slots if s.served]
    assert served == [
        (20, "lunch"),
        (20, "dinner"),
        (21, "breakfast"),
        (21, "lunch"),
        (21, "dinner"),
        (22, "breakfast"),
        (22, "lunch"),
    ]
    breakfast = next(s for s in slots if s.key == (date(2026, 11, 21), "breakfast"))
    assert breakfast.cutoff == datetime(2026, 11, 20, 20, 0)  # the evening before


def _meal(day=21, kind="lunch"):
    d = date(2026, 11, day)
    return rules.MealSlot(d, kind, True, datetime.combine(d, rules.MEAL_TIMES[kind]), rules.default_cutoff(d, kind))


def test_meal_count_takes_away_leave_and_opt_outs_and_splits_by_diet():
    lunch = _meal()
    people = [
        (1, "none", ""),
        (2, "halal", ""),
        (3, "vegetarian", ""),
        (4, "other", "不吃辣"),
        (5, "other", "不吃辣"),
        (6, "none", ""),
        (7, "none", ""),
    ]
    leave = {6: [(datetime(2026, 11, 21, 8, 30), datetime(2026, 11, 21, 17, 0))]}
    count = rules.meal_counts([lunch], people, leave, {(7, lunch.day, "lunch"), (6, lunch.day, "lunch")})[lunch.key]
    assert (count.enrolled, count.on_leave, count.opted_out, count.eating) == (7, 1, 1, 5)
    assert count.diets == {"none": 1, "halal": 1, "vegetarian": 1, "other": 2}
    assert count.notes == [("不吃辣", 2)]
    assert rules.MealCount.from_json(lunch.day, "lunch", count.as_json()) == count


def test_a_leave_covers_only_the_meals_inside_its_span():
    morning = {1: [(datetime(2026, 11, 21, 8, 30), datetime(2026, 11, 21, 11, 30))]}
    counts = rules.meal_counts([_meal(kind="breakfast"), _meal(kind="lunch")], [(1, "none", "")], morning, set())
    assert counts[(date(2026, 11, 21), "breakfast")].on_leave == 0
    assert counts[(date(2026, 11, 21), "lunch")].on_leave == 0  # back for lunch
    overnight = {1: [(datetime(2026, 11, 20, 14, 0), datetime(2026, 11, 21, 11, 30))]}
    assert (
        rules.meal_counts([_meal(kind="breakfast")], [(1, "none", "")], overnight, set())[
            (date(2026, 11, 21), "breakfast")
        ].on_leave
        == 1
    )


def test_a_meal_not_served_is_not_counted():
    slot = rules.MealSlot(date(2026, 11, 20), "breakfast", False, datetime(2026, 11, 20, 7), datetime(2026, 11, 19, 20))
    assert rules.meal_counts([slot], [(1, "none", "")], {}, set()) == {}


def test_room_lines_are_read_with_ranges_floors_kinds_and_gender():
    rooms = rules.parse_room_lines("1号楼 2层 201-220 双人间\n2号楼 305、307 三人间 女\n\n3号楼 1层 A101 单人间")
    assert len(rooms) == 23
    assert rooms[0] == rules.RoomSpec("1号楼", 2, "201", 2, "")
    assert rooms[19].number == "220"
    assert rooms[20] == rules.RoomSpec("2号楼", 3, "305", 3, "F")  # floor read off the number
    assert rooms[22] == rules.RoomSpec("3号楼", 1, "A101", 1, "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("1号楼 201", "bad_line"),
        ("1号楼 2层 201-220 豪华套房", "bad_line"),
        ("1号楼 220-201 双人间", "bad_line"),
        ("1号楼 201 201 双人间", "duplicate"),
    ],
)
def test_a_room_line_that_cannot_be_read_is_refused_on_the_field(text, code):
    with pytest.raises(DomainError) as error:
        rules.parse_room_lines(text)
    assert (error.value.code, error.value.field) == (code, "lines")


def _rooms(n, beds=2, gender=""):
    return [RoomBeds(100 + i, gender, beds) for i in range(n)]


def test_men_and_women_never_share_a_room_and_units_stay_together():
    people = [Person(i, "M" if i % 3 else "F", f"单位{i % 4}", f"{i:03d}") for i in range(1, 25)]
    result = rules.assign_rooms(people, _rooms(14))
    assert not result.unplaced
    gender = {p.id: p.gender for p in people}
    unit = {p.id: p.together for p in people}
    rooms = {}
    for person_id, room_id, _bed in result.placed:
        rooms.setdefault(room_id, []).append(person_id)
    assert all(len({gender[p] for p in ids}) == 1 for ids in rooms.values())
    assert len({(room, bed) for _, room, bed in result.placed}) == len(people)
    # a unit fills neighbouring beds: at most one room it shares with another unit per boundary
    mixed = sum(1 for ids in rooms.values() if len({unit[p] for p in ids}) > 1)
    assert mixed <= 8
    assert rules.assign_rooms(people, _rooms(14)).placed == result.placed  # deterministic


def test_gendered_rooms_first_then_open_rooms_taking_the_first_occupants_gender():
    rooms = [RoomBeds(1, "", 2), RoomBeds(2, "F", 2), RoomBeds(3, "M", 1)]
    people = [
        Person(1, "M", "a", "1"),
        Person(2, "M", "a", "2"),
        Person(3, "F", "b", "3"),
        Person(4, "F", "b", "4"),
        Person(5, "F", "b", "5"),
    ]
    result = rules.assign_rooms(people, rooms)
    assert result.placed == [(1, 3, 1), (2, 1, 1), (3, 2, 1), (4, 2, 2)]
    assert result.unplaced == [(5, "没有空床位")]  # room 1 is the men's now


def test_taken_beds_stay_and_lock_the_room_and_unknown_gender_is_left_to_staff():
    rooms = [RoomBeds(1, "", 2, ((1, "F"),)), RoomBeds(2, "", 2)]
    result = rules.assign_rooms([Person(1, "M", "a", "1"), Person(2, "F", "a", "2"), Person(3, "", "a", "3")], rooms)
    assert (2, 1, 2) in result.placed and (1, 2, 1) in result.placed
    assert (3, "性别未填，请手工安排") in result.unplaced


def test_room_refusals():
    assert rules.room_refusal(person_gender="M", room_gender="", occupant_genders=[], free_beds=0).code == "room_full"
    assert (
        rules.room_refusal(person_gender="M", room_gender="F", occupant_genders=[], free_beds=2).code
        == "gender_mismatch"
    )
    assert (
        rules.room_refusal(person_gender="M", room_gender="", occupant_genders=["F"], free_beds=1).code
        == "gender_mismatch"
    )
    assert rules.room_refusal(person_gender="", room_gender="", occupant_genders=[], free_beds=1).code == "no_gender"
    assert rules.room_refusal(person_gender="M", room_gender="", occupant_genders=["M"], free_beds=1) is None


# --- Late arrival -------------------------------------------------------------------------------------


def test_arriving_after_the_first_session_began_is_late_and_at_its_start_is_not():
    opening = datetime(2026, 11, 20, 8, 30)
    assert not rules.arrival_late(arrived_at=datetime(2026, 11, 20, 7, 55), late_after=opening)
    assert not rules.arrival_late(arrived_at=opening, late_after=opening)
    assert rules.arrival_late(arrived_at=datetime(2026, 11, 20, 8, 31), late_after=opening)
    assert rules.arrival_late(arrived_at=datetime(2026, 11, 21, 7, 0), late_after=opening)  # the next morning


def test_nobody_is_late_for_a_course_without_sessions():
    assert not rules.arrival_late(arrived_at=datetime(2026, 11, 20, 23, 0), late_after=None)
