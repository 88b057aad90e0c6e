"""师资库: lecturers of an organization, picked for sessions (or typed in on the session form),
their page across courses, and the organization's fee caps."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from training import lecturers, rules, selectors, services
from training.models import Lecturer, Organization
from training.tests.factories import CourseFactory, OrganizationFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "title", "unit", "label"),
    [
        ("孙立新", "四级高级法官", "县人民法院", "县人民法院四级高级法官 孙立新"),
        ("陈静", "", "", "陈静"),
        ("刘文华", "县委党校副校长", "县委党校", "县委党校副校长 刘文华"),  # the unit is not said twice
        ("王建国", "教授", "", "教授 王建国"),
    ],
)
def test_a_lecturers_label_reads_as_the_timetable_writes_it(name, title, unit, label):
    assert rules.lecturer_label(name=name, title=title, unit=unit) == label


def test_a_session_of_several_lecturers_is_labelled_by_their_names():
    assert rules.session_lecturer_label([]) == ""
    assert rules.session_lecturer_label([("县委党校副校长 刘文华", "刘文华")]) == "县委党校副校长 刘文华"
    assert rules.session_lecturer_label([("甲 刘文华", "刘文华"), ("乙 陈静", "陈静")]) == "刘文华、陈静"
    assert rules.session_lecturer_label([("单" * 101 + " 刘文华", "刘文华")]) == "刘文华"


@pytest.mark.parametrize(
    ("rate", "cap", "over"),
    [
        (None, Decimal("300"), False),
        (Decimal("400"), None, False),
        (Decimal("300"), Decimal("300"), False),
        (Decimal("300.01"), Decimal("300"), True),
    ],
)
def test_a_rate_is_over_the_cap_only_when_both_are_set_and_it_is_higher(rate, cap, over):
    assert rules.fee_over_cap(rate, cap) is over


def _lecturer(organization, name="孙立新", **fields):
    return lecturers.lecturer_create(organization=organization, name=name, **fields)


def test_name_and_unit_are_unique_in_the_pool_but_not_across_organizations(organization):
    _lecturer(organization, unit="县人民法院")
    _lecturer(organization, unit="市中级人民法院")  # another person of the same name
    with pytest.raises(DomainError) as error:
        _lecturer(organization, unit="县人民法院", title="法官")
    assert error.value.code == "lecturer_exists" and error.value.field == "name"
    _lecturer(OrganizationFactory(name="石门县总工会"), unit="县人民法院")


def test_picked_lecturers_fill_an_empty_label_in_order_and_a_typed_label_stays(course):
    liu = _lecturer(course.organization, name="刘文华", title="副校长", unit="县委党校")
    chen = _lecturer(course.organization, name="陈静", title="讲师", unit="市总工会干部学校")
    fields = {"title": "工会法", "starts_at": at(course.start_date, "08:30"), "ends_at": at(course.start_date, "10:30")}
    session = services.session_create(course=course, credit_hours=2, lecturers=[chen, liu], lecturer="", **fields)
    assert session.lecturer == "陈静、刘文华"
    assert [sl.lecturer for sl in session.session_lecturers.all()] == [chen, liu]
    typed = services.session_create(course=course, credit_hours=2, lecturers=[liu], lecturer="刘老师", **fields)
    assert typed.lecturer == "刘老师"
    services.session_update(session=typed, title="工会法（二）")  # lecturers None: left as they are
    assert list(typed.lecturers.all()) == [liu]
    services.session_update(session=typed, lecturers=[])
    assert list(typed.lecturers.all()) == []


def test_a_label_filled_from_the_picks_follows_when_they_are_picked_again(course):
    liu = _lecturer(course.organization, name="刘文华", title="副校长", unit="县委党校")
    chen = _lecturer(course.organization, name="陈静", title="讲师", unit="市总工会干部学校")
    fields = {"title": "工会法", "starts_at": at(course.start_date, "08:30"), "ends_at": at(course.start_date, "10:30")}
    session = services.session_create(course=course, credit_hours=2, lecturers=[liu], lecturer="", **fields)
    assert session.lecturer == "县委党校副校长 刘文华"
    # the edit form posts the label back as it shows it; the printed 授课人 follows the new pick
    services.session_update(session=session, lecturers=[chen], lecturer=session.lecturer)
    session.refresh_from_db()
    assert session.lecturer == "市总工会干部学校讲师 陈静"
    services.session_update(session=session, lecturers=[liu], lecturer="刘校长")  # typed: kept
    session.refresh_from_db()
    assert session.lecturer == "刘校长"


def test_a_lecturer_added_at_the_same_moment_elsewhere_is_a_form_error_not_a_crash(organization):
    _lecturer(organization, unit="县人民法院")  # saved by the other request after this one's check
    real_check, checks = lecturers._check_unique, []

    def check_too_early(*args, **kwargs):
        checks.append(kwargs)
        return None if len(checks) == 1 else real_check(*args, **kwargs)

    with mock.patch.object(lecturers, "_check_unique", side_effect=check_too_early):
        with pytest.raises(DomainError) as error:
            _lecturer(organization, unit="县人民法院")
    assert error.value.code == "lecturer_exists"
    assert Lecturer.objects.filter(organization=organization).count() == 1


def test_a_lecturer_typed_on_the_session_form_joins_the_pool_once(course):
    fields = {"title": "工会法", "starts_at": at(course.start_date, "08:30"), "ends_at": at(course.start_date, "10:30")}
    new = {"name": "孙立新", "title": "四级高级法官", "unit": "县人民法院"}
    first = services.session_create(course=course, credit_hours=2, new_lecturer=new, **fields)
    second = services.session_create(course=course, credit_hours=2, new_lecturer={**new, "title": "法官"}, **fields)
    pool = list(course.organization.lecturers.all())
    assert len(pool) == 1 and pool[0].title == "四级高级法官"
    assert first.lecturer == second.lecturer == "县人民法院四级高级法官 孙立新"


def test_another_organizations_lecturer_cannot_give_a_session(course):
    stranger = _lecturer(OrganizationFactory(name="石门县总工会"))
    session = SessionFactory(course=course)
    with pytest.raises(DomainError) as error:
        services.session_update(session=session, lecturers=[stranger])
    assert error.value.code == "lecturer_elsewhere"
    assert not session.session_lecturers.exists()


def _session_post(course, **extra):
    return {
        "kind": "lecture",
        "title": "工会法专题",
        "date": course.start_date.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "credit_hours": "2",
        **extra,
    }


def test_the_session_form_refuses_a_forged_lecturer_of_another_organization(client, organizer, course):
    stranger = _lecturer(OrganizationFactory(name="石门县总工会"))
    inactive = _lecturer(course.organization, name="退休老师", is_active=False)
    client.force_login(organizer)
    url = reverse("training:session-create", args=[course.code])
    for forged in (stranger.pk, inactive.pk):
        response = client.post(url, _session_post(course, lecturers=[forged]))
        assert response.status_code == 200
        assert "lecturers" in response.context["form"].errors
    assert not course.sessions.exists()


def test_the_session_form_picks_lecturers_and_creates_one_inline(client, organizer, course):
    liu = _lecturer(course.organization, name="刘文华", title="副校长", unit="县委党校")
    client.force_login(organizer)
    page = client.get(reverse("training:session-create", args=[course.code])).content.decode()
    assert "刘文华（县委党校副校长）" in page and "data-searchable" in page
    response = client.post(
        reverse("training:session-create", args=[course.code]),
        _session_post(course, lecturers=[liu.pk], new_lecturer_name="陈静", new_lecturer_title="讲师"),
    )
    assert response.status_code == 302
    session = course.sessions.get()
    assert [lecturer.name for lecturer in session.lecturers.order_by("session_lecturers__position")] == [
        "刘文华",
        "陈静",
    ]
    assert session.lecturer == "刘文华、陈静"
    edit = client.get(reverse("training:session-edit", args=[course.code, session.pk]))
    assert set(edit.context["form"].initial["lecturers"]) == set(session.lecturers.values_list("pk", flat=True))
    title_only = client.post(
        reverse("training:session-create", args=[course.code]), _session_post(course, new_lecturer_title="讲师")
    )
    assert "new_lecturer_name" in title_only.context["form"].errors


def test_the_lecturer_pages_list_search_add_and_edit(client, organizer, course):
    _lecturer(course.organization, name="孙立新", unit="县人民法院", topics="工会法解读", fee_rate=Decimal("400"))
    _lecturer(course.organization, name="刘文华", unit="县委党校")
    Organization.objects.filter(pk=course.organization_id).update(fee_cap_other=Decimal("300"))
    client.force_login(organizer)
    url = reverse("training:lecturers", args=[course.organization_id])
    page = client.get(url).content.decode()
    assert "孙立新" in page and "刘文华" in page and "超标准" in page
    found = client.get(url, {"q": "工会法"}).content.decode()
    assert "孙立新" in found and "刘文华" not in found
    response = client.post(
        reverse("training:lecturer-create", args=[course.organization_id]),
        {
            "name": "陈　静",
            "title": "讲师",
            "unit": "市总工会干部学校",
            "rank": "other",
            "fee_rate": "300",
            "is_active": "on",
        },
    )
    chen = Lecturer.objects.get(name="陈静")
    assert response["Location"] == reverse("training:lecturer", args=[course.organization_id, chen.pk])
    client.post(
        reverse("training:lecturer-edit", args=[course.organization_id, chen.pk]),
        {"name": "陈静", "title": "副教授", "unit": "市总工会干部学校", "rank": "deputy", "fee_rate": "450"},
    )
    chen.refresh_from_db()
    assert (chen.title, chen.rank, chen.fee_rate, chen.is_active) == ("副教授", "deputy", Decimal("450"), False)


def test_the_lecturer_page_shows_sessions_across_the_courses_the_viewer_may_see(client, organizer, advisor, course):
    sun = _lecturer(course.organization, name="孙立新", unit="县人民法院")
    spring = CourseFactory(organization=course.organization, code="QS2026-00", name="春季培训班")
    spring.start_date, spring.end_date = (
        course.start_date - timedelta(days=200),
        course.start_date - timedelta(days=198),
    )
    spring.save()
    for c, title in ((course, "工会法解读"), (spring, "劳动合同法解读")):
        services.session_update(session=SessionFactory(course=c, title=title), lecturers=[sun])
    url = reverse("training:lecturer", args=[course.organization_id, sun.pk])
    client.force_login(organizer)
    page = client.get(url).content.decode()
    assert "工会法解读" in page and "劳动合同法解读" in page and "春季培训班" in page
    assert 'id="lecturer-evaluation"' in page  # the evaluation app's slot
    client.force_login(advisor)  # the 班主任 of the running course only
    page = client.get(url).content.decode()
    assert "工会法解读" in page and "劳动合同法解读" not in page


def test_the_lecturer_page_runs_the_same_queries_for_one_session_or_many(client, organizer, course):
    sun = _lecturer(course.organization, name="孙立新")
    url = reverse("training:lecturer", args=[course.organization_id, sun.pk])
    client.force_login(organizer)
    services.session_update(session=SessionFactory(course=course), lecturers=[sun])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in range(3):
        for clock in ("08:30", "14:30"):
            start = at(course.start_date + timedelta(days=day), clock)
            session = SessionFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=2))
            services.session_update(session=session, lecturers=[sun])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(one) == len(many) <= 10, [q["sql"] for q in many.captured_queries]


def test_the_lecturer_selectors_run_one_query(django_assert_num_queries, organizer, course):
    sun = _lecturer(course.organization, name="孙立新")
    for _ in range(3):
        services.session_update(session=SessionFactory(course=course), lecturers=[sun])
    with django_assert_num_queries(1):  # the lecturers with their session counts
        listed = selectors.lecturer_list_for_organization(course.organization)
    assert listed[0].session_count == 3
    with django_assert_num_queries(1):  # the sessions with their courses, the visible courses as a subquery
        sessions = selectors.lecturer_sessions_for_staff(organizer, sun)
    assert [s.course.code for s in sessions] == [course.code] * 3


def test_the_organization_page_keeps_the_fee_caps_and_the_tax_rule(client, organizer, organization):
    client.force_login(organizer)
    url = reverse("training:organization", args=[organization.pk])
    data = {"name": organization.name, "short_name": "县总工会", "fee_cap_deputy": "500", "fee_cap_other": "300"}
    response = client.post(url, {**data, "lecture_tax_rule": "labor"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.fee_caps() == {
        "expert": None,
        "senior": None,
        "deputy": Decimal("500"),
        "other": Decimal("300"),
    }
    assert organization.lecture_tax_rule == "labor"
    page = client.get(url).content.decode()
    assert 'value="500' in page and "讲课费" in page
