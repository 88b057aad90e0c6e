"""Writes of the 师资库 (the organization's lecturers) and of who gives a session. Split from
services.py as accounts.py is; the same rules: keyword-only, atomic, DomainError with a code.

A lecturer belongs to one organization; a session may be given only by lecturers of its course's
organization. The session's printed 授课人 text stays its own field: filled from the lecturers
picked when it is left empty (and refilled when they are picked again while it still reads as
filled), never overwritten when typed."""

from django.db import IntegrityError, transaction

from core.errors import DomainError, validate_instance

from . import rules
from .models import Lecturer, Organization, Session, SessionLecturer

LECTURER_FIELDS = ("name", "title", "unit", "topics", "rank", "fee_rate", "is_active")


def _clean(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) and k != "topics" else v for k, v in fields.items()}


def _check_unique(organization: Organization, *, name: str, unit: str, exclude: int | None = None) -> None:
    same = Lecturer.objects.filter(organization=organization, name=name, unit=unit).exclude(pk=exclude)
    if same.exists():
        where = f"（{unit}）" if unit else ""
        raise DomainError("lecturer_exists", f"师资库中已有{name}{where}，请在列表中找到并修改", "name")


@transaction.atomic
def lecturer_create(*, organization: Organization, **fields) -> Lecturer:
    """Adds a lecturer to the organization's pool; name and unit are unique in it."""
    fields = _clean(fields)
    _check_unique(organization, name=fields["name"], unit=fields.get("unit", ""))
    lecturer = Lecturer(organization=organization, **fields)
    validate_instance(lecturer, exclude=["organization"])
    try:
        with transaction.atomic():
            lecturer.save()
    except IntegrityError:  # the same lecturer added at the same moment by another request
        _check_unique(organization, name=lecturer.name, unit=lecturer.unit)
        raise
    return lecturer


@transaction.atomic
def lecturer_update(*, lecturer: Lecturer, **fields) -> Lecturer:
    """Changes a lecturer. Their sessions keep their printed 授课人 text; the 讲课费签收单 reads
    the rate as it is when printed."""
    fields = _clean(fields)
    name, unit = fields.get("name", lecturer.name), fields.get("unit", lecturer.unit)
    _check_unique(lecturer.organization, name=name, unit=unit, exclude=lecturer.pk)
    for key, value in fields.items():
        setattr(lecturer, key, value)
    validate_instance(lecturer, exclude=["organization"])
    lecturer.save(update_fields=[*fields, "updated_at"])
    return lecturer


def lecturer_for_session(*, organization: Organization, name: str, title: str = "", unit: str = "") -> Lecturer:
    """The lecturer typed in on a session form: the pool's one of that name and unit when there is
    one (its title is left as it is), else a new one. Runs inside the session's transaction."""
    name, title, unit = name.strip(), title.strip(), unit.strip()
    existing = Lecturer.objects.filter(organization=organization, name=name, unit=unit).first()
    if existing:
        return existing
    lecturer = Lecturer(organization=organization, name=name, title=title, unit=unit)
    try:
        validate_instance(lecturer, exclude=["organization"])
    except DomainError as error:  # on the session form, the typed-in lecturer's fields
        raise DomainError(error.code, error.message, error.field and f"new_lecturer_{error.field}") from None
    try:
        with transaction.atomic():
            lecturer.save()
    except IntegrityError:  # typed in at the same moment on another session's form: the same person
        return Lecturer.objects.get(organization=organization, name=name, unit=unit)
    return lecturer


def session_lecturers_set(*, session: Session, lecturers: list[Lecturer]) -> None:
    """Makes `lecturers` (in this order) the session's lecturers and, when its 授课人 text is
    empty, fills it from them. Every lecturer must belong to the course's organization. Called
    inside session_create / session_update's transaction."""
    organization_id = session.course.organization_id
    unique = list(dict.fromkeys(lecturers))
    if any(lecturer.organization_id != organization_id for lecturer in unique):
        raise DomainError("lecturer_elsewhere", "只能选择本单位师资库中的授课人", "lecturers")
    before = [link.lecturer for link in SessionLecturer.objects.filter(session=session).select_related("lecturer")]
    filled = rules.session_lecturer_label([(lecturer.label, lecturer.name) for lecturer in before])
    SessionLecturer.objects.filter(session=session).delete()
    SessionLecturer.objects.bulk_create(
        [SessionLecturer(session=session, lecturer=lecturer, position=i) for i, lecturer in enumerate(unique)]
    )
    text = session.lecturer.strip()
    if not text or (before and text == filled):  # empty, or still what the earlier picks filled in
        session.lecturer = rules.session_lecturer_label([(lecturer.label, lecturer.name) for lecturer in unique])
        session.save(update_fields=["lecturer"])
