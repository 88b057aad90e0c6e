"""The completion page: everyone decided by the course's rules from attendance, leave and
discipline, with reasons; organizers override with a reason kept as history."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from attendance import selectors as attendance_selectors
from attendance import services
from attendance.models import Method
from completion import selectors
from completion.models import CompletionOverride
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = pytest.mark.django_db
PHONES = ("13700000011", "13700000012")


@pytest.fixture
def day(course):
    d = course.start_date
    return [
        SessionFactory(course=course, starts_at=at(d, "08:30"), ends_at=at(d, "10:30"), credit_hours=Decimal("4")),
        SessionFactory(course=course, starts_at=at(d, "14:30"), ends_at=at(d, "16:30"), credit_hours=Decimal("4")),
        SessionFactory(
            course=course,
            title="结业式",
            starts_at=at(d, "17:00"),
            ends_at=at(d, "17:30"),
            credit_hours=Decimal("1"),
            required_for_completion=True,
        ),
    ]


def test_completion_follows_attendance_leave_and_discipline(client, organizer, course, day, enrollment, advisor):
    absent, disorderly = (EnrollmentFactory(course=course, trainee=TraineeFactory(phone=p)) for p in PHONES)
    diligent = enrollment
    for person in (diligent, disorderly):
        for session in day:
            services.check_in(session, person, method=Method.QR, at=session.starts_at)
    services.check_in(day[0], absent, method=Method.QR, at=day[0].starts_at)
    course.max_discipline_points = 2
    course.save()
    for _ in range(3):
        services.discipline_record_create(enrollment=disorderly, session=day[0], kind="phone", points=1, by=advisor)
    with time_machine.travel(day[-1].ends_at + timedelta(hours=1), tick=False):
        rows = {r.enrollment.pk: r for r in selectors.completion_for_course(course, now=day[-1].ends_at)}
        client.force_login(organizer)
        page = client.get(reverse("completion:completion", args=[course.code])).content.decode()
    assert rows[diligent.pk].eligible
    assert not rows[absent.pk].eligible
    assert rows[absent.pk].completion.reasons == ("到课学时 4，不足总学时 9 的 90%（8.1）", "未参加必修课次“结业式”")
    assert rows[disorderly.pk].completion.reasons == ("违纪扣分 3 分，超过 2 分",)
    assert "可结业 <strong>1</strong> / 3 人" in page and "未参加必修课次“结业式”" in page


def test_a_running_session_counts_the_same_on_every_page(client, organizer, trainee_user, course, day, enrollment):
    """Checked in to the afternoon lecture while it runs: its 学时 count when it ends, on the
    trainee's page, the grid and the completion page alike."""
    for session in day[:2]:
        services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    during = at(course.start_date, "15:00")
    with time_machine.travel(during, tick=False):
        (row,) = selectors.completion_for_course(course, now=during)
        (grid_row,) = attendance_selectors.attendance_grid(course, now=during).rows
        client.force_login(trainee_user)
        mine = client.get(reverse("attendance:my-attendance")).content.decode()
    assert row.hours == grid_row.hours == Decimal("4")
    assert 'data-hours>4<span class="fs-6 text-body-secondary"> / 9' in mine
    assert "进行中，下课后计 4 学时" in mine
    with time_machine.travel(day[1].ends_at, tick=False):
        (row,) = selectors.completion_for_course(course, now=day[1].ends_at)
        (grid_row,) = attendance_selectors.attendance_grid(course, now=day[1].ends_at).rows
        mine = client.get(reverse("attendance:my-attendance")).content.decode()
    assert row.hours == grid_row.hours == Decimal("8") and "data-hours>8<span" in mine


def test_while_running_it_says_whether_completion_is_still_possible(course, day, enrollment):
    services.check_in(day[0], enrollment, method=Method.QR, at=day[0].starts_at)
    late = EnrollmentFactory(course=course, trainee=TraineeFactory(phone=PHONES[0]))
    row = {r.enrollment.pk: r for r in selectors.completion_for_course(course, now=day[0].ends_at)}
    assert row[enrollment.pk].completion.still_possible and not row[enrollment.pk].eligible
    assert not row[late.pk].completion.still_possible  # 5 of 9 hours left: 8.1 out of reach


def test_an_organizer_overrides_with_a_reason_and_the_history_stays(
    client, organizer, advisor, course, day, enrollment
):
    url = reverse("completion:completion-override", args=[course.code, enrollment.pk])
    client.force_login(advisor)
    assert client.post(url, {"eligible": "1", "reason": "因公"}).status_code == 403
    client.force_login(organizer)
    client.post(url, {"eligible": "1", "reason": ""})
    assert not CompletionOverride.objects.exists()
    client.post(url, {"eligible": "1", "reason": "县委临时抽调参加防汛，经领导批准"})
    client.post(url, {"eligible": "0", "reason": "核实后撤回"})
    assert list(CompletionOverride.objects.values_list("eligible", flat=True)) == [True, False]
    row = selectors.completion_for_course(course, now=day[-1].ends_at)[0]
    assert row.override.reason == "核实后撤回" and not row.eligible
