"""Reads of 报到、住宿和就餐 shared by the pages, the xlsx export and (later) the documents app's
PDFs. Each runs a fixed number of queries whatever the size of the course; none writes (rows not
made yet are read as their defaults)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from attendance.models import LeaveRequest
from registration.models import Nominee, Unit
from training.models import Course, Enrollment

from . import rules
from .models import Arrival, BedAssignment, LodgingSettings, Meal, MealOptOut, Room, Stay


def settings_of(course: Course) -> LodgingSettings:
    """The course's settings, or the defaults (unsaved) when nobody has saved them. One query."""
    return LodgingSettings.objects.filter(course=course).first() or LodgingSettings(course=course)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def meal_plan(course: Course) -> tuple[list[rules.MealSlot], dict]:
    """The course's meals (the defaults with the saved changes), times aware, and the saved Meal
    rows by (day, kind). One query."""
    rows = {(m.day, m.kind): m for m in Meal.objects.filter(course=course)}
    slots = []
    for slot in rules.default_meals(course.start_date, course.end_date):
        row = rows.get(slot.key)
        slots.append(
            rules.MealSlot(
                slot.day,
                slot.kind,
                row.served if row else slot.served,
                _aware(slot.at),
                timezone.localtime(row.cutoff_at) if row else _aware(slot.cutoff),
            )
        )
    return slots, rows


def _as_nominated(approved) -> dict[int, Stay]:
    """Enrollment id → an unsaved Stay holding what the unit said when it put the person forward
    (报名: a room or not, the dietary need), for `approved` nominees. One query."""
    return {
        row["enrollment_id"]: Stay(**row)
        for row in approved.filter(status=Nominee.Status.APPROVED, enrollment__isnull=False).values(
            "enrollment_id", "needs_room", "diet", "diet_note"
        )
    }


def enrolled(course: Course) -> list[Enrollment]:
    """The course's enrolled trainees with their trainee and `stay_or_default`: the Stay staff
    wrote, else what the unit said at registration, else the defaults (unsaved). By student number.
    Three queries."""
    people = list(
        Enrollment.objects.filter(course=course, status=Enrollment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("student_no", "pk")
    )
    stays = {s.enrollment_id: s for s in Stay.objects.filter(enrollment__course=course)}
    nominated = _as_nominated(Nominee.objects.filter(course=course))
    for person in people:
        person.stay_or_default = stays.get(person.pk) or nominated.get(person.pk) or Stay(enrollment_id=person.pk)
    return people


def stay_of(enrollment: Enrollment) -> Stay:
    """The trainee's Stay, as `enrolled` gives it."""
    return (
        Stay.objects.filter(enrollment=enrollment).first()
        or _as_nominated(Nominee.objects.filter(enrollment=enrollment)).get(enrollment.pk)
        or Stay(enrollment=enrollment)
    )


# --- Meals -------------------------------------------------------------------------------------------


def leave_spans(course: Course) -> dict:
    """Enrollment id → [(start, end)] of each approved leave: from its first session's start to its
    last session's end. One query."""
    through = LeaveRequest.sessions.through
    spans = {}
    for enrollment_id, leave_id, starts, ends in through.objects.filter(
        leaverequest__enrollment__course=course, leaverequest__status=LeaveRequest.Status.APPROVED
    ).values_list("leaverequest__enrollment_id", "leaverequest_id", "session__starts_at", "session__ends_at"):
        start, end = spans.get((enrollment_id, leave_id), (starts, ends))
        spans[(enrollment_id, leave_id)] = (min(start, starts), max(end, ends))
    found = defaultdict(list)
    for (enrollment_id, _), span in spans.items():
        found[enrollment_id].append(span)
    return found


def opt_outs(course: Course) -> set:
    return set(MealOptOut.objects.filter(enrollment__course=course).values_list("enrollment_id", "day", "kind"))


@dataclass
class MealLine:
    slot: rules.MealSlot
    count: rules.MealCount
    state: str  # "open" (before the cut-off), "closed" (after it, not stored yet), "frozen"
    frozen_at: datetime | None = None


def meal_table(course: Course, *, now: datetime) -> list[MealLine]:
    """就餐统计: every served meal with its count — the stored snapshot once frozen at the cut-off,
    else counted now (enrolled − on approved leave − opted out, by dietary need). Seven queries,
    whatever the number of trainees and days."""
    slots, rows = meal_plan(course)
    people = [(e.pk, e.stay_or_default.diet, e.stay_or_default.diet_note) for e in enrolled(course)]
    counts = rules.meal_counts(slots, people, leave_spans(course), opt_outs(course))
    lines = []
    for slot in slots:
        if not slot.served:
            continue
        row = rows.get(slot.key)
        if row is not None and row.frozen_at:
            count = rules.MealCount.from_json(slot.day, slot.kind, row.frozen)
            lines.append(MealLine(slot, count, "frozen", row.frozen_at))
        else:
            lines.append(MealLine(slot, counts[slot.key], "open" if now < slot.cutoff else "closed"))
    return lines


@dataclass
class MyMeal:
    slot: rules.MealSlot
    eating: bool
    open: bool


def meals_for_enrollment(enrollment: Enrollment, *, now: datetime) -> list[MyMeal]:
    """The trainee's meals still to come (served), whether they said they eat it and whether they
    may still change it. Two queries."""
    slots, _ = meal_plan(enrollment.course)
    out = set(MealOptOut.objects.filter(enrollment=enrollment).values_list("day", "kind"))
    return [MyMeal(s, s.key not in out, now < s.cutoff) for s in slots if s.served and s.at > now]


# --- Arrival ---------------------------------------------------------------------------------------------


@dataclass
class UnitLine:
    unit: str
    arrived: int = 0
    expected: int = 0
    late: int = 0


@dataclass
class ArrivalStats:
    expected: int
    arrived: int
    units: list
    missing: list  # enrollments not arrived yet (with trainee, and `unit_contact`: their unit's Unit or None)
    latest: list  # the last arrivals, newest first
    late: list  # those who arrived after the first session began (rules.arrival_late), by arrival
    late_after: datetime | None  # when the first session began (None: no sessions yet)
    people: list  # every enrolled trainee by student number, with `arrival_record` and `arrival_late`


def late_after(course: Course) -> datetime | None:
    """When the course's first session begins: arriving later is 迟到 (rules.arrival_late). One query."""
    return course.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()


def arrival_stats(course: Course) -> ArrivalStats:
    """报到统计: arrived / expected, per work unit (most missing first), who has not arrived (with
    the contact of their 基层单位, matched by the work unit's name), who arrived late, the latest
    arrivals. Four queries."""
    first_start = late_after(course)
    people = list(
        Enrollment.objects.filter(course=course, status=Enrollment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("student_no", "pk")
    )
    arrivals = {a.enrollment_id: a for a in Arrival.objects.filter(enrollment__course=course)}
    units = {}
    for person in people:
        unit = units.setdefault(
            person.trainee.work_unit or "（未填单位）", UnitLine(person.trainee.work_unit or "（未填单位）")
        )
        unit.expected += 1
        person.arrival_record = record = arrivals.get(person.pk)
        person.arrival_late = record is not None and rules.arrival_late(
            arrived_at=record.arrived_at, late_after=first_start
        )
        unit.arrived += record is not None
        unit.late += person.arrival_late
    arrived = [p for p in people if p.arrival_record]
    missing = [p for p in people if not p.arrival_record]
    contacts = {u.name: u for u in Unit.objects.filter(organization_id=course.organization_id)}
    for person in missing:
        person.unit_contact = contacts.get(person.trainee.work_unit)
    return ArrivalStats(
        expected=len(people),
        arrived=len(arrived),
        units=sorted(units.values(), key=lambda u: (u.arrived - u.expected, u.unit)),
        missing=missing,
        latest=sorted(arrived, key=lambda p: p.arrival_record.arrived_at, reverse=True)[:5],
        late=sorted((p for p in arrived if p.arrival_late), key=lambda p: p.arrival_record.arrived_at),
        late_after=first_start,
        people=people,
    )


def search(course: Course, text: str, limit: int = 10, *, first_start: datetime | None = None) -> list[Enrollment]:
    """Trainees of the course whose name, phone or student number contains `text`, each with
    `arrival_record` and `arrival_late` (against `first_start`, late_after(course)). Two queries."""
    text = text.strip()
    if not text:
        return []
    found = list(
        Enrollment.objects.filter(course=course)
        .filter(Q(trainee__name__contains=text) | Q(trainee__phone__contains=text) | Q(student_no=text))
        .select_related("trainee")
        .order_by("student_no")[:limit]
    )
    arrivals = {a.enrollment_id: a for a in Arrival.objects.filter(enrollment__in=found)}
    for person in found:
        person.arrival_record = record = arrivals.get(person.pk)
        person.arrival_late = record is not None and rules.arrival_late(
            arrived_at=record.arrived_at, late_after=first_start
        )
    return found


def bed_of(enrollment: Enrollment) -> BedAssignment | None:
    return BedAssignment.objects.select_related("room").filter(enrollment=enrollment).first()


# --- Rooms -----------------------------------------------------------------------------------------------


@dataclass
class RoomLine:
    room: Room
    beds: list = field(default_factory=list)  # [(bed number, enrollment or None)]

    @property
    def free(self) -> int:
        return sum(1 for _, person in self.beds if person is None)

    @property
    def genders(self) -> set:
        return {p.trainee.gender for _, p in self.beds if p is not None}


@dataclass
class RoomBoard:
    buildings: list  # [(building, [(floor, [RoomLine])])]
    unassigned: list  # enrolled trainees who need a room and have none
    day_students: list  # 走读
    placed: int
    free_beds: int


def room_board(course: Course) -> RoomBoard:
    """住宿安排: the organization's rooms by building and floor with who sleeps in each bed for
    this course, who still needs a bed, and who is 走读. Five queries."""
    rooms = list(Room.objects.filter(organization_id=course.organization_id).order_by("building", "floor", "number"))
    people = {e.pk: e for e in enrolled(course)}
    taken = {}
    for assignment in BedAssignment.objects.filter(course=course):
        taken[(assignment.room_id, assignment.bed)] = people.get(assignment.enrollment_id)
    assigned = {e.pk for e in taken.values() if e is not None}
    buildings = defaultdict(lambda: defaultdict(list))
    free = 0
    for room in rooms:
        line = RoomLine(room, [(bed, taken.get((room.pk, bed))) for bed in range(1, room.beds + 1)])
        line.extra = [p for (room_id, bed), p in taken.items() if room_id == room.pk and bed > room.beds and p]
        if room.is_active:
            free += line.free
        buildings[room.building][room.floor].append(line)
    for person in people.values():
        person.room_line = None
    for building in buildings.values():
        for lines in building.values():
            for line in lines:
                for _, person in line.beds:
                    if person is not None:
                        person.room_line = line
    return RoomBoard(
        buildings=[(b, sorted(floors.items())) for b, floors in sorted(buildings.items())],
        unassigned=[p for p in people.values() if p.stay_or_default.needs_room and p.pk not in assigned],
        day_students=[p for p in people.values() if not p.stay_or_default.needs_room],
        placed=len(assigned),
        free_beds=free,
    )


def room_sheet(course: Course) -> list:
    """住宿安排表 rows for print (and for documents' PDF later): [(building, floor, [(room, [(bed,
    name, gender, unit, phone)])])] of the rooms with someone in them. Four queries."""
    board = room_board(course)
    sheet = []
    for building, floors in board.buildings:
        for floor, lines in floors:
            rooms = [
                (
                    line.room,
                    [
                        (bed, p.trainee.name, p.trainee.get_gender_display(), p.trainee.work_unit, p.trainee.phone)
                        for bed, p in line.beds
                        if p is not None
                    ],
                )
                for line in lines
                if line.free < len(line.beds)
            ]
            if rooms:
                sheet.append((building, floor, rooms))
    return sheet
