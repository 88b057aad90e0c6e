"""评教 live: the classroom screen's QR and response rate in the session's evaluation window only,
the course overview's block of what is open now (in a fixed number of queries), and rates that
count only trainees still on the roster who attended."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from evaluation import selectors, services
from training.models import Enrollment, Session
from training.tests.pdfs import decoded_qr_codes

from .helpers import answer, attended_session, trainees

pytestmark = pytest.mark.django_db
SITE = "http://10.20.1.5:8000"


def screen_block(client, session):
    return client.get(reverse("evaluation:screen", args=[session.course.code, session.pk])).content.decode()


def test_the_rate_rises_after_an_answer_and_a_withdrawal_takes_the_answer_out(course):
    present = trainees(course, 3)
    session = attended_session(course, present)
    _, forms = services.forms_ensure(course)
    with time_machine.travel(session.ends_at, tick=False):
        assert selectors.response_rate(session, forms["lecture"]) == (0, 3)
        answer(present[0], session, at=session.ends_at)
        assert selectors.response_rate(session, forms["lecture"]) == (1, 3)
        answer(present[1], session, at=session.ends_at)
        assert selectors.response_rate(session, forms["lecture"]) == (2, 3)
    # The first one withdraws after answering: out of both counts, the rate never passes 100 %.
    Enrollment.objects.filter(pk=present[0].pk).update(status=Enrollment.Status.WITHDRAWN)
    assert selectors.response_rate(session, forms["lecture"]) == (1, 2)
    Enrollment.objects.filter(pk=present[1].pk).update(status=Enrollment.Status.WITHDRAWN)
    assert selectors.response_rate(session, forms["lecture"]) == (0, 1)


def test_the_screen_shows_the_evaluation_qr_and_live_rate_only_in_the_window(client, settings, course, organizer):
    settings.SITE_URL = SITE
    present = trainees(course, 3)
    session = attended_session(course, present, title="工会法专题解读")
    client.force_login(organizer)
    with time_machine.travel(session.ends_at - timedelta(minutes=11), tick=False):  # opens 10 min before the end
        assert screen_block(client, session).strip() == ""
    with time_machine.travel(session.ends_at - timedelta(minutes=9), tick=False):
        block = screen_block(client, session)
        assert "请扫码评价本课" in block and "<svg" in block
        assert "已评价 0 / 签到 3 人（0%）" in block
    answer(present[0], session, at=session.ends_at - timedelta(minutes=8))
    with time_machine.travel(session.ends_at - timedelta(minutes=7), tick=False):
        assert "已评价 1 / 签到 3 人（33%）" in screen_block(client, session)
    with time_machine.travel(session.ends_at + timedelta(hours=23), tick=False):  # still open the next morning
        assert "已评价 1 / 签到 3 人（33%）" in screen_block(client, session)
    with time_machine.travel(session.ends_at + timedelta(hours=24), tick=False):  # closed
        assert screen_block(client, session).strip() == ""


def test_a_session_not_evaluated_on_its_own_or_a_course_without_evaluation_shows_nothing(client, course, organizer):
    present = trainees(course, 2)
    opening = attended_session(course, present, kind=Session.Kind.OPENING)
    lecture = attended_session(course, present, starts_at=opening.ends_at, ends_at=opening.ends_at + timedelta(hours=2))
    client.force_login(organizer)
    with time_machine.travel(opening.ends_at, tick=False):
        assert screen_block(client, opening).strip() == ""
    settings_, _ = services.forms_ensure(course)
    services.settings_update(settings=settings_, enabled=False)
    with time_machine.travel(lecture.ends_at, tick=False):
        assert screen_block(client, lecture).strip() == ""


def test_the_screen_qr_scans_to_the_sessions_evaluation_form(client, settings, course, organizer):
    settings.SITE_URL = SITE
    session = attended_session(course, trainees(course, 1))
    client.force_login(organizer)
    with time_machine.travel(session.ends_at, tick=False):
        block = screen_block(client, session)
    from weasyprint import HTML

    svg = re.search(r"<svg.*?</svg>", block, re.S).group(0)
    pdf = HTML(string=f'<div style="width: 60mm">{svg}</div>').write_pdf()
    # What a phone reads off the code (not what the template says it drew).
    assert decoded_qr_codes(pdf) == [SITE + reverse("evaluation:answer-session", args=[session.pk])]


def test_the_screen_page_loads_the_evaluation_block(client, course, organizer):
    session = attended_session(course, trainees(course, 1))
    client.force_login(organizer)
    with time_machine.travel(session.starts_at, tick=False):
        page = client.get(reverse("attendance:screen", args=[course.code, session.pk])).content.decode()
    assert f'hx-get="{reverse("evaluation:screen", args=[course.code, session.pk])}"' in page


def overview_block(client, course):
    return client.get(reverse("evaluation:live", args=[course.code])).content.decode()


def test_the_overview_lists_what_is_open_now_with_answered_over_attended(client, course, organizer, advisor):
    present = trainees(course, 4)
    first = attended_session(course, present[:3], title="工会法专题解读")
    later = first.ends_at + timedelta(hours=2)
    second = attended_session(
        course,
        present,
        title="职工之家现场教学",
        kind="site_visit",
        starts_at=later,
        ends_at=later + timedelta(hours=2),
    )
    client.force_login(organizer)
    with time_machine.travel(first.starts_at, tick=False):
        assert overview_block(client, course).strip() == ""  # nothing open yet
    answer(present[0], first, at=second.ends_at)
    with time_machine.travel(second.ends_at, tick=False):
        block = overview_block(client, course)
        assert "工会法专题解读" in block and "职工之家现场教学" in block
        assert "已评 <strong>1</strong> / 参加 3（33%）" in block
        assert "已评 <strong>0</strong> / 参加 4（0%）" in block
        assert "培训班总体评价" not in block  # the course form opens on the last day
        assert reverse("evaluation:results", args=[course.code]) in block
        assert block.count("提醒未评价的学员") == 2
        client.force_login(advisor)
        seen = overview_block(client, course)
        assert "已评 <strong>1</strong> / 参加 3" in seen and "提醒未评价的学员" not in seen  # organizers remind
    last_day = course.sessions.model(course=course, title="结业式", kind="closing")
    last_day.starts_at = first.starts_at + timedelta(days=2)
    last_day.ends_at = last_day.starts_at + timedelta(hours=1)
    last_day.save()
    client.force_login(organizer)
    with time_machine.travel(last_day.starts_at, tick=False):
        block = overview_block(client, course)
        assert "培训班总体评价" in block and "已评 <strong>0</strong> / 参加 4（0%）" in block
        answer(present[1], None, at=last_day.starts_at)
        answer(present[2], None, at=last_day.starts_at)
        assert "已评 <strong>2</strong> / 参加 4（50%）" in overview_block(client, course)
        Enrollment.objects.filter(pk=present[2].pk).update(status=Enrollment.Status.WITHDRAWN)
        assert "已评 <strong>1</strong> / 参加 3（33%）" in overview_block(client, course)


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_block_runs_a_fixed_number_of_queries(client, course, organizer, django_assert_num_queries, size):
    present = trainees(course, size)
    first = attended_session(course, present)
    second = attended_session(course, present, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=2))
    for enrollment in present[:2]:
        answer(enrollment, first, at=second.ends_at)
    client.force_login(organizer)
    with time_machine.travel(second.ends_at, tick=False):
        # login session, user, membership (staff check), course; evaluation settings, forms,
        # sessions; check-ins per session, trainees who attended anything, Responded counts;
        # can_manage
        with django_assert_num_queries(11):
            block = overview_block(client, course)
    assert f"已评 <strong>2</strong> / 参加 {size}" in block and f"已评 <strong>0</strong> / 参加 {size}" in block
