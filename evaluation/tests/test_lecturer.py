"""A lecturer's 评教 on their page in the 师资库: per session they gave, across the organization's
courses the user may see, how many answered and the means where shown, and the mean over those
sessions; in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from evaluation import selectors
from training import lecturers
from training.models import Lecturer, Session
from training.tests.factories import CourseFactory

from .helpers import answer, attended_session, trainees

pytestmark = pytest.mark.django_db
AFTER_THE_CLOSE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # every session's evaluation has closed


@pytest.fixture(autouse=True)
def closed():
    """Means show only once an evaluation has closed: these tests read them afterwards."""
    with time_machine.travel(AFTER_THE_CLOSE, tick=False):
        yield


@pytest.fixture
def given(course, advisor):
    """孙立新 gave a lecture in the advisor's course (5 answers: 5, 5, 4, 4, 4), one in another
    course of the organization the advisor does not look after (5 answers of 3), a second lecture
    in the first course with 2 answers (under the threshold) and a discussion (not evaluated)."""
    lecturer = Lecturer.objects.create(organization=course.organization, name="孙立新", title="四级高级法官")
    other = CourseFactory(organization=course.organization, code="QS2026-02", name="2026年工会财务培训班")
    first_people, other_people = trainees(course, 6), trainees(other, 5, start=60)
    high = attended_session(course, first_people, title="工会法解读")
    few = attended_session(course, first_people, title="劳动争议调解", starts_at=high.starts_at + timedelta(hours=3))
    low = attended_session(other, other_people, title="工会经费审查")
    talk = attended_session(course, first_people, title="分组讨论", kind=Session.Kind.DISCUSSION)
    for n, enrollment in enumerate(first_people[:5]):
        answer(enrollment, high, value=5 if n < 2 else 4)
    for enrollment in other_people:
        answer(enrollment, low, value=3)
    for enrollment in first_people[:2]:
        answer(enrollment, few, value=1)
    for session in (high, few, low, talk):
        lecturers.session_lecturers_set(session=session, lecturers=[lecturer])
    return {"lecturer": lecturer, "high": high, "few": few, "low": low, "talk": talk}


def url_of(lecturer):
    return reverse("evaluation:lecturer", args=[lecturer.organization_id, lecturer.pk])


def test_the_organizer_sees_each_session_and_the_mean_over_the_shown_ones(client, organizer, given):
    client.force_login(organizer)
    response = client.get(url_of(given["lecturer"]))
    rows = {row.session: row for row in response.context["rows"]}
    assert set(rows) == {given["high"], given["few"], given["low"]}  # the discussion is not evaluated
    high, few, low = rows[given["high"]], rows[given["few"]], rows[given["low"]]
    assert (high.answered, high.overall, dict(high.means)["针对性"]) == (5, 4.4, 4.4)
    assert (low.answered, low.overall) == (5, 3.0)
    assert (few.answered, few.shown, few.means, few.overall) == (2, False, [], None)
    assert response.context["overall"] == 3.7  # (4.4 + 3.0) / 2: the hidden session does not count
    text = response.content.decode()
    assert '<strong class="fs-6" id="lecturer-overall">3.70</strong>' in text and "（2 个课次平均）" in text
    assert "针对性 <strong>4.40</strong>" in text and "2026年工会财务培训班 · 5 人评价" in text
    assert "评价人数不足，不显示均分" in text and "1.00" not in text


def test_while_an_evaluation_is_open_its_means_wait_for_the_close(given):
    sessions = list(Session.objects.select_related("course").filter(pk=given["high"].pk))
    rows, overall = selectors.lecturer_results(sessions, now=given["high"].ends_at + timedelta(hours=1))
    assert (rows[0].answered, rows[0].shown, rows[0].means, overall) == (5, False, [], None)
    assert rows[0].state == "open"


def test_an_advisor_sees_only_the_courses_they_look_after(client, advisor, given):
    client.force_login(advisor)
    response = client.get(url_of(given["lecturer"]))
    assert {row.session for row in response.context["rows"]} == {given["high"], given["few"]}
    assert response.context["overall"] == 4.4 and "工会经费审查" not in response.content.decode()


def test_outsiders_get_nothing(client, other_organizer, trainee_user, given):
    url = url_of(given["lecturer"])
    assert client.get(url).status_code == 302  # to the staff login
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404
    client.force_login(trainee_user)
    assert client.get(url).status_code == 403


def test_a_lecturer_without_evaluated_sessions_gets_a_plain_note(client, organizer, course):
    lecturer = Lecturer.objects.create(organization=course.organization, name="陈静")
    client.force_login(organizer)
    response = client.get(url_of(lecturer))
    assert response.context["rows"] == [] and response.context["overall"] is None
    assert "还没有需要评价的课次" in response.content.decode()


def test_the_lecturer_page_loads_the_block(client, organizer, given):
    lecturer = given["lecturer"]
    client.force_login(organizer)
    page = client.get(reverse("training:lecturer", args=[lecturer.organization_id, lecturer.pk])).content.decode()
    assert f'hx-get="{url_of(lecturer)}" hx-trigger="load"' in page


def test_the_block_runs_a_fixed_number_of_queries(client, organizer, given, django_assert_num_queries):
    lecturer = given["lecturer"]
    client.force_login(organizer)
    url = url_of(lecturer)

    def count():
        # session, user, staff membership, the organization (organizer or advisor of it), the
        # lecturer, their sessions, the courses' settings, their forms, the answers
        with django_assert_num_queries(9):
            response = client.get(url)
        return len(response.context["rows"])

    assert count() == 3
    for n in range(3):  # more courses, more sessions, more answers
        course = CourseFactory(organization=lecturer.organization, code=f"QS2027-0{n}")
        people = trainees(course, 5, start=100 + 10 * n)
        session = attended_session(course, people)
        for enrollment in people:
            answer(enrollment, session, value=4)
        lecturers.session_lecturers_set(session=session, lecturers=[lecturer])
    assert count() == 6


def test_lecturer_results_reads_in_three_queries(given, django_assert_num_queries):
    picked = [given[name].pk for name in ("high", "few", "low", "talk")]
    sessions = list(Session.objects.select_related("course").filter(pk__in=picked))
    with django_assert_num_queries(3):  # settings, forms, answers
        rows, overall = selectors.lecturer_results(sessions, now=AFTER_THE_CLOSE)
    assert len(rows) == 3 and overall == 3.7
