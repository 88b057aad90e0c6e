"""The pages: a trainee answers on the phone through the client and meets plain refusals; staff
see counts, rates and means, comments only from the threshold up, in a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import Answer, Responded
from training.models import Enrollment

from .helpers import answer, attended_session, trainees

pytestmark = pytest.mark.django_db
QUERIES = 12


def post_answer(form, value="4", comment=""):
    data = {f"s_{item['key']}": value for item in form.items}
    data["c_comment"] = comment
    return data


def test_a_trainee_sees_what_waits_and_answers_on_the_phone(client, course, enrollment, trainee_user):
    session = attended_session(course, [enrollment])
    _, forms = services.forms_ensure(course)
    client.force_login(trainee_user)
    with time_machine.travel(session.ends_at + timedelta(minutes=3), tick=False):
        block = client.get(reverse("evaluation:my-waiting", args=[course.code])).content.decode()
        assert "有 1 项评教等您填写" in block
        listing = client.get(reverse("evaluation:mine")).content.decode()
        url = reverse("evaluation:answer-session", args=[session.pk])
        assert url in listing and "去评价" in listing
        page = client.get(url).content.decode()
        assert "针对性" in page and "教风教态" in page and 'type="radio"' in page and "意见和建议" in page
        response = client.post(url, post_answer(forms["lecture"], comment="案例丰富"))
        assert response.status_code == 302 and response["Location"] == reverse("evaluation:thanks")
        assert "感谢您的评价" in client.get(response["Location"]).content.decode()
        assert Answer.objects.get().comments == {"comment": "案例丰富"}
        again = client.get(url).content.decode()
        assert "您已评价过" in again
        assert client.post(url, post_answer(forms["lecture"])).status_code == 200
        assert Answer.objects.count() == 1
        assert "有 1 项" not in client.get(reverse("evaluation:my-waiting", args=[course.code])).content.decode()
        assert "已评价" in client.get(reverse("evaluation:mine")).content.decode()


def test_a_missing_score_comes_back_on_the_form(client, course, enrollment, trainee_user):
    session = attended_session(course, [enrollment])
    _, forms = services.forms_ensure(course)
    client.force_login(trainee_user)
    data = post_answer(forms["lecture"])
    del data["s_theory"]
    with time_machine.travel(session.ends_at, tick=False):
        response = client.post(reverse("evaluation:answer-session", args=[session.pk]), data)
    assert response.status_code == 200
    assert "请为“理论性”打分。" in response.content.decode()
    assert not Responded.objects.exists()


@pytest.mark.parametrize(
    ("who", "moment", "message"),
    [
        ("absent", timedelta(minutes=5), "您没有参加这个课次"),
        ("present", timedelta(hours=25), "评价已经截止"),
        ("present", -timedelta(hours=1), "评价还没有开始"),
    ],
)
def test_refusals_are_plain_pages(client, course, enrollment, other_enrollment, who, moment, message):
    from training import services as training_services

    session = attended_session(course, [enrollment])
    person = enrollment if who == "present" else other_enrollment
    client.force_login(training_services.trainee_user_ensure(trainee=person.trainee))
    url = reverse("evaluation:answer-session", args=[session.pk])
    with time_machine.travel(session.ends_at + moment, tick=False):
        for response in (client.get(url), client.post(url, {"s_targeted": "5"})):
            assert response.status_code == 200
            assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_staff_see_counts_and_means_and_comments_only_from_the_threshold(client, course, organizer):
    people = trainees(course, 6)
    shown = attended_session(course, people)
    hidden = attended_session(course, people, starts_at=shown.starts_at + timedelta(hours=3))
    for n, enrollment in enumerate(people[:5]):
        answer(enrollment, shown, value=5 if n < 2 else 4, comment=f"讲得很好{n}")
    for enrollment in people[:4]:
        answer(enrollment, hidden, value=3, comment="不该显示的意见")
    client.force_login(organizer)
    url = reverse("evaluation:results", args=[course.code])
    with time_machine.travel(hidden.ends_at + timedelta(minutes=5), tick=False):
        still_open = client.get(url)  # while open, nothing to read a new answer off
    rows = {r.session: r for r in still_open.context["rows"]}
    assert (rows[shown].answered, rows[shown].shown, rows[shown].means) == (5, False, [])
    assert "讲得很好" not in still_open.content.decode() and "截止后显示" in still_open.content.decode()
    with time_machine.travel(hidden.ends_at + timedelta(hours=25), tick=False):
        response = client.get(url)
    text = response.content.decode()
    rows = {r.session: r for r in response.context["rows"]}
    assert (rows[shown].answered, rows[shown].attended) == (5, 6)
    assert rows[shown].overall == 4.4 and dict(rows[shown].means)["针对性"] == 4.4
    assert "83%" in text and "4.40" in text and "讲得很好3" in text
    assert (rows[hidden].answered, rows[hidden].shown, rows[hidden].means) == (4, False, [])
    assert "不该显示的意见" not in text and "不足 5 人，不显示" in text


def test_a_trainee_who_withdraws_after_answering_leaves_the_rate_at_most_100_percent(client, course, organizer):
    people = trainees(course, 3)
    session = attended_session(course, people)
    for enrollment in people:
        answer(enrollment, session)
    Enrollment.objects.filter(pk=people[0].pk).update(status=Enrollment.Status.WITHDRAWN)
    client.force_login(organizer)
    with time_machine.travel(session.ends_at + timedelta(minutes=5), tick=False):
        response = client.get(reverse("evaluation:results", args=[course.code]))
    row = next(r for r in response.context["rows"] if r.session == session)
    assert (row.answered, row.attended) == (2, 2)


def test_staff_see_a_bar_chart_per_item_only_where_means_are_shown(client, course, organizer):
    people = trainees(course, 6)
    shown = attended_session(course, people)
    hidden = attended_session(course, people, starts_at=shown.starts_at + timedelta(hours=3))
    for n, enrollment in enumerate(people[:5]):
        answer(enrollment, shown, value=5 if n < 2 else 4)
    for enrollment in people[:4]:
        answer(enrollment, hidden, value=3)
    client.force_login(organizer)
    with time_machine.travel(hidden.ends_at + timedelta(hours=25), tick=False):
        response = client.get(reverse("evaluation:results", args=[course.code]))
    rows = {r.session: r for r in response.context["rows"]}
    assert dict(rows[shown].distributions)["针对性"] == [0, 0, 0, 3, 2]
    assert rows[hidden].distributions == [] and rows[hidden].charts == []
    text = response.content.decode()
    charts = text[text.index('id="evaluation-charts"') : text.index('id="evaluation-comments"')]
    assert f'data-session="{shown.pk}"' in charts and f'data-session="{hidden.pk}"' not in charts
    assert charts.count('role="img"') == 5  # one chart per item of the lecture form
    assert 'aria-label="针对性评分分布：5分2人，4分3人，3分0人，2分0人，1分0人；均分4.40"' in charts
    assert '<g class="bar" data-score="4" data-count="3">' in charts and "<title>教风教态评分分布" in charts
    assert reverse("documents:evaluation-report-pdf", args=[course.code]) in text


def test_the_results_page_runs_a_fixed_number_of_queries(client, course, organizer, django_assert_num_queries):
    people = trainees(course, 3)
    first = attended_session(course, people)
    answer(people[0], first)
    client.force_login(organizer)
    url = reverse("evaluation:results", args=[course.code])
    client.get(url)  # the forms are made on the first visit

    def count():
        # session, user, staff membership, course (with organization), settings, forms, sessions,
        # check-ins per session, trainees who attended anything, Responded counts, answers,
        # can_manage
        with django_assert_num_queries(QUERIES) as context:
            client.get(url)
        return len(context.captured_queries)

    before = count()
    more = trainees(course, 8, start=40)
    for n in range(3):
        session = attended_session(course, people + more, starts_at=first.starts_at + timedelta(hours=2 + n))
        for enrollment in more:
            answer(enrollment, session)
    assert count() == before


def test_the_organizer_edits_a_form_and_an_advisor_may_not(client, course, organizer, advisor):
    _, forms = services.forms_ensure(course)
    url = reverse("evaluation:form-edit", args=[course.code, "course"])
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(organizer)
    data = {"title": "培训班总体评价", "scale": "10", "items": "课程设置\n总体满意度", "questions": "意见建议"}
    assert client.post(url, data).status_code == 302
    forms["course"].refresh_from_db()
    assert forms["course"].scale == 10 and [i["key"] for i in forms["course"].items] == ["curriculum", "overall"]


def test_a_form_with_answers_cannot_be_edited(client, course, enrollment, organizer):
    session = attended_session(course, [enrollment])
    form = answer(enrollment, session)
    client.force_login(organizer)
    url = reverse("evaluation:form-edit", args=[course.code, form.kind])
    assert "已经有学员填写" in client.get(url).content.decode()
    response = client.post(url, {"title": "x", "scale": "5", "items": "甲", "questions": ""})
    assert response.status_code == 200 and "不能再修改" in response.content.decode()


def test_the_me_page_loads_the_evaluation_block(client, course, trainee_user):
    client.force_login(trainee_user)
    text = client.get(reverse("attendance:me")).content.decode()
    assert reverse("evaluation:my-waiting", args=[course.code]) in text


def test_pages_only_read_until_someone_answers_or_edits(client, course, enrollment, trainee_user, organizer):
    """A GET never writes: a course nobody has evaluated shows the templates' forms, unsaved; the
    first POST (an answer, or an edit) makes the course's rows."""
    from evaluation.models import EvaluationForm, EvaluationSettings

    session = attended_session(course, [enrollment])
    client.force_login(organizer)
    page = client.get(reverse("evaluation:results", args=[course.code])).content.decode()
    assert "针对性" in page and reverse("evaluation:form-edit", args=[course.code, "lecture"]) in page
    assert client.get(reverse("evaluation:form-edit", args=[course.code, "lecture"])).status_code == 200
    assert client.get(reverse("evaluation:settings", args=[course.code])).status_code == 200
    client.force_login(trainee_user)
    with time_machine.travel(session.ends_at + timedelta(minutes=3), tick=False):
        assert client.get(reverse("evaluation:answer-session", args=[session.pk])).status_code == 200
        assert not EvaluationForm.objects.exists() and not EvaluationSettings.objects.exists()
        form = services.forms_ensure(course)[1]["lecture"]
        EvaluationForm.objects.all().delete()
        EvaluationSettings.objects.all().delete()
        response = client.post(reverse("evaluation:answer-session", args=[session.pk]), post_answer(form))
    assert response.status_code == 302 and EvaluationForm.objects.filter(course=course).count() == 3
    assert Answer.objects.count() == 1


def test_my_evaluations_run_the_same_queries_for_one_session_or_many(client, course, enrollment, trainee_user):
    first = attended_session(course, [enrollment])
    answer(enrollment, first)
    client.force_login(trainee_user)
    url = reverse("evaluation:mine")
    moment = first.ends_at + timedelta(minutes=30)

    def count():
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = count()
    for n in range(4):
        session = attended_session(course, [enrollment], starts_at=first.starts_at - timedelta(hours=2 + 2 * n))
        answer(enrollment, session)
    assert count() == before
