"""Leave requests with their approval tiers, discipline records and the published bulletin."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from attendance import selectors, services
from attendance.models import AttendanceRecord, DisciplineRecord, LeaveRequest, Method
from core.errors import DomainError
from training.tests.factories import SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_one(course):
    d = course.start_date
    return [
        SessionFactory(course=course, starts_at=at(d, "08:30"), ends_at=at(d, "10:30")),
        SessionFactory(course=course, starts_at=at(d, "10:45"), ends_at=at(d, "11:45")),
        SessionFactory(course=course, starts_at=at(d, "14:30"), ends_at=at(d, "16:30")),
        SessionFactory(course=course, starts_at=at(d, "16:45"), ends_at=at(d, "17:45")),
    ]


def ask(enrollment, sessions, at_time, kind=LeaveRequest.Kind.SICK):
    return services.leave_request_create(
        enrollment=enrollment, sessions=sessions, kind=kind, reason="发烧就医", at=at_time
    )


def test_half_a_day_is_the_advisors_to_approve(day_one, enrollment, advisor):
    leave = ask(enrollment, day_one[:2], day_one[0].starts_at - timedelta(days=1))
    # two sessions of 1.5 clock hours and 2 学时 each: counted as completion counts them
    assert (leave.hours, leave.needs_organizer, leave.late_filed) == (Decimal("4.0"), False, False)
    leave = services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    assert leave.status == LeaveRequest.Status.APPROVED
    sheet = selectors.sheet_for_course(enrollment.course, now=day_one[3].ends_at)
    assert [sheet.status(s, enrollment).code for s in day_one] == ["leave", "leave", "absent", "absent"]


def test_longer_leave_needs_the_organizer_too(day_one, enrollment, advisor, organizer):
    leave = ask(enrollment, day_one, day_one[0].starts_at - timedelta(days=1))
    assert leave.needs_organizer
    leave = services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    assert leave.status == LeaveRequest.Status.PENDING
    with pytest.raises(DomainError) as error:
        services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    assert error.value.code == "awaiting_organizer"
    leave = services.leave_decide(
        leave=leave, by=organizer, role="organizer", approve=True, confirm=True, comment="同意"
    )
    assert leave.status == LeaveRequest.Status.APPROVED
    assert list(leave.decisions.values_list("role", "approved")) == [("advisor", True), ("organizer", True)]


def test_rejection_needs_a_comment_and_ends_the_request(day_one, enrollment, advisor):
    leave = ask(enrollment, day_one[:1], day_one[0].starts_at - timedelta(hours=2))
    with pytest.raises(DomainError) as error:
        services.leave_decide(leave=leave, by=advisor, role="advisor", approve=False)
    assert error.value.code == "comment_required"
    leave = services.leave_decide(leave=leave, by=advisor, role="advisor", approve=False, comment="开班式不得请假")
    assert leave.status == LeaveRequest.Status.REJECTED
    with pytest.raises(DomainError) as error:
        services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    assert error.value.code == "decided"
    # A rejected request no longer blocks asking again.
    assert ask(enrollment, day_one[:1], day_one[0].starts_at - timedelta(hours=1)).status == "pending"


def test_leave_asked_after_the_session_began_is_late_filed(day_one, enrollment):
    leave = ask(enrollment, day_one[:2], day_one[0].starts_at + timedelta(minutes=10))
    assert leave.late_filed


def test_leave_for_a_session_already_attended_is_refused(day_one, enrollment):
    services.check_in(day_one[0], enrollment, method=Method.QR, at=day_one[0].starts_at)
    with pytest.raises(DomainError) as error:
        ask(enrollment, day_one[:2], day_one[0].starts_at + timedelta(minutes=30))
    assert error.value.code == "attended" and f"“{day_one[0].title}”您已签到" in error.value.message
    assert not LeaveRequest.objects.exists()
    assert ask(enrollment, day_one[1:2], day_one[0].starts_at + timedelta(minutes=30)).sessions.count() == 1


def test_overlapping_requests_and_bad_input_are_refused_without_writing(day_one, enrollment, other_enrollment):
    ask(enrollment, day_one[1:3], day_one[0].starts_at - timedelta(days=1))
    cases = [
        ({"sessions": day_one[2:]}, "overlap"),
        ({"sessions": []}, "no_sessions"),
        ({"sessions": day_one[3:], "reason": "  "}, "reason_required"),
        ({"sessions": day_one[3:], "kind": "holiday"}, "bad_kind"),
    ]
    for changes, code in cases:
        arguments = {"enrollment": enrollment, "sessions": day_one, "kind": "sick", "reason": "事由", **changes}
        with pytest.raises(DomainError) as error:
            services.leave_request_create(**arguments)
        assert error.value.code == code
    assert LeaveRequest.objects.count() == 1
    assert ask(other_enrollment, day_one[2:], day_one[0].starts_at).status == "pending"  # others are free


def test_coming_back_early_cancels_the_rest(day_one, enrollment, advisor):
    leave = ask(enrollment, day_one, day_one[0].starts_at - timedelta(days=1))
    services.leave_decide(leave=leave, by=advisor, role="organizer", approve=True, confirm=True)
    services.leave_resume(leave=leave, at=day_one[1].ends_at + timedelta(minutes=30))
    sheet = selectors.sheet_for_course(enrollment.course, now=day_one[3].ends_at)
    assert [sheet.status(s, enrollment).code for s in day_one] == ["leave", "leave", "absent", "absent"]
    with pytest.raises(DomainError) as error:
        services.leave_resume(leave=leave, at=day_one[3].starts_at)
    assert error.value.code == "not_approved"


def test_only_pending_requests_can_be_withdrawn(day_one, enrollment, advisor):
    leave = ask(enrollment, day_one[:1], day_one[0].starts_at - timedelta(days=1))
    assert services.leave_withdraw(leave=leave).status == "withdrawn"
    other = ask(enrollment, day_one[:1], day_one[0].starts_at - timedelta(days=1))
    services.leave_decide(leave=other, by=advisor, role="advisor", approve=True, confirm=True)
    with pytest.raises(DomainError):
        services.leave_withdraw(leave=other)


def test_discipline_records_are_voided_not_deleted(day_one, enrollment, advisor):
    with pytest.raises(DomainError) as error:
        services.discipline_record_create(
            enrollment=enrollment, session=day_one[0], kind=DisciplineRecord.Kind.IN_OUT, points=1, by=advisor
        )
    assert error.value.code == "minutes_required"
    record = services.discipline_record_create(
        enrollment=enrollment, session=day_one[0], kind="in_out", points=2, minutes_out=15, by=advisor
    )
    assert selectors.discipline_points(enrollment.course) == {enrollment.pk: 2}
    with pytest.raises(DomainError):
        services.discipline_record_void(record=record, by=advisor, reason="")
    services.discipline_record_void(record=record, by=advisor, reason="记错了人")
    record.refresh_from_db()
    assert (record.voided_by, record.void_reason) == (advisor, "记错了人")
    assert selectors.discipline_points(enrollment.course) == {}
    assert DisciplineRecord.objects.count() == 1
    with pytest.raises(DomainError) as error:
        services.discipline_record_void(record=record, by=advisor, reason="再次")
    assert error.value.code == "voided"


def test_the_bulletin_counts_the_day_and_is_frozen_once_published(day_one, enrollment, other_enrollment, advisor):
    course = enrollment.course
    services.check_in(day_one[0], enrollment, method=Method.QR, at=day_one[0].starts_at + timedelta(minutes=12))
    services.check_in(day_one[0], other_enrollment, method=Method.QR, at=day_one[0].starts_at)
    services.check_in(day_one[1], enrollment, method=Method.QR, at=day_one[1].starts_at)
    services.discipline_record_create(
        enrollment=other_enrollment, session=day_one[1], kind="phone", points=1, by=advisor
    )
    evening = day_one[1].ends_at + timedelta(hours=1)  # the afternoon has not ended yet
    with pytest.raises(DomainError) as error:
        services.bulletin_publish(course=course, day=course.start_date + timedelta(days=1), by=advisor, at=evening)
    assert error.value.code == "nothing_ended"
    bulletin = services.bulletin_publish(course=course, day=course.start_date, by=advisor, at=evening)
    data = bulletin.data
    assert (data["expected"], data["attended"], data["rate"]) == (4, 3, 75.0)
    assert [(p["name"], p["minutes"]) for p in data["late"]] == [("张丽华", 12)]
    assert [p["name"] for p in data["absent"]] == ["陈建国"]
    assert [(d["name"], d["kind"]) for d in data["discipline"]] == [("陈建国", "使用手机")]
    assert {g["group"]: g["rate"] for g in data["groups"]} == {"第一组": 100.0, "第二组": 50.0}
    # Later corrections do not change what was published; publishing again makes version 2.
    AttendanceRecord.objects.all().delete()
    bulletin.refresh_from_db()
    assert bulletin.data["attended"] == 3
    with time_machine.travel(evening, tick=False):
        again = services.bulletin_publish(course=course, day=course.start_date, by=advisor)
    assert (again.version, again.data["attended"]) == (2, 0)


def test_after_coming_back_the_freed_sessions_can_be_asked_again(day_one, enrollment, advisor):
    leave = ask(enrollment, day_one, day_one[0].starts_at - timedelta(days=1))
    services.leave_decide(leave=leave, by=advisor, role="organizer", approve=True, confirm=True)
    services.leave_resume(leave=leave, at=day_one[1].ends_at)
    with pytest.raises(DomainError) as error:
        ask(enrollment, day_one[:2], day_one[1].ends_at)
    assert error.value.code == "overlap"
    again = ask(enrollment, day_one[3:], day_one[2].ends_at, kind=LeaveRequest.Kind.PERSONAL)
    assert again.late_filed is False


def test_leave_only_while_the_course_runs(day_one, enrollment):
    course = enrollment.course
    course.status = "closed"
    course.save()
    with pytest.raises(DomainError) as error:
        ask(enrollment, day_one[:1], day_one[0].starts_at - timedelta(days=1))
    assert error.value.code == "course_not_running"


def test_a_bulletin_of_an_empty_roster_says_dash_not_none(client, course, day_one, advisor):
    client.force_login(advisor)
    with time_machine.travel(day_one[-1].ends_at + timedelta(hours=1), tick=False):
        page = client.get(f"/courses/{course.code}/bulletin/?day={course.start_date}").content.decode()
    assert "到课率—" in page and "None" not in page
