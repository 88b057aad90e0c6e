"""考核合格 as one more condition of 结业: the rule with an assessment, the completion page's figures
(平时表现 from the attendance already loaded, the weighted total), its fixed number of queries, and
the trainee's own block on /me/."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessment import services as assessment_services
from assessment.rules import ESSAY, EVERYDAY, TEST, Item, assess
from assessment.tests.helpers import assessed
from completion import rules, selectors, services
from training.tests.factories import EnrollmentFactory, TraineeFactory

from .test_certificates import finished_course

D = Decimal


@pytest.fixture
def people(course, enrollment):
    others = [EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1370000{i:04d}")) for i in range(3)]
    return [enrollment, *others]


ITEMS = [Item(TEST, 40, D(60)), Item(ESSAY, 20), Item(EVERYDAY, 40)]
FIGURES = {
    "rules": rules.CompletionRules(min_hours_percent=90),
    "total_hours": D(8),
    "attended_hours": D(8),
    "absences": 0,
    "leave_hours": D(0),
    "discipline_points": 0,
}


def test_without_an_assessment_the_rule_is_as_before():
    assert rules.completion(**FIGURES) == rules.completion(**FIGURES, assessment=None)
    assert rules.completion(**FIGURES).eligible


def test_a_passed_assessment_keeps_the_trainee_eligible():
    passed = assess(ITEMS, {TEST: D(80), ESSAY: D(80), EVERYDAY: D(100)}, D(60))
    assert rules.completion(**FIGURES, assessment=passed) == rules.Completion(True, (), True, ())


def test_a_failed_test_is_a_reason_that_attending_cannot_mend():
    failed = assess(ITEMS, {TEST: D(52), ESSAY: D(80), EVERYDAY: D(100)}, D(60))
    decision = rules.completion(**FIGURES, assessment=failed)
    assert not decision.eligible and not decision.still_possible
    assert decision.reasons == decision.lasting == ("结业测试 52 分，低于及格线 60 分",)


def test_a_failed_total_joins_the_attendance_reasons():
    failed = assess(ITEMS[1:], {ESSAY: D(40), EVERYDAY: D(50)}, D(60))
    decision = rules.completion(**(FIGURES | {"attended_hours": D(6)}), assessment=failed)
    assert decision.reasons == ("到课学时 6，不足总学时 8 的 90%（7.2）", "考核总评 28 分，不足 60 分")


def test_pending_items_leave_completion_possible():
    pending = assess(ITEMS, {TEST: D(70), EVERYDAY: D(100)}, D(60))
    decision = rules.completion(**FIGURES, assessment=pending)
    assert not decision.eligible and decision.still_possible
    assert decision.reasons == ("学习心得尚未评分",) and decision.lasting == ()


@pytest.mark.django_db
def test_the_completion_page_weighs_the_assessment_with_everyday_from_attendance(
    client,
    course,
    people,
    organizer,
):
    finished_course(course, people)  # everyone attends 8 of 8 学时 but the last (4 of 8)
    assessed(course, organizer, weights={TEST: 60, EVERYDAY: 40}, pass_marks={TEST: D(60)})
    marks = {p.pk: D(90) for p in people}
    marks[people[1].pk] = D(52)
    assessment_services.scores_save(course=course, kind=TEST, values=marks, by=organizer)
    rows = {r.enrollment.pk: r for r in selectors.completion_for_course(course, now=course.sessions.last().ends_at)}
    first, failed, last = rows[people[0].pk], rows[people[1].pk], rows[people[-1].pk]
    assert (first.everyday, first.assessment.total, first.eligible) == (D(100), D(94), True)
    assert failed.assessment.total == D("71.2") and not failed.eligible
    assert failed.completion.reasons == ("结业测试 52 分，低于及格线 60 分",)
    # half the 学时 and one 缺勤: 50 − 5 = 45 → 0.6 × 90 + 0.4 × 45 = 72
    assert (last.everyday, last.assessment.total) == (D(45), D(72))
    result = services.certificates_issue(course=course, by=organizer)
    assert people[1] not in [c.enrollment for c in result.issued]
    client.force_login(organizer)
    page = client.get(reverse("completion:completion", args=[course.code])).content.decode()
    assert "结业测试 52 分，低于及格线 60 分" in page and 'data-assessment="71.2"' in page


@pytest.mark.django_db
def test_the_assessed_completion_page_reads_in_a_fixed_number_of_queries(
    client,
    course,
    people,
    organizer,
    django_assert_num_queries,
):
    """The thirteen of an unassessed course (test_certificates), with the items their plan joined,
    staff's scores, the 心得 grades and the plan's pass mark for the heading: sixteen."""
    finished_course(course, people)
    assessed(course, organizer)
    client.force_login(organizer)
    url = reverse("completion:completion", args=[course.code])
    for extra in (0, 20):
        for i in range(extra):
            enrollment = EnrollmentFactory(course=course, trainee=TraineeFactory(phone=f"1350000{i:04d}"))
            assessment_services.scores_save(course=course, kind=TEST, values={enrollment.pk: D(70)}, by=organizer)
        with django_assert_num_queries(16):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_trainee_sees_each_grade_and_the_total_once_all_are_graded(
    client,
    course,
    people,
    organizer,
    trainee_user,
):
    sessions = finished_course(course, people)
    assessed(course, organizer)
    client.force_login(trainee_user)
    url = reverse("completion:my-assessment", args=[course.code])
    with time_machine.travel(sessions[-1].ends_at, tick=False):
        page = client.get(url).content.decode()
        assert "待评" in page and "考核总评" not in page and "学习心得（提交 / 修改）" in page
        essay = assessment_services.essay_submit(enrollment=people[0], title="", body="体会")
        assessment_services.essay_grade(essay=essay, score=D(80), comment="好", by=organizer)
        assessment_services.scores_save(course=course, kind=TEST, values={people[0].pk: D(90)}, by=organizer)
        page = client.get(url).content.decode()
    # 0.4 × 90 + 0.2 × 80 + 0.4 × 100 = 92
    assert "考核总评 <strong>92</strong> 分" in page and "合格" in page
    assert client.get(reverse("completion:my-assessment", args=["QS2099-01"])).status_code == 404
