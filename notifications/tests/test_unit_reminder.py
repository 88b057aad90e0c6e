"""报名提醒: from 报名进度 the course's organizers remind, through the outbox, every unit that has
put forward fewer people than its places, while the units' links are open; at most once a day
per unit; by text message to a contact's mobile, else by email, else only in the outbox."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from core.errors import DomainError
from notifications import services, units
from notifications.models import Notification
from notifications.tests.helpers import local_server
from registration import services as registration_services
from registration import tokens as registration_tokens
from registration.tests.helpers import person, unit
from training.tests.factories import CourseFactory, at

pytestmark = pytest.mark.django_db
SITE = "http://10.20.1.5:8000"


@pytest.fixture
def table(settings, course):
    """Four units, the deadline a week before the course: 县医院工会 full (2 of 2), 县供电公司工会 1 of
    3 (a mobile), 县第一中学工会 0 of 2 (a landline and an email), 县文化馆工会 1 of 1 + 1 extra
    (nobody to reach), 县水利局工会 full after a substitution."""
    settings.SITE_URL = SITE
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    org = course.organization
    made = {
        "hospital": unit(org, "县医院工会"),
        "power": unit(org, "县供电公司工会", contact="周强", phone="138 1234 5678"),
        "school": unit(org, "县第一中学工会", contact="陈静", phone="0731-5550001", email="chenjing@example.cn"),
        "culture": unit(org, "县文化馆工会", contact="", phone=""),
        "water": unit(org, "县水利局工会", contact="吴军", phone="13900001111"),
    }
    places = {"hospital": (2, 0), "power": (3, 0), "school": (2, 0), "culture": (1, 1), "water": (1, 0)}
    deadline = at(course.start_date - timedelta(days=7), "17:00")
    now = deadline - timedelta(days=2, hours=7)  # 10:00 two days before the deadline
    with time_machine.travel(now, tick=False):
        registration_services.quotas_set(
            course=course, places={made[k].pk: v for k, v in places.items()}, deadline=deadline
        )
        quotas = {k: u.quotas.get(course=course) for k, u in made.items()}
        registration_services.nominee_add(quota=quotas["hospital"], values=person("甲", "13700000001"))
        registration_services.nominee_add(quota=quotas["hospital"], values=person("乙", "13700000002"))
        registration_services.nominee_add(quota=quotas["power"], values=person("丙", "13700000003"))
        registration_services.nominee_add(quota=quotas["culture"], values=person("丁", "13700000004"))
        first = registration_services.nominee_add(quota=quotas["water"], values=person("戊", "13700000005"))
        registration_services.nominee_replace(nominee=first, values=person("己", "13700000006"))
    return {"quotas": quotas, "deadline": deadline, "now": now}


def remind(course, now):
    return units.units_remind(course=course, link_base=SITE, now=now)


def test_every_unit_short_of_its_places_is_reminded_by_its_contacts_channel(course, table):
    done = remind(course, table["now"])
    assert done.queued == ["县供电公司工会", "县文化馆工会", "县第一中学工会"]  # by name, as 报名进度
    assert done.skipped == [] and done.unreachable == ["县文化馆工会"]
    rows = {n.recipient: n for n in Notification.objects.filter(kind=Notification.Kind.UNIT_REMINDER)}
    assert set(rows) == {"县供电公司工会 周强", "县第一中学工会 陈静", "县文化馆工会"}
    power, school = rows["县供电公司工会 周强"], rows["县第一中学工会 陈静"]
    assert (power.channel, power.address) == ("sms", "13812345678")
    assert (school.channel, school.address) == ("email", "chenjing@example.cn")  # a landline takes no SMS
    assert rows["县文化馆工会"].channel == "console" and rows["县文化馆工会"].course == course
    assert power.title == f"报名提醒：{course.name}"
    assert "周强同志" in power.body and "分配给县供电公司工会3个名额，目前已报1人，还可以报2人" in power.body
    assert "11月13日 17:00截止" in power.body  # the deadline in Asia/Shanghai
    link = registration_tokens.link_token(table["quotas"]["power"])
    assert f"{SITE}{reverse('registration:unit-home', args=[link])}" in power.body
    assert "分配给县文化馆工会2个名额，目前已报1人，还可以报1人" in rows["县文化馆工会"].body  # extra places count


def test_a_unit_is_reminded_at_most_once_a_day(course, table):
    now = table["now"]
    assert len(remind(course, now).queued) == 3
    again = remind(course, now + timedelta(hours=8))  # 18:00 the same day
    assert again.queued == [] and again.skipped == ["县供电公司工会", "县文化馆工会", "县第一中学工会"]
    next_day = remind(course, now + timedelta(days=1))
    assert len(next_day.queued) == 3 and next_day.skipped == []
    assert Notification.objects.filter(kind="unit_reminder").count() == 6


def test_no_reminder_after_the_deadline_or_once_the_list_is_locked(course, table):
    with pytest.raises(DomainError) as refused:
        remind(course, table["deadline"])
    assert refused.value.code == "closed"
    registration_services.registration_lock(course=course, locked=True, at=table["now"])
    with pytest.raises(DomainError) as refused:
        remind(course, table["now"])
    assert refused.value.code == "locked"
    assert not Notification.objects.exists()


def test_a_course_without_a_quota_table_is_refused(course):
    with pytest.raises(DomainError) as refused:
        remind(course, at(course.start_date - timedelta(days=9), "10:00"))
    assert refused.value.code == "no_quotas"


def test_the_organizer_presses_the_button_and_reads_what_was_sent_and_skipped(client, course, organizer, table):
    client.force_login(organizer)
    url = reverse("notifications:units-remind", args=[course.code])
    with time_machine.travel(table["now"], tick=False):
        page = client.get(reverse("registration:progress", args=[course.code])).content.decode()
        assert url in page and "提醒未报满的单位（3）" in page
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].endswith(f"/courses/{course.code}/registration/")
        first = [str(m) for m in get_messages(response.wsgi_request)]
        again = [str(m) for m in get_messages(client.post(url).wsgi_request)]
        assert client.get(url).status_code == 405
    assert first[0].startswith("已向 3 个单位发送报名提醒")
    assert "县文化馆工会没有可用的手机号" in first[0]
    assert again[-1].startswith("没有发送新的报名提醒；3 个单位今天已经提醒过，没有重复发送")
    with time_machine.travel(table["deadline"], tick=False):
        closed = client.post(url)
        page = client.get(reverse("registration:progress", args=[course.code])).content.decode()
    assert "报名已截止" in [str(m) for m in get_messages(closed.wsgi_request)][-1]
    assert url not in page  # no button once the links are closed
    assert Notification.objects.filter(kind="unit_reminder").count() == 3


def test_only_the_courses_organizers_may_remind_and_never_another_organizations_units(
    client, course, table, advisor, other_organizer
):
    url = reverse("notifications:units-remind", args=[course.code])
    with time_machine.travel(table["now"], tick=False):
        client.force_login(advisor)
        assert client.post(url).status_code == 403
        client.force_login(other_organizer)
        assert client.post(url).status_code == 404
        elsewhere = CourseFactory(organization=other_organizer.memberships.get().organization, code="SM2026-01")
        other_unit = unit(elsewhere.organization, "石门县医院工会")
        registration_services.quotas_set(course=elsewhere, places={other_unit.pk: (2, 0)}, deadline=table["deadline"])
        done = units.units_remind(course=elsewhere, link_base=SITE)
    assert not Notification.objects.filter(course=course).exists()
    assert done.queued == ["石门县医院工会"]
    assert list(Notification.objects.values_list("course", flat=True)) == [elsewhere.pk]


def test_the_worker_sends_the_text_to_the_units_mobile_through_the_gateway(settings, course, table):
    gateway = local_server()
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the stand-in gateway runs on this machine
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{gateway.server_port}/sms"
    remind(course, table["now"])
    row = Notification.objects.get(channel="sms")
    assert services.notification_deliver(pk=row.pk, now=table["now"]) == "sent"
    (posted,) = gateway.received
    assert posted["json"]["phone"] == "13812345678" and "还可以报2人" in posted["json"]["text"]
    assert posted["headers"]["Idempotency-Key"] == f"unit_reminder:{table['quotas']['power'].pk}:20261111"
    gateway.shutdown()
