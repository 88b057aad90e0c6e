"""What leave does to 结业, said before anyone commits to it: the trainee's leave form and the
approval page show the completion rule's projection, and an approval that would cost the trainee
their 结业 needs a ticked confirmation (checked by the service, not by a script)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import LeaveDecision, LeaveRequest
from completion import rules, selectors
from training.tests.factories import SessionFactory, at

OVER = "批准后请假 3 学时，超过结业规则允许的 2.4 学时，将不能结业。"
UNDER = "批准后请假 2 学时，未超过结业规则允许的 2.4 学时，仍可结业。"


@pytest.fixture
def week(course):
    """24 学时 over three days (3 + 3 + 2 a day): the default rule (90% attended) leaves 2.4 学时
    for leave; the morning sessions are 3 学时, the evening ones 2."""
    sessions = {}
    for day in course.days:
        for start, end, hours in (("08:30", "11:30", 3), ("14:00", "17:00", 3), ("19:00", "21:00", 2)):
            sessions[(day, start)] = SessionFactory(
                course=course, starts_at=at(day, start), ends_at=at(day, end), credit_hours=Decimal(hours)
            )
    return sessions


@pytest.fixture
def eve(course):
    now = at(course.start_date - timedelta(days=1), "10:00")
    with time_machine.travel(now, tick=False):
        yield now


def _ask(enrollment, session, now):
    return attendance_services.leave_request_create(
        enrollment=enrollment, sessions=[session], kind="sick", reason="发烧", at=now
    )


def test_the_allowance_is_what_the_attendance_share_and_the_leave_share_leave_over():
    default = rules.CompletionRules(max_leave_percent=Decimal("14.3"))
    assert rules.leave_allowance(rules=default, total_hours=Decimal(24), lost_hours=Decimal(0)) == Decimal("2.4")
    assert rules.leave_allowance(rules=default, total_hours=Decimal(24), lost_hours=Decimal(1)) == Decimal("1.4")
    strict = rules.CompletionRules(min_hours_percent=50, max_leave_percent=Decimal("10"))
    assert rules.leave_allowance(rules=strict, total_hours=Decimal(24), lost_hours=Decimal(0)) == Decimal("2.4")
    assert rules.leave_allowance(rules=default, total_hours=Decimal(24), lost_hours=Decimal(5)) == 0


def test_leave_over_the_limit_is_projected_to_cost_the_completion(course, enrollment, week, eve):
    morning = week[(course.start_date, "08:30")]
    projection = selectors.leave_projection(enrollment=enrollment, sessions=[morning], now=eve)
    assert projection.text == OVER and projection.disqualifies


def test_leave_under_the_limit_is_projected_to_keep_the_completion(course, enrollment, week, eve):
    evening = week[(course.start_date, "19:00")]
    projection = selectors.leave_projection(enrollment=enrollment, sessions=[evening], now=eve)
    assert projection.text == UNDER and not projection.disqualifies


def test_approved_leave_already_taken_counts_in_the_projection(course, enrollment, advisor, week, eve):
    first = _ask(enrollment, week[(course.start_date, "19:00")], eve)
    attendance_services.leave_decide(leave=first, by=advisor, role="advisor", approve=True)  # 2 of 2.4: no confirm
    second = week[(course.end_date, "19:00")]
    projection = selectors.leave_projection(enrollment=enrollment, sessions=[second], now=eve)
    assert projection.text == "批准后请假 4 学时，超过结业规则允许的 2.4 学时，将不能结业。"


def test_approving_over_the_limit_needs_the_confirmation_and_writes_nothing_without_it(
    client, course, enrollment, advisor, week, eve
):
    leave = _ask(enrollment, week[(course.start_date, "08:30")], eve)
    url = reverse("attendance:leave-detail", args=[course.code, leave.pk])
    client.force_login(advisor)
    page = client.get(url).content.decode()
    assert OVER in page and 'name="confirm"' in page

    response = client.post(url, {"approve": "1"})
    assert response.status_code == 200
    assert OVER in response.content.decode() and "请勾选确认" in response.content.decode()
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING and not LeaveDecision.objects.exists()

    response = client.post(url, {"approve": "1", "confirm": "on"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_approving_under_the_limit_shows_the_projection_and_asks_nothing(
    client, course, enrollment, advisor, week, eve
):
    leave = _ask(enrollment, week[(course.start_date, "19:00")], eve)
    url = reverse("attendance:leave-detail", args=[course.code, leave.pk])
    client.force_login(advisor)
    page = client.get(url).content.decode()
    assert UNDER in page and 'name="confirm"' not in page
    assert client.post(url, {"approve": "1"}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_rejecting_needs_no_confirmation(course, enrollment, advisor, week, eve):
    leave = _ask(enrollment, week[(course.start_date, "08:30")], eve)
    leave = attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=False, comment="不准")
    assert leave.status == LeaveRequest.Status.REJECTED


def test_the_trainee_sees_the_projection_before_asking(client, course, enrollment, trainee_user, week, eve):
    url = reverse("attendance:my-leave-new", args=[course.code])
    client.force_login(trainee_user)
    assert "按结业规则，您共可请假 2.4 学时（已请 0 学时）；超过将不能结业。" in client.get(url).content.decode()

    asked = {"kind": "sick", "sessions": [week[(course.start_date, "08:30")].pk], "reason": "发烧"}
    response = client.post(url, asked)
    assert response.status_code == 200 and OVER in response.content.decode()
    assert 'name="confirm"' in response.content.decode() and not LeaveRequest.objects.exists()

    assert client.post(url, {**asked, "confirm": "on"}).status_code == 302
    assert LeaveRequest.objects.get().hours == Decimal("3")
