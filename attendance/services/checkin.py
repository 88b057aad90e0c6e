"""Check-in and check-out (by classroom QR, badge or roll call) and manual corrections.

Refusals raise `training.services.DomainError` with a machine code and a Chinese message; refused
scans are also logged with their reason (logger `attendance.checkin`, no personal data).
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.formats import month_day
from training.archive import ensure_open
from training.models import Enrollment, Session, Trainee

from .. import rules, selectors, tokens
from ..models import AttendanceChange, AttendanceRecord, DeviceBinding, Method

logger = logging.getLogger("attendance.checkin")

REFUSALS = {
    "forged": "这不是有效的签到二维码，请扫描教室大屏上的二维码。",
    "other_session": "这是其他课次的二维码，请扫描本课次大屏上的二维码。",
    "expired": "二维码已过期，请重新扫描大屏上最新的二维码。",
    "future": "二维码时间不符，请重新扫描大屏上的二维码。",
    "not_open": "本课次签到尚未开始，请在开课前 {minutes} 分钟内扫码。",
    "closed": "本课次签到已结束。如有特殊情况，请联系班主任。",
    "no_checkout": "本课次不需要签退。",
    "checkout_not_open": "签退尚未开始，请在下课前 {minutes} 分钟内扫码签退。",
    "checkout_closed": "本课次签退已结束。如有特殊情况，请联系班主任。",
    "not_enrolled": "您不在本班花名册中，不能签到。请联系班主任。",
    "withdrawn": "您已退训，不能签到。",
    "network": "请连接培训教室的无线网络后再扫码签到。",
    "not_checked_in": "本课次尚未签到，不能签退。",
    "bad_badge": "无法识别的胸牌码，请重新扫描。",
    "other_course": "这位学员不在本班花名册中。",
}


def _refuse(code: str, *, session: Session, enrollment_id=None, **params) -> DomainError:
    logger.warning("check-in refused: %s (session %s, enrollment %s)", code, session.pk, enrollment_id)
    return DomainError(code, REFUSALS[code].format(**params))


def _enrolled(session: Session, enrollment: Enrollment) -> None:
    if enrollment.course_id != session.course_id:
        raise _refuse("other_course", session=session, enrollment_id=enrollment.pk)
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise _refuse("withdrawn", session=session, enrollment_id=enrollment.pk)
    ensure_open(session.course)  # scans, roll call and corrections all pass here


def _locked_record(session: Session, enrollment: Enrollment, **create) -> tuple[AttendanceRecord, bool]:
    """The (session, enrollment) record, locked for this transaction, created with `create` when
    missing. The unique constraint decides a race: the loser's insert fails and it reads the
    winner's row (on PostgreSQL the insert waits until the winner commits)."""
    records = AttendanceRecord.objects.select_for_update()
    record = records.filter(session=session, enrollment=enrollment).first()
    if record is not None:
        return record, False
    try:
        with transaction.atomic():
            return AttendanceRecord.objects.create(session=session, enrollment=enrollment, **create), True
    except IntegrityError:
        return records.get(session=session, enrollment=enrollment), False


def check_in(
    session: Session,
    enrollment: Enrollment,
    *,
    method: str,
    at: datetime | None = None,
    device: str = "",
    by=None,
    reason: str = "",
) -> AttendanceRecord:
    """Checks the trainee in. Idempotent and race-safe: a repeat (double tap, retry, 200 requests
    at once) returns the first record with its first time and sets `record.repeated`.

    A device that checks in a second trainee of the course flags both trainees' records (代签 is
    flagged for the advisor, not blocked: the whole class shares one Wi-Fi). A manual check-in
    (`Method.MANUAL`) needs `by` and `reason` and is kept in the record's trail."""
    at = at or timezone.now()
    _enrolled(session, enrollment)
    with transaction.atomic():
        if method == Method.MANUAL:
            record, _ = _locked_record(session, enrollment)
            if record.checked_in_at is not None:
                record.repeated = True
                return record
            field = AttendanceChange.Field.CHECK_IN
            return attendance_set(
                session=session, enrollment=enrollment, field=field, value=at, by=by, reason=reason, changed_at=at
            )
        record, created = _locked_record(
            session, enrollment, checked_in_at=at, checkin_method=method, device=device[:64]
        )
        record.repeated = not created and record.checked_in_at is not None
        if record.repeated:
            return record
        if not created:  # a record without a check-in (e.g. cleared at roll call)
            record.checked_in_at, record.checkin_method, record.device = at, method, device[:64]
            record.save(update_fields=["checked_in_at", "checkin_method", "device"])
        if device:
            _bind_device(session.course_id, device[:64], enrollment, record, at)
        return record


def _bind_device(course_id: int, device: str, enrollment: Enrollment, record: AttendanceRecord, at) -> None:
    binding, _ = DeviceBinding.objects.get_or_create(
        course_id=course_id, device=device, defaults={"enrollment": enrollment, "created_at": at}
    )
    if binding.enrollment_id == enrollment.pk:
        return
    owner = Enrollment.objects.select_related("trainee").get(pk=binding.enrollment_id)
    enrollment_name = Trainee.objects.values_list("name", flat=True).get(pk=enrollment.trainee_id)
    record.flagged = True
    record.flag_note = f"与 {owner.trainee.name}（{owner.student_no}）使用同一手机签到"
    record.save(update_fields=["flagged", "flag_note"])
    AttendanceRecord.objects.filter(enrollment=owner, device=device).update(
        flagged=True, flag_note=f"此手机又为 {enrollment_name}（{enrollment.student_no}）签到"
    )


def check_out(
    session: Session,
    enrollment: Enrollment,
    *,
    method: str,
    at: datetime | None = None,
    by=None,
    reason: str = "",
) -> AttendanceRecord:
    """Checks the trainee out. Idempotent: a repeat returns the first check-out time. Refused
    when the trainee has not checked in."""
    at = at or timezone.now()
    _enrolled(session, enrollment)
    with transaction.atomic():
        record = AttendanceRecord.objects.select_for_update().filter(session=session, enrollment=enrollment).first()
        if record is None or record.checked_in_at is None:
            raise _refuse("not_checked_in", session=session, enrollment_id=enrollment.pk)
        record.repeated = record.checked_out_at is not None
        if not record.repeated and method == Method.MANUAL:
            field = AttendanceChange.Field.CHECK_OUT
            return attendance_set(
                session=session, enrollment=enrollment, field=field, value=at, by=by, reason=reason, changed_at=at
            )
        if not record.repeated:
            record.checked_out_at, record.checkout_method = at, method
            record.save(update_fields=["checked_out_at", "checkout_method"])
        return record


def _window_refusal(session: Session, mode: str, now: datetime, enrollment_id) -> DomainError | None:
    course = session.course
    problem = rules.window_problem(
        mode,
        now=now,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        opens_minutes=course.checkin_opens_minutes,
        requires_checkout=session.requires_checkout,
    )
    if not problem:
        return None
    if mode == "out" and problem in ("not_open", "closed"):
        problem = f"checkout_{problem}"
    minutes = rules.CHECKOUT_OPENS_MINUTES if mode == "out" else course.checkin_opens_minutes
    return _refuse(problem, session=session, enrollment_id=enrollment_id, minutes=minutes)


def qr_scan(
    *,
    session: Session,
    enrollment: Enrollment,
    token: str,
    device: str = "",
    ip: str = "",
    at: datetime | None = None,
) -> tuple[AttendanceRecord, str]:
    """A trainee's phone posts the classroom QR it scanned. The one check of the code (signature,
    session, time window), then the enrollment, the check-in or check-out window and the course's
    allowed networks; then checks the trainee in or out. Returns the record and the mode ('in' or
    'out'). Every refusal is logged with its reason."""
    now = at or timezone.now()
    problem, mode = tokens.qr_problem(token, session_id=session.pk, now=now)
    if problem:
        raise _refuse(problem, session=session, enrollment_id=enrollment.pk)
    if enrollment.course_id != session.course_id:
        raise _refuse("not_enrolled", session=session, enrollment_id=enrollment.pk)
    refusal = _window_refusal(session, mode, now, enrollment.pk)
    if refusal:
        raise refusal
    if not rules.network_allowed(ip, session.course.allowed_networks):
        raise _refuse("network", session=session, enrollment_id=enrollment.pk)
    if mode == "out":
        checked_in = AttendanceRecord.objects.filter(
            session=session, enrollment=enrollment, checked_in_at__isnull=False
        ).exists()
        if checked_in or now >= session.ends_at:
            return check_out(session, enrollment, method=Method.QR, at=now), mode
        mode = "in"  # a late arrival scanning the check-out code is checked in (and scans again to leave)
    return check_in(session, enrollment, method=Method.QR, at=now, device=device), mode


def badge_scan(
    *, session: Session, code: str, mode: str = "in", at: datetime | None = None
) -> tuple[AttendanceRecord, Enrollment]:
    """Staff scan a trainee's badge (phone camera or a USB scanner typing into a field). The badge
    code is signed; the check-in window of the session applies as for the classroom QR."""
    now = at or timezone.now()
    enrollment_id = tokens.badge_enrollment_id(code)
    if enrollment_id is None:
        raise _refuse("bad_badge", session=session)
    enrollment = Enrollment.objects.select_related("trainee").filter(pk=enrollment_id).first()
    if enrollment is None or enrollment.course_id != session.course_id:
        raise _refuse("other_course", session=session, enrollment_id=enrollment_id)
    refusal = _window_refusal(session, mode, now, enrollment_id)
    if refusal:
        raise refusal
    if mode == "out":
        return check_out(session, enrollment, method=Method.BADGE, at=now), enrollment
    return check_in(session, enrollment, method=Method.BADGE, at=now), enrollment


# --- Roll call and corrections -----------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *,
    session: Session,
    enrollment: Enrollment,
    field: str,
    value: datetime | None,
    by,
    reason: str,
    changed_at: datetime | None = None,
) -> AttendanceRecord:
    """A manual change by staff: sets or clears the check-in or check-out time. Needs a reason;
    each change is a new row in the record's trail (append-only), and clearing a check-in also
    clears the check-out. A check-out cannot precede the check-in. Setting the value it already
    has changes nothing. Locks the record."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请填写更改原因。", "reason")
    if by is None:
        raise DomainError("by_required", "人工更改须记录操作人。")
    _enrolled(session, enrollment)
    record, _ = _locked_record(session, enrollment)
    record.repeated = False
    now = changed_at or timezone.now()
    changes = []
    if field == AttendanceChange.Field.CHECK_OUT:
        if value is not None and record.checked_in_at is None:
            raise DomainError("not_checked_in", "这位学员尚未签到，不能记签退。")
        if value is not None and value < record.checked_in_at:
            raise DomainError("out_before_in", "签退时间不能早于签到时间。")
        changes.append((field, "checked_out_at", "checkout_method", value))
    else:
        changes.append((field, "checked_in_at", "checkin_method", value))
        if value is not None and record.checked_out_at is not None and value > record.checked_out_at:
            raise DomainError("out_before_in", "签到时间不能晚于签退时间。")
        if value is None and record.checked_out_at is not None:
            changes.append((AttendanceChange.Field.CHECK_OUT, "checked_out_at", "checkout_method", None))
    for change_field, attr, method_attr, new in changes:
        before = getattr(record, attr)
        if before == new:
            continue
        setattr(record, attr, new)
        setattr(record, method_attr, Method.MANUAL if new else "")
        record.save(update_fields=[attr, method_attr])
        AttendanceChange.objects.create(
            record=record,
            field=change_field,
            before=before,
            after=new,
            reason=reason[:200],
            changed_by=by,
            changed_at=now,
        )
        audit.record(
            "attendance.change",
            course=session.course,
            by=by,
            obj=record,
            label=f"{enrollment.trainee.name} · {session.title}",
            before={attr: before},
            after={attr: new, "reason": reason[:200]},
            at=now,
        )
    return record


ROLLCALL_ACTIONS = ("present", "late", "absent", "out")


def _rollcall_open(session: Session, now: datetime) -> None:
    opens, _ = rules.checkin_window(session.starts_at, session.ends_at, session.course.checkin_opens_minutes)
    if now < opens:
        raise DomainError(
            "not_open",
            f"这个课次 {month_day(timezone.localtime(opens))} {timezone.localtime(opens):%H:%M} 才开始签到，现在还不能点名。",
        )


def rollcall_mark(
    *, session: Session, enrollment: Enrollment, action: str, by, reason: str, at: datetime | None = None
) -> AttendanceRecord:
    """One tap at roll call: 到 (present from the start), 迟到 (arrived now), 缺勤 (clears the
    check-in) or 签退 (left now). Refused before the session's check-in window opens."""
    now = at or timezone.now()
    _rollcall_open(session, now)
    if action == "present":
        value, field = min(now, session.starts_at), AttendanceChange.Field.CHECK_IN
    elif action == "late":
        if now <= session.starts_at:
            raise DomainError("not_started", "课程尚未开始，不能记迟到。")
        value, field = now, AttendanceChange.Field.CHECK_IN
    elif action == "absent":
        value, field = None, AttendanceChange.Field.CHECK_IN
    elif action == "out":
        value, field = now, AttendanceChange.Field.CHECK_OUT
    else:
        raise DomainError("bad_action", "未知的点名操作。")
    return attendance_set(
        session=session, enrollment=enrollment, field=field, value=value, by=by, reason=reason, changed_at=now
    )


@transaction.atomic
def rollcall_all_present(*, session: Session, by, reason: str, at=None) -> int:
    """全部出勤: marks present every enrolled trainee who has neither checked in nor approved
    leave for the session. Returns how many were marked."""
    ensure_open(session.course)
    if not (reason or "").strip():
        raise DomainError("reason_required", "请填写更改原因。", "reason")
    now = at or timezone.now()
    _rollcall_open(session, now)
    missing = selectors.rollcall_missing(session, now=now)
    for enrollment in missing:
        rollcall_mark(session=session, enrollment=enrollment, action="present", by=by, reason=reason, at=now)
    return len(missing)
