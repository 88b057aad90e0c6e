"""The pages of 报名: a unit's link reaches only its own unit's people, says when it was revoked or
the deadline passed; the organizer's 名额分配表 and 报名进度."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from registration import services, tokens
from registration.models import Nominee, Quota

from .helpers import form_data, person, quota, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(course, organization):
    hospital = quota(course, unit(organization, "县医院工会"), places=2)
    power = quota(course, unit(organization, "县供电公司工会", contact="周强", phone="13700000000"), places=1)
    return hospital, power


def home(q):
    return reverse("registration:unit-home", args=[tokens.link_token(q)])


def test_a_contact_fills_the_unit_page_on_the_link(client, two_units):
    hospital, _ = two_units
    response = client.post(home(hospital), form_data(ethnicity="汉", phone="138 0013 8000"))
    assert response.status_code == 302
    nominee = Nominee.objects.get()
    assert (nominee.quota, nominee.ethnicity, nominee.phone) == (hospital, "汉族", "13800138000")
    page = client.get(home(hospital))
    assert page["Referrer-Policy"] == "same-origin" and "赵春梅" in page.content.decode()
    assert "还可报 <strong data-left>1</strong>" in page.content.decode()


def test_a_bad_phone_comes_back_as_a_chinese_field_error(client, two_units):
    response = client.post(home(two_units[0]), form_data(phone="12345"))
    assert response.status_code == 200
    assert "不是有效的11位手机号码" in response.context["form"].errors["phone"][0]
    assert not Nominee.objects.exists()


def test_a_unit_link_never_reads_or_changes_another_units_people(client, two_units):
    hospital, power = two_units
    theirs = services.nominee_add(quota=power, values=person("周强", "13700000001"))
    assert "周强" not in client.get(home(hospital)).content.decode()
    link = tokens.link_token(hospital)
    for name in ("registration:unit-nominee", "registration:unit-replace"):
        url = reverse(name, args=[link, theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data("王五", "13600000000")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "周强" and theirs.status == "pending" and Nominee.objects.count() == 1


def test_a_forged_or_revoked_link_opens_nothing(client, two_units):
    hospital, _ = two_units
    assert client.get(reverse("registration:unit-home", args=["abc:def"])).status_code == 404
    forged = tokens.link_token(Quota(pk=hospital.pk, nonce="guessed"))
    response = client.get(reverse("registration:unit-home", args=[forged]))
    assert response.status_code == 410
    old = home(hospital)
    services.link_revoke(quota=hospital)
    response = client.post(old, form_data())
    assert response.status_code == 410 and "此链接已被收回，请联系培训班组织者" in response.content.decode()
    assert not Nominee.objects.exists()
    hospital.refresh_from_db()
    assert client.get(home(hospital)).status_code == 200


def test_after_the_deadline_the_link_says_so_and_refuses(client, course, two_units):
    hospital, _ = two_units
    deadline = timezone.now() + timedelta(days=2)
    services.quotas_set(course=course, places={hospital.unit_id: (2, 0)}, deadline=deadline)
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        page = client.get(home(hospital)).content.decode()
        assert "报名已截止" in page and 'id="nominee-form"' not in page
        client.post(home(hospital), form_data())
    assert not Nominee.objects.exists()


def test_a_full_unit_is_told_and_refused(client, two_units):
    _, power = two_units
    services.nominee_add(quota=power, values=person("周强", "13700000001"))
    page = client.get(home(power)).content.decode()
    assert 'id="unit-full"' in page
    response = client.post(home(power), form_data(), follow=True)
    assert "已经报满" in response.content.decode() and Nominee.objects.count() == 1


def test_the_organizer_sets_quotas_for_many_units_on_one_form(client, organizer, course, organization):
    a, b = unit(organization, "县教育局工会"), unit(organization, "县总医院工会")
    client.force_login(organizer)
    url = reverse("registration:quotas", args=[course.code])
    assert client.get(url).status_code == 200
    data = {f"places_{a.pk}": "3", f"extra_{a.pk}": "1", f"places_{b.pk}": "0", f"extra_{b.pk}": "0"}
    data["deadline"] = "2026-04-10T17:00"
    assert client.post(url, data).status_code == 302
    assert [(q.unit.name, q.places, q.extra) for q in Quota.objects.filter(course=course)] == [("县教育局工会", 3, 1)]
    assert timezone.localtime(course.registration_settings.deadline).hour == 17


def test_progress_lists_who_has_not_answered_and_the_organizer_approves(client, organizer, advisor, course, two_units):
    hospital, power = two_units
    services.nominee_add(quota=hospital, values=person())
    client.force_login(advisor)  # advisors read and do not decide
    page = client.get(reverse("registration:progress", args=[course.code])).content.decode()
    assert "县供电公司工会 · 联系人 周强 13700000000" in page and "1 / 2" in page and "全部通过" not in page
    assert client.post(reverse("registration:approve-all", args=[course.code])).status_code == 403
    client.force_login(organizer)
    live = client.get(reverse("registration:progress-live", args=[course.code])).content.decode()
    assert "复制链接" in live and tokens.link_token(hospital) in live
    client.post(reverse("registration:approve-all", args=[course.code]))
    assert course.enrollments.filter(trainee__phone="13800138000").exists()
    assert Nominee.objects.get().status == "approved"


def test_the_organizer_returns_with_a_comment_the_unit_sees(client, organizer, course, two_units):
    hospital, _ = two_units
    nominee = services.nominee_add(quota=hospital, values=person())
    client.force_login(organizer)
    url = reverse("registration:return", args=[course.code, nominee.pk])
    assert client.post(url, {"comment": "请补充职务全称"}).status_code == 302
    client.logout()
    assert "退回意见：请补充职务全称" in client.get(home(hospital)).content.decode()


def test_the_organizer_withdraws_an_approved_nominee_and_the_unit_sees_why(client, organizer, course, two_units):
    hospital, _ = two_units
    services.nominee_add(quota=hospital, values=person())
    [nominee] = services.nominees_approve(course=course, by=organizer)
    client.force_login(organizer)
    progress = client.get(reverse("registration:progress", args=[course.code])).content.decode()
    url = reverse("registration:withdraw", args=[course.code, nominee.pk])
    assert url in progress
    response = client.post(url, {"comment": "单位来电：本人住院"}, follow=True)
    assert "县医院工会的名额已空出，单位可以在报名链接上另报一人" in response.content.decode()
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.WITHDRAWN
    client.logout()
    page = client.get(home(hospital)).content.decode()
    assert "已撤销" in page and "单位来电：本人住院" in page
