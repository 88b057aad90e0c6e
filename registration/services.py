"""Writes of 报名 by unit. Each validates first and writes in one transaction; a refusal is a
DomainError with a code and, where it belongs to one, a form field.

Two doors, one set of rules: what a unit contact types is normalised by the roster's own
`training.roster.parse_entry`, and approved nominees join the roster through
`training.services.enrollment_import`, exactly as the rows of a roster file do."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError, validate_instance
from training import archive as training_archive
from training import roster
from training import rules as training_rules
from training import services as training_services
from training.models import Course, Diet, Enrollment, Organization

from . import rules
from .models import Nominee, Notice, Quota, RegistrationSettings, Unit, new_nonce

PERSON_FIELDS = ("name", "gender", "ethnicity", "political_status", "position", "phone", "id_number")
EXTRA_FIELDS = ("diet", "diet_note", "needs_room")


# --- Units ----------------------------------------------------------------------------------------


def _unit_save(unit: Unit) -> Unit:
    unit.name = " ".join(unit.name.split())
    validate_instance(unit, exclude=["organization"])
    clash = Unit.objects.filter(organization_id=unit.organization_id, name=unit.name).exclude(pk=unit.pk)
    if clash.exists():
        raise DomainError("duplicate", f"本单位已有“{unit.name}”", "name")
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise DomainError("duplicate", f"本单位已有“{unit.name}”", "name") from None
    return unit


@transaction.atomic
def unit_create(*, organization: Organization, **fields) -> Unit:
    """Adds a unit to the organization's list; its name is unique in the organization."""
    return _unit_save(Unit(organization=organization, **fields))


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    """Changes a unit (and deactivates it with is_active=False; its quotas and nominees stay)."""
    for name, value in fields.items():
        setattr(unit, name, value)
    return _unit_save(unit)


# --- The 名额分配表, deadline and lock -------------------------------------------------------------


def settings_ensure(course: Course) -> RegistrationSettings:
    settings, _ = RegistrationSettings.objects.get_or_create(course=course)
    return settings


def _held(quota_ids) -> dict[int, int]:
    held = dict.fromkeys(quota_ids, 0)
    for quota_id in (
        Nominee.objects.filter(quota_id__in=quota_ids)
        .exclude(status__in=Nominee.FREED)
        .values_list("quota_id", flat=True)
    ):
        held[quota_id] += 1
    return held


@transaction.atomic
def quotas_set(*, course: Course, places: dict[int, tuple[int, int]], deadline: datetime | None) -> list[Quota]:
    """Sets the course's 名额分配表 from {unit id: (places, extra)} and its deadline, all or nothing.
    Units must be the organization's; a unit's places never fall below the people it has put
    forward (field `places_<unit id>`); a unit set to 0 with nobody put forward leaves the table.
    Locks the course's quota rows, so a unit adding someone cannot slip between check and write."""
    units = Unit.objects.filter(organization_id=course.organization_id, pk__in=list(places)).in_bulk()
    for unit_id in places:
        if unit_id not in units:
            raise DomainError("unknown_unit", "名额分配表中有不属于本单位的基层单位", None)
    existing = {q.unit_id: q for q in Quota.objects.select_for_update().filter(course=course)}
    held = _held([q.pk for q in existing.values()])
    for unit_id, (count, extra) in places.items():
        quota = existing.get(unit_id)
        taken = held[quota.pk] if quota else 0
        if problem := rules.quota_problem(places=count, extra=extra, taken=taken):
            raise DomainError("below_taken", f"{units[unit_id].name}：{problem}", f"places_{unit_id}")
    kept = []
    for unit_id, (count, extra) in places.items():
        quota = existing.get(unit_id)
        if quota is None and count + extra == 0:
            continue
        if quota is not None and count + extra == 0 and held[quota.pk] == 0:
            quota.delete()
            continue
        if quota is None:
            quota = Quota(course=course, unit=units[unit_id])
        quota.places, quota.extra = count, extra
        validate_instance(quota, exclude=["course", "unit"])
        quota.save()
        kept.append(quota)
    settings = settings_ensure(course)
    settings.deadline = deadline
    settings.save(update_fields=["deadline"])
    return kept


@transaction.atomic
def registration_lock(*, course: Course, locked: bool, at=None) -> RegistrationSettings:
    """名单锁定 (or unlocking it again): while locked no unit link changes anything."""
    settings = RegistrationSettings.objects.select_for_update().filter(course=course).first() or settings_ensure(course)
    settings.locked_at = (at or timezone.now()) if locked else None
    settings.save(update_fields=["locked_at"])
    return settings


@transaction.atomic
def quota_extra_set(*, quota: Quota, extra: int) -> Quota:
    """The extra places the organizer allows one unit (追加名额), never below what it holds."""
    quota = Quota.objects.select_for_update().select_related("unit").get(pk=quota.pk)
    taken = _held([quota.pk])[quota.pk]
    if problem := rules.quota_problem(places=quota.places, extra=extra, taken=taken):
        raise DomainError("below_taken", problem, "extra")
    quota.extra = extra
    validate_instance(quota, exclude=["course", "unit"])
    quota.save(update_fields=["extra"])
    return quota


@transaction.atomic
def link_revoke(*, quota: Quota) -> Quota:
    """收回链接: a new nonce; the unit's old link then says so, and a new link is to be sent."""
    quota = Quota.objects.select_for_update().get(pk=quota.pk)
    quota.nonce = new_nonce()
    quota.save(update_fields=["nonce"])
    return quota


# --- What a unit's link does ------------------------------------------------------------------------


def person_values(values: dict) -> dict:
    """A nominee's fields as typed, normalised by the roster's rules, or a DomainError on the
    first field in error."""
    entry, problems = roster.parse_entry({name: values.get(name, "") for name in PERSON_FIELDS})
    if problems:
        raise DomainError("invalid", problems[0].message, problems[0].field or None)
    person = {name: getattr(entry, name) for name in PERSON_FIELDS}
    diet, note = values.get("diet") or Diet.NONE, (values.get("diet_note") or "").strip()
    if problem := training_rules.diet_problem(diet=diet, note=note):
        raise DomainError("invalid", problem, "diet_note")
    return {
        **person,
        "diet": diet,
        "diet_note": note if diet == "other" else "",
        "needs_room": bool(values.get("needs_room")),
    }


def _may_change(course: Course, now) -> None:
    settings = RegistrationSettings.objects.filter(course=course).first()
    problem = rules.unit_may_change(
        now=now, deadline=settings.deadline if settings else None, locked_at=settings.locked_at if settings else None
    )
    if problem:
        raise problem


def _phone_free(course: Course, phone: str, *, but=()) -> None:
    taken = Nominee.objects.filter(course=course, phone=phone).exclude(status__in=Nominee.FREED).exclude(pk__in=but)
    if taken.exists():
        raise DomainError("duplicate_phone", "这个手机号码已经报名本培训班（本单位或其他单位）", "phone")


def _create(values: dict, **fields) -> Nominee:
    nominee = Nominee(**fields, **values)
    validate_instance(nominee, exclude=["course", "quota", "replaces", "enrollment", "decided_by"])
    try:
        with transaction.atomic():
            nominee.save()
    except IntegrityError:  # the same phone put forward at the same moment elsewhere
        raise DomainError("duplicate_phone", "这个手机号码已经报名本培训班（本单位或其他单位）", "phone") from None
    return nominee


def nominee_add(*, quota: Quota, values: dict, at=None) -> Nominee:
    """A unit puts one person forward. Locks the quota row, so two contacts of one unit racing for
    its last place (or last extra place) never exceed places + extra: the second waits, counts
    again and is refused with "quota_full"."""
    values = person_values(values)
    with transaction.atomic():
        quota = Quota.objects.select_for_update().select_related("course").get(pk=quota.pk)
        _may_change(quota.course, at or timezone.now())
        taken = _held([quota.pk])[quota.pk]
        if rules.places_left(places=quota.places, extra=quota.extra, taken=taken) <= 0:
            raise DomainError("quota_full", f"本单位的 {quota.total} 个名额已经报满，如需增加请联系培训班组织者。")
        _phone_free(quota.course, values["phone"])
        return _create(values, course=quota.course, quota=quota)


def _changeable(nominee: Nominee, now) -> Nominee:
    nominee = Nominee.objects.select_for_update().select_related("course", "quota__unit").get(pk=nominee.pk)
    _may_change(nominee.course, now)
    if nominee.status == Nominee.Status.APPROVED:
        raise DomainError("approved", f"{nominee.name}已审核通过，不能再修改或换人；如需调整请联系培训班组织者。")
    if nominee.status in Nominee.FREED:
        done = "已被替换" if nominee.status == Nominee.Status.REPLACED else "的报名已被培训班组织者撤销"
        raise DomainError(nominee.status, f"{nominee.name}{done}。")
    return nominee


@transaction.atomic
def nominee_update(*, nominee: Nominee, values: dict, at=None) -> Nominee:
    """A unit corrects one of its people (pending or returned); a returned one is resubmitted
    (待审核 again, the organizer's comment cleared)."""
    values = person_values(values)
    nominee = _changeable(nominee, at or timezone.now())
    _phone_free(nominee.course, values["phone"], but=[nominee.pk])
    for name, value in values.items():
        setattr(nominee, name, value)
    nominee.status, nominee.comment = Nominee.Status.PENDING, ""
    validate_instance(nominee, exclude=["course", "quota", "replaces", "enrollment", "decided_by"])
    nominee.save()
    return nominee


@transaction.atomic
def nominee_replace(*, nominee: Nominee, values: dict, at=None) -> Nominee:
    """换人: the unit puts another person in one's place. The old row stays, marked replaced, and
    the new one `replaces` it (the record "由X换为Y"); the place count does not change. Locks the
    quota row like an addition."""
    values = person_values(values)
    Quota.objects.select_for_update().filter(pk=nominee.quota_id).first()
    old = _changeable(nominee, at or timezone.now())
    _phone_free(old.course, values["phone"], but=[old.pk])
    old.status = Nominee.Status.REPLACED
    old.save(update_fields=["status", "updated_at"])
    return _create(values, course=old.course, quota=old.quota, replaces=old)


# --- The organizer's decisions ------------------------------------------------------------------------


def _audit_decision(action: str, nominee: Nominee, *, before: str, by) -> None:
    audit.record(
        action,
        course=nominee.course,
        by=by,
        obj=nominee,
        label=f"{nominee.quota.unit.name} {nominee.name}",
        before={"status": before},
        after={"status": nominee.status, "comment": nominee.comment},
    )


@transaction.atomic
def nominee_return(*, nominee: Nominee, comment: str, by=None) -> Nominee:
    """退回: the unit sees the comment on its link and fixes and resubmits."""
    comment = comment.strip()
    if not comment:
        raise DomainError("comment_required", "请写明退回的原因，单位联系人会看到", "comment")
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.status != Nominee.Status.PENDING:
        raise DomainError("not_pending", f"{nominee.name}现在是“{nominee.get_status_display()}”，不能退回")
    nominee.status, nominee.comment, nominee.decided_by = Nominee.Status.RETURNED, comment[:200], by
    nominee.save(update_fields=["status", "comment", "decided_by", "updated_at"])
    _audit_decision("registration.return", nominee, before=Nominee.Status.PENDING, by=by)
    return nominee


@transaction.atomic
def nominee_withdraw(*, nominee: Nominee, comment: str, by=None) -> Nominee:
    """撤销: an approved nominee cannot come after all (the unit phoned). The trainee leaves the
    roster as 退训 (records kept), the place is the unit's again — it puts another person forward
    while its link is open, or the organizer allows an extra place — and the log says why."""
    comment = comment.strip()
    if not comment:
        raise DomainError("comment_required", "请写明撤销的原因，单位联系人会看到", "comment")
    nominee = (
        Nominee.objects.select_for_update(of=("self",))
        .select_related("course", "quota__unit", "enrollment")
        .get(pk=nominee.pk)
    )
    if nominee.status != Nominee.Status.APPROVED:
        raise DomainError("not_approved", f"{nominee.name}现在是“{nominee.get_status_display()}”，只有已通过的才能撤销")
    enrollment = nominee.enrollment
    if enrollment is not None and enrollment.status == Enrollment.Status.ENROLLED:
        training_services.enrollment_update(
            enrollment=enrollment,
            student_no=enrollment.student_no,
            group=enrollment.group,
            status=Enrollment.Status.WITHDRAWN,
            by=by,
        )
    nominee.status, nominee.comment, nominee.decided_by = Nominee.Status.WITHDRAWN, comment[:200], by
    nominee.save(update_fields=["status", "comment", "decided_by", "updated_at"])
    _audit_decision("registration.withdraw", nominee, before=Nominee.Status.APPROVED, by=by)
    return nominee


def nominees_approve(*, course: Course, nominees=None, by=None) -> list[Nominee]:
    """审核通过: the course's pending nominees (or those given) join the roster through the roster
    import's service — the same normalisation, duplicate checks and student numbers as a file —
    all or nothing. A problem names the unit and the person ("县医院工会 张三：…")."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        training_archive.ensure_open(course)
        chosen = Nominee.objects.select_for_update().filter(course=course, status=Nominee.Status.PENDING)
        if nominees is not None:
            chosen = chosen.filter(pk__in=[n.pk for n in nominees])
        chosen = list(chosen.select_related("quota__unit").order_by("quota__unit__name", "created_at", "pk"))
        if not chosen:
            raise DomainError("nothing_pending", "没有待审核的报名人员")
        entries = []
        for row, nominee in enumerate(chosen, start=1):
            values = {name: getattr(nominee, name) for name in PERSON_FIELDS if getattr(nominee, name)}
            values["work_unit"] = nominee.quota.unit.name
            entries.append(roster.RosterEntry(row=row, given=frozenset(values), **values))
        result = training_services.enrollment_import(
            course=course, parse=roster.RosterParse(entries=entries), by=by, source="报名审核"
        )
        if not result.ok:
            named = [
                f"{chosen[p.row - 1].quota.unit.name} {p.name or chosen[p.row - 1].name}：{p.message}"
                if p.row
                else p.message
                for p in result.problems
            ]
            raise DomainError("import_refused", "；".join(named))
        enrolled = {e.trainee.phone: e for e in course.enrollments.select_related("trainee")}
        for nominee in chosen:
            nominee.status, nominee.comment, nominee.decided_by = Nominee.Status.APPROVED, "", by
            nominee.enrollment = enrolled[nominee.phone]
        Nominee.objects.bulk_update(chosen, ["status", "comment", "decided_by", "enrollment"])
        return chosen


# --- The 培训通知 ------------------------------------------------------------------------------------


@transaction.atomic
def notice_save(*, course: Course, doc_number: str, signed_on, **texts) -> Notice:
    """Writes the course's 培训通知 (the one row, created on first save): the 发文字号 cleaned to
    县工发〔2026〕3号 (else field `doc_number`), texts trimmed of blank lines at either end. Locks the
    row, so two organizers saving at once leave one whole version, not a mix."""
    try:
        doc_number = rules.doc_number_clean(doc_number)
    except ValueError as exc:
        raise DomainError("doc_number", str(exc), "doc_number") from None
    notice = Notice.objects.select_for_update().filter(course=course).first() or Notice(course=course)
    notice.doc_number, notice.signed_on = doc_number, signed_on
    for name in Notice.TEXTS:
        setattr(notice, name, (texts.get(name) or "").strip())
    validate_instance(notice, exclude=["course"])
    notice.save()
    return notice
