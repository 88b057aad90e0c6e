"""Discipline records (纪律记录, voided never deleted) and the published discipline bulletin."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import audit, formats
from core.errors import DomainError
from training.archive import ensure_open
from training.models import Course, Enrollment, Session

from .. import rules, selectors
from ..models import Bulletin, DisciplineRecord


@transaction.atomic
def discipline_record_create(
    *,
    enrollment: Enrollment,
    session: Session | None,
    kind: str,
    points: int,
    by,
    minutes_out: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> DisciplineRecord:
    """Records a behaviour entry (使用手机, 随意出入教室 with the minutes out, 喧哗, 其他 with a note).
    Lateness, early leave and absence are not recorded here: they follow from attendance."""
    ensure_open(enrollment.course)
    note = (note or "").strip()
    if session is not None and session.course_id != enrollment.course_id:
        raise DomainError("other_course", "课次不属于本班。", "session")
    if kind == DisciplineRecord.Kind.IN_OUT and not minutes_out:
        raise DomainError("minutes_required", "随意出入教室请填写离开教室的分钟数。", "minutes_out")
    if kind == DisciplineRecord.Kind.OTHER and not note:
        raise DomainError("note_required", "类型为“其他”时请写明情况。", "note")
    if points < 0 or points > 100:
        raise DomainError("bad_points", "扣分应在 0 到 100 之间。", "points")
    record = DisciplineRecord.objects.create(
        enrollment=enrollment,
        session=session,
        kind=kind,
        points=points,
        minutes_out=minutes_out if kind == DisciplineRecord.Kind.IN_OUT else None,
        note=note[:300],
        recorded_by=by,
        recorded_at=at or timezone.now(),
    )
    audit.record(
        "discipline.create",
        course=enrollment.course,
        by=by,
        obj=record,
        label=f"{enrollment.trainee.name} · {record.get_kind_display()}",
        after={"kind": kind, "points": points, "minutes_out": record.minutes_out, "note": record.note},
        at=record.recorded_at,
    )
    return record


@transaction.atomic
def discipline_record_void(*, record: DisciplineRecord, by, reason: str, at=None) -> DisciplineRecord:
    """Voids an entry (it stays, marked void, with who and why); never deletes it."""
    ensure_open(record.enrollment.course)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请填写作废原因。", "reason")
    record = (
        DisciplineRecord.objects.select_for_update(of=("self",))
        .select_related("enrollment__course", "enrollment__trainee")
        .get(pk=record.pk)
    )
    if record.voided_at is not None:
        raise DomainError("voided", "这条记录已作废。")
    record.voided_at, record.voided_by, record.void_reason = at or timezone.now(), by, reason[:200]
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit.record(
        "discipline.void",
        course=record.enrollment.course,
        by=by,
        obj=record,
        label=f"{record.enrollment.trainee.name} · {record.get_kind_display()}",
        before={"points": record.points, "voided": False},
        after={"voided": True, "reason": record.void_reason},
        at=record.voided_at,
    )
    return record


# --- Bulletin --------------------------------------------------------------------------------------------


_WORDS = {"title": "标题", "recipients": "主送", "opening": "开头", "closing": "结尾"}


@transaction.atomic
def bulletin_publish(
    *,
    course: Course,
    day: date | None,
    by,
    at: datetime | None = None,
    title: str | None = None,
    recipients: str | None = None,
    opening: str | None = None,
    closing: str | None = None,
) -> Bulletin:
    """Publishes the discipline bulletin of a day (or of the whole course) as a 公文 the course's
    trainees can read: the figures frozen as they are now, with the words it is issued in (title,
    主送, opening, closing: the defaults of attendance.rules.bulletin_wording where not given;
    given ones must not be empty), the issuing organ and a 发文字号 such as 县工培通〔2026〕3号.
    The number counts the course's publications in order: publishing a day again makes a new
    version, which is a new document with the next number; earlier ones stay as they were.
    Locks the course row, so two publications never share a number or a version."""
    ensure_open(course)
    at = at or timezone.now()
    locked = Course.objects.select_for_update(of=("self",)).select_related("organization").get(pk=course.pk)
    data = selectors.bulletin_data(course, day=day, now=at)
    if not data["sessions"]:
        raise DomainError("nothing_ended", "还没有已结束的课次，暂不能发布通报。")
    default = selectors.bulletin_default_wording(course, day=day, data=data)
    words = {}
    for name, label in _WORDS.items():
        given = {"title": title, "recipients": recipients, "opening": opening, "closing": closing}[name]
        value = getattr(default, name) if given is None else given.strip()
        if name == "recipients":
            value = value.rstrip(":：").rstrip()
        if not value:
            raise DomainError("words_required", f"请填写通报的{label}。", name)
        words[name] = value
    words["recipients"] = rules.recipients_line(words["recipients"])
    words["opening"] = "\n".join(rules.paragraphs(words["opening"]))
    words["closing"] = "\n".join(rules.paragraphs(words["closing"]))
    number = (Bulletin.objects.filter(course=course).aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = Bulletin.objects.filter(course=course, day=day).count() + 1
    doc_number = formats.document_number(locked.bulletin_number_prefix, year=timezone.localdate(at).year, number=number)
    bulletin = Bulletin.objects.create(
        course=course,
        day=day,
        version=version,
        number=number,
        doc_number=doc_number,
        issuer=locked.organization.name,
        data=data,
        published_by=by,
        published_at=at,
        **words,
    )
    audit.record(
        "bulletin.publish",
        course=course,
        by=by,
        obj=bulletin,
        label=f"{doc_number} {bulletin.title}" + (f" 第{version}版" if version > 1 else ""),
        at=at,
    )
    return bulletin
