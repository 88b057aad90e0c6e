"""Check-in and check-out through the services: idempotent, race-safe, refusing what it must and
logging why."""

import logging
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection

from attendance import rules, services, tokens
from attendance.models import AttendanceChange, AttendanceRecord, Method
from attendance.tests.helpers import race
from core.errors import DomainError
from training.models import Enrollment
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(course):
    return SessionFactory(course=course, starts_at=at(course.start_date, "08:30"), requires_checkout=True)


def test_second_check_in_keeps_the_first_record_and_time(session, enrollment):
    first = services.check_in(session, enrollment, method=Method.QR, at=session.starts_at - timedelta(minutes=3))
    again = services.check_in(session, enrollment, method=Method.QR, at=session.starts_at + timedelta(minutes=20))
    assert again.pk == first.pk
    assert again.repeated and not first.repeated
    assert again.checked_in_at == session.starts_at - timedelta(minutes=3)
    assert AttendanceRecord.objects.count() == 1


def test_check_out_needs_a_check_in_and_keeps_the_first_time(session, enrollment):
    with pytest.raises(DomainError) as error:
        services.check_out(session, enrollment, method=Method.QR, at=session.ends_at)
    assert error.value.code == "not_checked_in"
    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    first = services.check_out(session, enrollment, method=Method.QR, at=session.ends_at - timedelta(minutes=20))
    again = services.check_out(session, enrollment, method=Method.QR, at=session.ends_at)
    assert again.repeated
    assert again.checked_out_at == first.checked_out_at == session.ends_at - timedelta(minutes=20)


def test_a_trainee_of_another_course_or_withdrawn_cannot_be_checked_in(session, enrollment):
    stranger = EnrollmentFactory(course=CourseFactory())
    with pytest.raises(DomainError) as error:
        services.check_in(session, stranger, method=Method.QR)
    assert error.value.code == "other_course"
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    with pytest.raises(DomainError) as error:
        services.check_in(session, enrollment, method=Method.QR)
    assert error.value.code == "withdrawn"
    assert not AttendanceRecord.objects.exists()


def test_one_phone_checking_in_two_trainees_flags_both(session, enrollment, other_enrollment):
    third = EnrollmentFactory(course=session.course)
    services.check_in(session, enrollment, method=Method.QR, device="phone-a")
    services.check_in(session, third, method=Method.QR, device="phone-c")
    services.check_in(session, other_enrollment, method=Method.QR, device="phone-a")
    flagged = {r.enrollment_id: r.flag_note for r in AttendanceRecord.objects.filter(flagged=True)}
    assert set(flagged) == {enrollment.pk, other_enrollment.pk}
    assert "张丽华" in flagged[other_enrollment.pk]
    assert "陈建国" in flagged[enrollment.pk]


def test_manual_check_in_needs_a_reason_and_is_kept_in_the_trail(session, enrollment, advisor):
    with pytest.raises(DomainError) as error:
        services.check_in(session, enrollment, method=Method.MANUAL, by=advisor, reason=" ")
    assert error.value.code == "reason_required"
    assert not AttendanceRecord.objects.exists()
    record = services.check_in(session, enrollment, method=Method.MANUAL, by=advisor, reason="手机没电")
    change = AttendanceChange.objects.get()
    assert (change.record, change.before, change.after, change.reason, change.changed_by) == (
        record,
        None,
        record.checked_in_at,
        "手机没电",
        advisor,
    )


def test_corrections_append_to_the_trail_and_clearing_a_check_in_clears_the_check_out(session, enrollment, advisor):
    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    services.check_out(session, enrollment, method=Method.QR, at=session.ends_at)
    with time_machine.travel(session.starts_at + timedelta(minutes=40), tick=False):
        services.rollcall_mark(session=session, enrollment=enrollment, action="absent", by=advisor, reason="误签更正")
        record = services.rollcall_mark(
            session=session, enrollment=enrollment, action="late", by=advisor, reason="实际 9:10 到"
        )
    assert record.checked_in_at == session.starts_at + timedelta(minutes=40)
    assert record.checked_out_at is None
    trail = list(AttendanceChange.objects.values_list("field", "before", "after"))
    assert trail == [
        ("check_in", session.starts_at, None),
        ("check_out", session.ends_at, None),
        ("check_in", None, session.starts_at + timedelta(minutes=40)),
    ]


def test_all_present_skips_those_checked_in_or_on_leave(session, enrollment, other_enrollment, advisor):
    third = EnrollmentFactory(course=session.course)
    leave = services.leave_request_create(
        enrollment=third, sessions=[session], kind="sick", reason="发烧", at=session.starts_at - timedelta(days=1)
    )
    services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at - timedelta(minutes=5))
    with time_machine.travel(session.starts_at + timedelta(minutes=10), tick=False):
        count = services.rollcall_all_present(session=session, by=advisor, reason="课堂点名")
    assert count == 1
    assert set(AttendanceRecord.objects.values_list("enrollment_id", "checkin_method")) == {
        (enrollment.pk, Method.QR),
        (other_enrollment.pk, Method.MANUAL),
    }


# --- The classroom QR ---------------------------------------------------------------------------------


def scan(session, enrollment, token, now, **kwargs):
    return services.qr_scan(session=session, enrollment=enrollment, token=token, at=now, **kwargs)


def test_every_in_window_token_is_accepted_and_the_rest_refused_and_logged(session, enrollment, caplog):
    other = SessionFactory(course=session.course, starts_at=session.starts_at + timedelta(hours=3))
    start_window = rules.qr_window(session.starts_at - timedelta(minutes=30))
    end_window = rules.qr_window(session.ends_at)
    caplog.set_level(logging.WARNING, logger="attendance.checkin")
    for window in range(start_window + 1, end_window - 1, 17):  # across the whole check-in window
        first_second = datetime.fromtimestamp(window * rules.WINDOW_SECONDS, tz=session.starts_at.tzinfo)
        good = tokens.qr_token(session.pk, "in", window)
        with time_machine.travel(first_second, tick=False):
            cases = {
                "forged": good[:-1] + ("0" if good[-1] != "0" else "1"),
                "other_session": tokens.qr_token(other.pk, "in", window),
                "expired": tokens.qr_token(session.pk, "in", window - 2),
                "future": tokens.qr_token(session.pk, "in", window + 1),
            }
            for code, token in cases.items():
                with pytest.raises(DomainError) as error:
                    scan(session, enrollment, token, first_second)
                assert error.value.code == code
            assert scan(session, enrollment, good, first_second)[1] == "in"
            grace = first_second + timedelta(seconds=rules.WINDOW_SECONDS + rules.GRACE_SECONDS - 1)
            assert scan(session, enrollment, good, grace)[0].checked_in_at is not None
            with pytest.raises(DomainError) as error:
                scan(session, enrollment, good, grace + timedelta(seconds=1))
            assert error.value.code == "expired"
    assert AttendanceRecord.objects.count() == 1
    reasons = [r.getMessage() for r in caplog.records]
    assert any("forged" in m for m in reasons) and any("other_session" in m for m in reasons)
    assert all("13900000001" not in m and "张丽华" not in m for m in reasons)


def test_scanning_outside_the_window_is_refused(session, enrollment):
    opens = session.starts_at - timedelta(minutes=session.course.checkin_opens_minutes)
    for now, code in ((opens - timedelta(seconds=1), "not_open"), (session.ends_at, "closed")):
        token = tokens.qr_token(session.pk, "in", rules.qr_window(now))
        with pytest.raises(DomainError) as error:
            scan(session, enrollment, token, now)
        assert error.value.code == code
    assert not AttendanceRecord.objects.exists()


def test_check_out_by_qr_near_the_end(session, enrollment):
    now = session.ends_at - timedelta(minutes=5)
    scan(
        session,
        enrollment,
        tokens.qr_token(session.pk, "in", rules.qr_window(session.starts_at)),
        session.starts_at,
    )
    record, mode = scan(session, enrollment, tokens.qr_token(session.pk, "out", rules.qr_window(now)), now)
    assert mode == "out" and record.checked_out_at == now
    early = session.ends_at - timedelta(minutes=40)
    with pytest.raises(DomainError) as error:
        scan(session, enrollment, tokens.qr_token(session.pk, "out", rules.qr_window(early)), early)
    assert error.value.code == "checkout_not_open"


def test_a_trainee_not_on_the_roster_and_a_foreign_network_are_refused(session, enrollment):
    now = session.starts_at
    token = tokens.qr_token(session.pk, "in", rules.qr_window(now))
    outsider = EnrollmentFactory(course=CourseFactory())
    with pytest.raises(DomainError) as error:
        scan(session, outsider, token, now)
    assert error.value.code == "not_enrolled"
    session.course.allowed_networks = "10.20.0.0/16"
    session.course.save()
    with pytest.raises(DomainError) as error:
        scan(session, enrollment, token, now, ip="203.0.113.7")
    assert error.value.code == "network"
    assert scan(session, enrollment, token, now, ip="10.20.8.9")[0].checked_in_at == now


def test_badge_codes_are_signed(session, enrollment):
    code = tokens.badge_code(enrollment.pk)
    assert enrollment.trainee.phone not in code
    assert tokens.badge_enrollment_id(code.lower()) == enrollment.pk
    assert tokens.badge_enrollment_id(f"B{enrollment.pk + 1}-{code.split('-')[1]}") is None
    with pytest.raises(DomainError) as error:
        services.badge_scan(session=session, code="B1-000000000000", at=session.starts_at)
    assert error.value.code == "bad_badge"
    record, scanned = services.badge_scan(session=session, code=code, at=session.starts_at)
    assert scanned == enrollment and record.checkin_method == Method.BADGE


# --- Races ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_leave_one_record_and_no_errors(course, enrollment):
    """PostgreSQL: 200 calls from 50 connections at once; SQLite: 20 threads."""
    session = SessionFactory(course=course)
    on_postgres = connection.vendor == "postgresql"
    calls, threads = (200, 50) if on_postgres else (20, 20)
    results = race(calls, threads, lambda: services.check_in(session, enrollment, method=Method.QR))
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert len(results) == calls
    assert AttendanceRecord.objects.filter(session=session, enrollment=enrollment).count() == 1
    first = AttendanceRecord.objects.get().checked_in_at
    assert {r.checked_in_at for r in results} == {first}
    assert sum(1 for r in results if not r.repeated) == 1


def test_a_late_arrival_scanning_the_check_out_code_is_checked_in(session, enrollment):
    now = session.ends_at - timedelta(minutes=10)
    out_code = tokens.qr_token(session.pk, "out", rules.qr_window(now))
    record, mode = scan(session, enrollment, out_code, now)
    assert mode == "in" and record.checked_in_at == now and record.checked_out_at is None
    later = now + timedelta(minutes=12)
    record, mode = scan(session, enrollment, tokens.qr_token(session.pk, "out", rules.qr_window(later)), later)
    assert mode == "out" and record.checked_out_at == later


def test_roll_call_waits_for_the_check_in_window(session, enrollment, advisor):
    too_early = session.starts_at - timedelta(minutes=session.course.checkin_opens_minutes, seconds=1)
    for call in (
        lambda: services.rollcall_mark(
            session=session, enrollment=enrollment, action="present", by=advisor, reason="点名", at=too_early
        ),
        lambda: services.rollcall_all_present(session=session, by=advisor, reason="点名", at=too_early),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "not_open"
    assert not AttendanceRecord.objects.exists()


def test_a_check_out_cannot_come_before_the_check_in(session, enrollment, advisor):
    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at + timedelta(minutes=30))
    with pytest.raises(DomainError) as error:
        services.attendance_set(
            session=session,
            enrollment=enrollment,
            field="check_out",
            value=session.starts_at + timedelta(minutes=10),
            by=advisor,
            reason="更正",
        )
    assert error.value.code == "out_before_in"
    assert not AttendanceChange.objects.exists()


def test_a_session_with_attendance_cannot_be_deleted(session, enrollment):
    from training import services as training_services

    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    with pytest.raises(DomainError) as error:
        training_services.session_delete(session=session)
    assert error.value.code == "has_history"
    assert AttendanceRecord.objects.count() == 1
    empty = SessionFactory(course=session.course)
    training_services.session_delete(session=empty)
