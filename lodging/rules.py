"""Decisions of 报到、住宿和就餐 as pure functions of plain values: the default meal plan, who eats
which meal (the 就餐 count), the parsing of a bulk room list, and the automatic room assignment.
No database, no clock: pages, exports, the benchmark and the tests share one answer."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from core.errors import DomainError

BREAKFAST, LUNCH, DINNER = "breakfast", "lunch", "dinner"
MEAL_KINDS = (BREAKFAST, LUNCH, DINNER)
MEAL_LABELS = {BREAKFAST: "早餐", LUNCH: "午餐", DINNER: "晚餐"}
# When each meal is served, and by default when its count closes: breakfast the evening before,
# lunch and dinner the same morning/afternoon (the 党校 canteen's usual notice).
MEAL_TIMES = {BREAKFAST: time(7, 0), LUNCH: time(12, 0), DINNER: time(17, 30)}
DEFAULT_CUTOFFS = {BREAKFAST: (-1, time(20, 0)), LUNCH: (0, time(9, 0)), DINNER: (0, time(14, 0))}
DIETS = ("none", "halal", "vegetarian", "other")
DIET_LABELS = {"none": "普通", "halal": "清真", "vegetarian": "素食", "other": "其他"}


# --- Arrival ---------------------------------------------------------------------------------------


def arrival_late(*, arrived_at: datetime, late_after: datetime | None) -> bool:
    """迟到 at the 报到 desk: the trainee arrived after the course's first session (the 开班式)
    had begun. At its start is still on time; a course without sessions has nobody late."""
    return late_after is not None and arrived_at > late_after


# --- Meals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MealSlot:
    """One meal of a course: day, kind, whether it is served, when it is eaten and when its count
    closes (local naive datetimes here; the selectors make them aware)."""

    day: date
    kind: str
    served: bool
    at: datetime
    cutoff: datetime

    @property
    def key(self) -> tuple[date, str]:
        return (self.day, self.kind)

    @property
    def label(self) -> str:
        return MEAL_LABELS[self.kind]


def default_cutoff(day: date, kind: str) -> datetime:
    offset, clock = DEFAULT_CUTOFFS[kind]
    return datetime.combine(day + timedelta(days=offset), clock)


def default_meals(start: date, end: date) -> list[MealSlot]:
    """Every meal of the course's days: the first day from lunch (trainees arrive in the morning),
    the last day up to lunch (they leave after the 结业式); a one-day course has lunch only."""
    slots = []
    days = (end - start).days + 1
    for n in range(days):
        day = start + timedelta(days=n)
        for kind in MEAL_KINDS:
            served = not ((n == 0 and kind == BREAKFAST) or (n == days - 1 and kind == DINNER))
            slots.append(
                MealSlot(day, kind, served, datetime.combine(day, MEAL_TIMES[kind]), default_cutoff(day, kind))
            )
    return slots


def covered_by_leave(at: datetime, spans) -> bool:
    """Whether a meal at `at` falls inside one of the approved leaves' spans (start of its first
    session to end of its last): a trainee away over lunch does not eat lunch."""
    return any(start <= at <= end for start, end in spans)


@dataclass
class MealCount:
    day: date
    kind: str
    enrolled: int = 0
    on_leave: int = 0
    opted_out: int = 0
    diets: dict = field(default_factory=lambda: dict.fromkeys(DIETS, 0))
    notes: list = field(default_factory=list)  # [(text, how many)] of 其他, most first

    @property
    def eating(self) -> int:
        return sum(self.diets.values())

    def as_json(self) -> dict:
        return {
            "enrolled": self.enrolled,
            "on_leave": self.on_leave,
            "opted_out": self.opted_out,
            "diets": dict(self.diets),
            "notes": [list(n) for n in self.notes],
        }

    @classmethod
    def from_json(cls, day: date, kind: str, data: dict) -> "MealCount":
        return cls(
            day,
            kind,
            data["enrolled"],
            data["on_leave"],
            data["opted_out"],
            {d: data["diets"].get(d, 0) for d in DIETS},
            [tuple(n) for n in data["notes"]],
        )


def meal_counts(meals, people, leave_spans: dict, opt_outs: set) -> dict:
    """(day, kind) → MealCount for every served meal. `people`: (enrollment id, diet, note) of the
    enrolled trainees; `leave_spans`: id → [(start, end)] of approved leaves; `opt_outs`: {(id, day,
    kind)}. A trainee on leave at the meal's time is counted as on leave (not also as opted out)."""
    counts = {}
    for meal in meals:
        if not meal.served:
            continue
        count = MealCount(meal.day, meal.kind)
        notes = Counter()
        for person_id, diet, note in people:
            count.enrolled += 1
            if covered_by_leave(meal.at, leave_spans.get(person_id, ())):
                count.on_leave += 1
            elif (person_id, meal.day, meal.kind) in opt_outs:
                count.opted_out += 1
            else:
                diet = diet if diet in DIETS else "none"
                count.diets[diet] += 1
                if diet == "other":
                    notes[note.strip() or "未说明"] += 1
        count.notes = sorted(notes.items(), key=lambda item: (-item[1], item[0]))
        counts[meal.key] = count
    return counts


# --- Rooms: the bulk list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomSpec:
    building: str
    floor: int
    number: str
    beds: int
    gender: str  # "M", "F" or "" (不限)


ROOM_KINDS = {"单人间": 1, "双人间": 2, "标准间": 2, "三人间": 3, "四人间": 4, "大床房": 1}
MAX_ROOMS_PER_LINE = 100
_GENDERS = {"男": "M", "女": "F", "不限": "", "男生": "M", "女生": "F"}


def _beds(token: str) -> int | None:
    if token in ROOM_KINDS:
        return ROOM_KINDS[token]
    match = re.fullmatch(r"(\d)(?:人间|床|人)", token)
    return int(match.group(1)) if match else None


def _numbers(token: str) -> list[str] | None:
    if re.fullmatch(r"[A-Za-z]?\d{1,5}", token):
        return [token]
    match = re.fullmatch(r"([A-Za-z]?)(\d{1,5})[-–~至](\d{1,5})", token)
    if not match:
        return None
    prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
    if last < first or last - first >= MAX_ROOMS_PER_LINE:
        return None
    width = len(match.group(2))
    return [f"{prefix}{n:0{width}d}" for n in range(first, last + 1)]


def parse_room_lines(text: str) -> list[RoomSpec]:
    """Rooms from lines such as "1号楼 2层 201-220 双人间" or "2号楼 3层 301-306 三人间 女": the
    building, the floor (N层; omitted: read off the number, 305 → 3), room numbers (one, a range
    or several separated by 、/,), the kind (单人间, 双人间/标准间, 三人间, 四人间, N人间) and
    optionally 男/女. Raises DomainError(field="lines") naming the first line it cannot read."""
    rooms, seen = [], set()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise DomainError("empty", "请至少填写一行房间。", "lines")
    for n, line in enumerate(lines, 1):
        tokens = re.split(r"[\s，,、]+", line)
        where = f"第 {n} 行“{line[:30]}”"
        if len(tokens) < 3:
            raise DomainError("bad_line", f"{where}看不懂：请按“1号楼 2层 201-220 双人间”的格式填写。", "lines")
        building, rest = tokens[0], tokens[1:]
        if len(building) > 20:
            raise DomainError("bad_line", f"{where}：楼栋名称不超过 20 个字。", "lines")
        floor = None
        if re.fullmatch(r"-?\d{1,2}层", rest[0]):
            floor, rest = int(rest[0][:-1]), rest[1:]
        gender = ""
        if rest and rest[-1] in _GENDERS:
            gender, rest = _GENDERS[rest[-1]], rest[:-1]
        beds = _beds(rest[-1]) if rest else None
        if beds is None:
            raise DomainError("bad_line", f"{where}：请写明房型，如“双人间”“三人间”“4人间”。", "lines")
        numbers = []
        for token in rest[:-1]:
            found = _numbers(token)
            if found is None:
                raise DomainError("bad_line", f"{where}：房号“{token}”看不懂，请写成 201 或 201-220。", "lines")
            numbers += found
        if not numbers:
            raise DomainError("bad_line", f"{where}：请写出房号，如 201-220。", "lines")
        for number in numbers:
            digits = re.sub(r"\D", "", number)
            room_floor = floor if floor is not None else (int(digits) // 100 if len(digits) >= 3 else 1)
            if (building, number) in seen:
                raise DomainError("duplicate", f"{where}：{building}{number} 重复了。", "lines")
            seen.add((building, number))
            rooms.append(RoomSpec(building, room_floor, number, beds, gender))
    if len(rooms) > 1000:
        raise DomainError("too_many", "一次最多添加 1000 个房间。", "lines")
    return rooms


# --- Rooms: the automatic assignment ------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    gender: str  # "M", "F" or "" (not known)
    together: str  # the unit or group kept together
    order: str  # e.g. the student number


@dataclass(frozen=True)
class RoomBeds:
    id: int
    gender: str  # the room's own: "M", "F" or "" (不限)
    beds: int
    taken: tuple = ()  # ((bed, gender of who sleeps there), …) already assigned


@dataclass
class Assignment:
    placed: list = field(default_factory=list)  # [(person id, room id, bed)]
    unplaced: list = field(default_factory=list)  # [(person id, reason)]


def assign_rooms(people, rooms) -> Assignment:
    """Places `people` (those still without a bed) in the free beds of `rooms` (in the order given:
    building, floor, number). Men and women never share a room: a 不限 room takes the gender of
    its first occupant. Within a gender, people are taken by `together` then `order`, and rooms
    are filled one after the other, so a unit (or group) sleeps in neighbouring beds and rooms.
    Rooms of the person's gender (or with occupants of it) are used before 不限 rooms. Deterministic for the same input."""
    result = Assignment()
    lock, free = {}, {}
    for room in rooms:
        taken = dict(room.taken)
        lock[room.id] = room.gender or next(iter(taken.values()), "")
        free[room.id] = [bed for bed in range(1, room.beds + 1) if bed not in taken]
    by_gender = defaultdict(list)
    for person in people:
        if person.gender in ("M", "F"):
            by_gender[person.gender].append(person)
        else:
            result.unplaced.append((person.id, "性别未填，请手工安排"))
    for gender in ("M", "F"):
        queue = sorted(by_gender[gender], key=lambda p: (p.together, p.order, p.id))
        # rooms already this gender's (by their own gender or their occupants') before open ones
        order = [r for r in rooms if lock[r.id] == gender] + [r for r in rooms if lock[r.id] != gender]
        at = 0
        for room in order:
            if at == len(queue):
                break
            if lock[room.id] not in (gender, "") or not free[room.id]:
                continue
            while free[room.id] and at < len(queue):
                result.placed.append((queue[at].id, room.id, free[room.id].pop(0)))
                lock[room.id] = gender
                at += 1
        result.unplaced += [(p.id, "没有空床位") for p in queue[at:]]
    return result


def room_refusal(*, person_gender: str, room_gender: str, occupant_genders, free_beds: int):
    """Why a trainee may not be moved into a room (DomainError), or None."""
    if free_beds <= 0:
        return DomainError("room_full", "这个房间已经住满了。", "room")
    if person_gender not in ("M", "F"):
        return DomainError("no_gender", "请先在花名册中填写这位学员的性别。", "room")
    others = {g for g in occupant_genders if g}
    if (room_gender and room_gender != person_gender) or (others and others != {person_gender}):
        return DomainError("gender_mismatch", "男女学员不能安排在同一房间。", "room")
    return None
