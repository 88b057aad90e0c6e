"""The course day, live on the overview: per session of today who is here, on leave, missing or
flagged; pending leave; yesterday's bulletin not yet published. Polled every 30 s by htmx."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from attendance import services
from attendance.models import LeaveRequest, Method
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_two(course, enrollment, other_enrollment, organizer):
    """Day two of the course: yesterday's session held (no bulletin yet), two sessions today. 张丽华
    is on approved leave for the morning; 陈建国 checks in; 王芳 has not come."""
    first_day, second_day = course.start_date, course.start_date + timedelta(days=1)
    SessionFactory(course=course, title="开班式", starts_at=at(first_day, "08:30"), ends_at=at(first_day, "10:30"))
    morning = SessionFactory(
        course=course, title="工会法解读", starts_at=at(second_day, "08:30"), ends_at=at(second_day, "10:30")
    )
    afternoon = SessionFactory(
        course=course, title="现场教学", starts_at=at(second_day, "14:30"), ends_at=at(second_day, "16:30")
    )
    wang = EnrollmentFactory(course=course, trainee=TraineeFactory(name="王芳", phone="13700000009"), student_no="009")
    leave = services.leave_request_create(
        enrollment=enrollment, sessions=[morning], kind=LeaveRequest.Kind.SICK, reason="发烧", at=at(first_day, "18:00")
    )
    services.leave_decide(
        leave=leave, by=organizer, role="organizer", approve=True, at=at(first_day, "18:10"), confirm=True
    )
    services.leave_request_create(
        enrollment=wang,
        sessions=[afternoon],
        kind=LeaveRequest.Kind.PERSONAL,
        reason="家中有事",
        at=at(first_day, "19:00"),
    )
    services.check_in(morning, other_enrollment, method=Method.QR, at=morning.starts_at + timedelta(minutes=2))
    return {"morning": morning, "afternoon": afternoon}


def fragment(client, course, moment):
    with time_machine.travel(moment, tick=False):
        return client.get(reverse("attendance:today", args=[course.code])).content.decode()


def test_the_overview_shows_who_is_here_in_each_session_of_today(client, course, organizer, day_two):
    client.force_login(organizer)
    morning = day_two["morning"]
    during = fragment(client, course, morning.starts_at + timedelta(minutes=20))
    row = during.split(f'data-session="{morning.pk}"')[1].split("</tr>")[0]
    assert "<strong data-checked-in>1</strong> / 3" in row and "进行中" in row
    assert 'data-label="请假">1<' in row and "1</span> 未到" in row
    assert "1 份请假待审批" in during  # 王芳's afternoon request
    assert "的纪律通报还没有发布" in during and "去发布" in during
    after = fragment(client, course, morning.ends_at + timedelta(minutes=5))
    row = after.split(f'data-session="{morning.pk}"')[1].split("</tr>")[0]
    assert "1</span> 缺勤" in row and "已结束" in row
    afternoon_row = after.split(f'data-session="{day_two["afternoon"].pk}"')[1].split("</tr>")[0]
    assert "未开始" in afternoon_row


def test_the_overview_polls_the_fragment_and_advisors_see_it_too(client, course, advisor, day_two):
    client.force_login(advisor)
    dashboard = client.get(reverse("training:course-dashboard", args=[course.code])).content.decode()
    assert f'hx-get="{reverse("attendance:today", args=[course.code])}"' in dashboard
    assert 'hx-trigger="load, every 30s"' in dashboard
    assert "已签到 / 应到" in fragment(client, course, day_two["morning"].starts_at + timedelta(minutes=5))


def test_the_course_day_reads_in_a_fixed_number_of_queries(
    client, course, organizer, day_two, django_assert_num_queries
):
    """The session, its user, the membership check, the course; then the day's sessions,
    enrollments with trainees, records, approved leave (the sheet); whether yesterday had sessions,
    whether its bulletin exists, pending leave. Eleven, for 3 trainees or 33."""
    client.force_login(organizer)
    url = reverse("attendance:today", args=[course.code])
    moment = day_two["morning"].starts_at + timedelta(minutes=20)
    for extra in (0, 30):
        for i in range(extra):
            EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1340000{i:04d}"), student_no=f"X{i:03d}")
        with time_machine.travel(moment, tick=False), django_assert_num_queries(11):
            assert client.get(url).status_code == 200
