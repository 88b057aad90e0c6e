"""Writes of 报到、住宿和就餐. Each validates first, then writes in a transaction; a refusal is a
DomainError with a code (and the form field it concerns). The database has the last word on what
two desks may do at once: one arrival per enrollment, one bed per trainee and one trainee per bed."""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from attendance import tokens
from core.errors import DomainError, validate_instance
from training import rules as training_rules
from training.models import Course, Enrollment, Organization

from . import rules, selectors
from .models import Arrival, BedAssignment, LodgingSettings, Meal, MealOptOut, Room, Stay

# --- Arrival ----------------------------------------------------------------------------------------------


def arrival_record(*, enrollment: Enrollment, by, method: str, at: datetime | None = None) -> tuple[Arrival, bool]:
    """Marks the trainee arrived. Idempotent and race-safe: the second call (or a concurrent one)
    returns the first record and False. Refuses a withdrawn trainee."""
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise DomainError("withdrawn", f"{enrollment.trainee.name} 已退训，不能报到。")
    existing = Arrival.objects.filter(enrollment=enrollment).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            arrival = Arrival.objects.create(
                enrollment=enrollment, arrived_at=at or timezone.now(), method=method, recorded_by=by
            )
    except IntegrityError:  # the same badge at two desks at once
        return Arrival.objects.get(enrollment=enrollment), False
    return arrival, True


def arrival_scan(*, course: Course, text: str, by, at: datetime | None = None) -> tuple[Arrival, bool, Enrollment]:
    """报到 by the badge's QR (the URL /b/<code>/ a scanner types, or the bare code)."""
    enrollment_id = tokens.badge_enrollment_id(tokens.badge_code_from_scan(text))
    if enrollment_id is None:
        raise DomainError("bad_badge", "没有识别出胸牌码，请重新扫描，或按姓名、手机号查找。", "code")
    enrollment = Enrollment.objects.select_related("trainee").filter(pk=enrollment_id, course=course).first()
    if enrollment is None:
        raise DomainError("other_course", "这个胸牌不属于本培训班。", "code")
    enrollment.course = course
    arrival, created = arrival_record(enrollment=enrollment, by=by, method=Arrival.Method.SCAN, at=at)
    return arrival, created, enrollment


# --- Settings, stays and meals ----------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, course: Course, handout: str, meals: dict, canteen: dict | None = None) -> LodgingSettings:
    """Saves what the desk hands out, the canteen's contact (`canteen`: LodgingSettings.CANTEEN_FIELDS;
    None leaves it) and the meal plan: `meals` maps (day, kind) to (served, aware cut-off). A meal
    whose count is frozen keeps its plan; a cut-off after the meal is refused."""
    settings = LodgingSettings.objects.select_for_update().filter(course=course).first() or LodgingSettings(
        course=course
    )
    settings.handout = handout.strip()
    for name, value in (canteen or {}).items():
        setattr(settings, name, value.strip())
    validate_instance(settings, exclude=["course"])
    slots, rows = selectors.meal_plan(course)
    changes = []
    for slot in slots:
        served, cutoff = meals.get(slot.key, (slot.served, slot.cutoff))
        row = rows.get(slot.key)
        if (served, cutoff) == (slot.served, slot.cutoff):
            continue
        if row is not None and row.frozen_at:
            raise DomainError("frozen", f"{slot.day:%m-%d} {slot.label}人数已锁定，不能再修改。")
        if cutoff > slot.at:
            field = f"cutoff_{slot.day:%Y%m%d}_{slot.kind}"
            raise DomainError("cutoff_after_meal", "报餐截止时间不能晚于开餐时间。", field)
        changes.append((slot, served, cutoff, row))
    settings.save()
    for slot, served, cutoff, row in changes:
        row = row or Meal(course=course, day=slot.day, kind=slot.kind)
        row.served, row.cutoff_at = served, cutoff
        row.save()
    return settings


def _opt_out_refusal(slot: rules.MealSlot | None, frozen: bool, now: datetime):
    if slot is None or not slot.served:
        return DomainError("no_meal", "这一餐不供餐。")
    if frozen or now >= slot.cutoff:
        return DomainError(
            "cutoff_passed",
            f"{slot.day.month}月{slot.day.day}日{slot.label}已过报餐截止时间（{timezone.localtime(slot.cutoff):%m-%d %H:%M}），人数已锁定。",
        )
    return None


@transaction.atomic
def meal_choice_set(*, enrollment: Enrollment, day: date, kind: str, eats: bool, by, at: datetime | None = None):
    """The trainee (or staff) says they will, or will not, eat one meal — before its cut-off only.
    Idempotent: saying the same twice leaves one row (or none)."""
    now = at or timezone.now()
    slots, rows = selectors.meal_plan(enrollment.course)
    slot = next((s for s in slots if s.key == (day, kind)), None)
    row = rows.get((day, kind))
    refusal = _opt_out_refusal(slot, bool(row and row.frozen_at), now)
    if refusal:
        raise refusal
    if eats:
        MealOptOut.objects.filter(enrollment=enrollment, day=day, kind=kind).delete()
    else:
        MealOptOut.objects.get_or_create(enrollment=enrollment, day=day, kind=kind, defaults={"by": by, "at": now})


@transaction.atomic
def stay_update(
    *, enrollment: Enrollment, needs_room: bool, diet: str, diet_note: str, skipped: set, by, at: datetime | None = None
) -> Stay:
    """Staff record one trainee's needs: a room or 走读 (走读 gives the bed back), the dietary need,
    and the meals they will not eat (`skipped`: {(day, kind)}); a meal past its cut-off keeps what
    it was. Makes the Stay row the first time."""
    now = at or timezone.now()
    stay = Stay.objects.select_for_update().filter(enrollment=enrollment).first() or Stay(enrollment=enrollment)
    if problem := training_rules.diet_problem(diet=diet, note=diet_note):
        raise DomainError("invalid", problem, "diet_note")
    stay.needs_room, stay.diet, stay.diet_note = needs_room, diet, diet_note.strip() if diet == "other" else ""
    validate_instance(stay, exclude=["enrollment"])
    slots, rows = selectors.meal_plan(enrollment.course)
    current = set(MealOptOut.objects.filter(enrollment=enrollment).values_list("day", "kind"))
    for slot in slots:
        if (slot.key in skipped) != (slot.key in current):
            refusal = _opt_out_refusal(slot, bool(rows.get(slot.key) and rows[slot.key].frozen_at), now)
            if refusal:
                refusal.field = "meals"
                raise refusal
    stay.save()
    if not needs_room:
        BedAssignment.objects.filter(enrollment=enrollment).delete()
    MealOptOut.objects.filter(enrollment=enrollment).exclude(
        pk__in=[o.pk for o in MealOptOut.objects.filter(enrollment=enrollment) if (o.day, o.kind) in skipped]
    ).delete()
    MealOptOut.objects.bulk_create(
        MealOptOut(enrollment=enrollment, day=day, kind=kind, by=by, at=now) for day, kind in skipped - current
    )
    return stay


def meals_freeze(*, now: datetime | None = None) -> int:
    """Stores the count of every served meal whose cut-off has passed and that is not frozen yet
    (the beat runs it every few minutes). Idempotent: a frozen meal is never counted again. Returns
    how many meals were frozen."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    frozen = 0
    courses = Course.objects.filter(start_date__lte=today + timedelta(days=1), end_date__gte=today - timedelta(days=1))
    for course in courses:
        lines = [line for line in selectors.meal_table(course, now=now) if line.state == "closed"]
        if not lines:
            continue
        with transaction.atomic():
            for line in lines:
                row, _ = Meal.objects.select_for_update().get_or_create(
                    course=course,
                    day=line.slot.day,
                    kind=line.slot.kind,
                    defaults={"served": True, "cutoff_at": line.slot.cutoff},
                )
                if row.frozen_at is None:
                    row.frozen, row.frozen_at = line.count.as_json(), now
                    row.save(update_fields=["frozen", "frozen_at"])
                    frozen += 1
    return frozen


# --- Rooms -----------------------------------------------------------------------------------------------


@transaction.atomic
def rooms_add(*, organization: Organization, lines: str) -> list[Room]:
    """Adds the rooms of a bulk list (rules.parse_room_lines); refuses the whole list when one of
    them exists already."""
    specs = rules.parse_room_lines(lines)
    existing = set(Room.objects.filter(organization=organization).values_list("building", "number"))
    clash = [f"{s.building}{s.number}" for s in specs if (s.building, s.number) in existing]
    if clash:
        raise DomainError(
            "exists", f"这些房间已经有了：{'、'.join(clash[:5])}{'等' if len(clash) > 5 else ''}。", "lines"
        )
    rooms = [
        Room(
            organization=organization, building=s.building, floor=s.floor, number=s.number, beds=s.beds, gender=s.gender
        )
        for s in specs
    ]
    for room in rooms:
        validate_instance(room, exclude=["organization"], validate_unique=False, validate_constraints=False)
    return Room.objects.bulk_create(rooms)


@transaction.atomic
def room_update(*, room: Room, **values) -> Room:
    """Edits a room; refuses fewer beds than are taken by a running or coming course, another
    gender than its occupants', and a number the building has already. Locks the room row."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    today = timezone.localdate()
    current = BedAssignment.objects.filter(room=room, course__end_date__gte=today).select_related("enrollment__trainee")
    for name, value in values.items():
        setattr(room, name, value)
    if any(a.bed > room.beds for a in current):
        raise DomainError("beds_taken", "有学员住在要减少的床位上，请先调整住宿。", "beds")
    if room.gender and any(a.enrollment.trainee.gender not in ("", room.gender) for a in current):
        raise DomainError("gender_mismatch", "房间里住着另一性别的学员，请先调整住宿。", "gender")
    if (
        Room.objects.filter(organization_id=room.organization_id, building=room.building, number=room.number)
        .exclude(pk=room.pk)
        .exists()
    ):
        raise DomainError("exists", f"{room.building}已经有 {room.number} 房间。", "number")
    validate_instance(room, exclude=["organization"])
    room.save()
    return room


@transaction.atomic
def rooms_auto_assign(*, course: Course, keep: str, by, at: datetime | None = None) -> rules.Assignment:
    """Places every enrolled trainee who needs a room and has no bed yet (rules.assign_rooms),
    keeping `keep` ("unit" or "group") together; beds already given stay. Five queries and one
    insert, whatever the size; two runs at once: the second meets the unique constraints and is
    refused with "changed_meanwhile"."""
    now = at or timezone.now()
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one auto-assignment per course at a time
    people = selectors.enrolled(course)
    rooms = list(
        Room.objects.filter(organization_id=course.organization_id, is_active=True).order_by(
            "building", "floor", "number"
        )
    )
    gender_of = {e.pk: e.trainee.gender for e in people}
    taken = {}
    placed = set()
    for enrollment_id, room_id, bed in BedAssignment.objects.filter(course=course).values_list(
        "enrollment_id", "room_id", "bed"
    ):
        taken.setdefault(room_id, []).append((bed, gender_of.get(enrollment_id, "")))
        placed.add(enrollment_id)
    waiting = [
        rules.Person(e.pk, e.trainee.gender, (e.trainee.work_unit if keep == "unit" else e.group) or "~", e.student_no)
        for e in people
        if e.stay_or_default.needs_room and e.pk not in placed
    ]
    result = rules.assign_rooms(
        waiting, [rules.RoomBeds(r.pk, r.gender, r.beds, tuple(taken.get(r.pk, ()))) for r in rooms]
    )
    try:
        with transaction.atomic():
            BedAssignment.objects.bulk_create(
                BedAssignment(
                    course=course, room_id=room_id, bed=bed, enrollment_id=person_id, assigned_by=by, assigned_at=now
                )
                for person_id, room_id, bed in result.placed
            )
    except IntegrityError:
        raise DomainError("changed_meanwhile", "有人同时调整了住宿，请刷新后再试。") from None
    return result


def room_move(
    *, course: Course, enrollment: Enrollment, room: Room | None, by, at: datetime | None = None
) -> BedAssignment | None:
    """Moves the trainee to a free bed of `room` (None: takes the bed away). Refuses a full room,
    a room of the other gender and a 走读 trainee; two staff giving the last bed at once: the
    database takes one, the other is told the room is full."""
    now = at or timezone.now()
    if room is not None and room.organization_id != course.organization_id:
        raise DomainError("not_here", "没有这个房间。", "room")
    if room is not None and not selectors.stay_of(enrollment).needs_room:
        raise DomainError("day_student", "这位学员走读，不安排房间（可在食宿需求中修改）。", "room")
    try:
        with transaction.atomic():
            BedAssignment.objects.filter(course=course, enrollment=enrollment).delete()
            if room is None:
                return None
            occupants = list(
                BedAssignment.objects.filter(course=course, room=room).values_list("bed", "enrollment__trainee__gender")
            )
            refusal = rules.room_refusal(
                person_gender=enrollment.trainee.gender,
                room_gender=room.gender,
                occupant_genders=[g for _, g in occupants],
                free_beds=room.beds - len(occupants),
            )
            if refusal:
                raise refusal
            bed = min(set(range(1, room.beds + 1)) - {b for b, _ in occupants})
            return BedAssignment.objects.create(
                course=course, room=room, bed=bed, enrollment=enrollment, assigned_by=by, assigned_at=now
            )
    except IntegrityError:  # the bed was given to someone else a moment ago
        raise DomainError("room_full", "这个房间的最后一张床刚被安排给了别人，请换一个房间。", "room") from None
