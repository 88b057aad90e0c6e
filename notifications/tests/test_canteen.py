"""就餐人数 to the canteen: once a meal's count is frozen at its cut-off, the planner writes one
message to the canteen contact with the count by dietary need, once."""

import pytest
import time_machine

from lodging import services as lodging_services
from lodging.tests.helpers import trainees
from notifications import services
from notifications.models import Notification
from training.tests.factories import at

pytestmark = pytest.mark.django_db


def frozen_lunch(course, organizer, **canteen):
    people = trainees(course, 3)
    lodging_services.stay_update(
        enrollment=people[0], needs_room=True, diet="halal", diet_note="", skipped=set(), by=organizer
    )
    lodging_services.settings_update(course=course, handout="胸牌", meals={}, canteen=canteen)
    now = at(course.start_date, "09:05")  # the first day's lunch closes at 09:00
    with time_machine.travel(now, tick=False):
        assert lodging_services.meals_freeze(now=now) == 1
    return now


def sent(now):
    with time_machine.travel(now, tick=False):
        services.notifications_plan(now=now)
    return list(Notification.objects.filter(kind=Notification.Kind.MEAL_COUNT))


def test_the_frozen_count_goes_to_the_canteen_once(settings, course, organizer):
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/send"
    now = frozen_lunch(course, organizer, canteen_contact="王师傅", canteen_phone="139 0000 1111", canteen_email="")
    [message] = sent(now)
    assert (message.channel, message.address, message.recipient) == ("sms", "13900001111", "王师傅")
    assert "午餐就餐 3 人（普通 2，清真 1，素食 0，其他 0）" in message.body
    assert message.title.startswith("就餐人数：") and "锁定" in message.body
    assert len(sent(now.replace(minute=30))) == 1  # the next sweeps write nothing more


def test_without_a_gateway_it_goes_by_email_and_without_a_contact_not_at_all(settings, course, organizer):
    settings.SMS_GATEWAY_URL = ""
    now = frozen_lunch(course, organizer, canteen_contact="", canteen_phone="13900001111", canteen_email="st@dx.cn")
    [message] = sent(now)
    assert (message.channel, message.address, message.recipient) == ("email", "st@dx.cn", "食堂")


def test_no_canteen_contact_no_message(course, organizer):
    now = frozen_lunch(course, organizer, canteen_contact="王师傅", canteen_phone="", canteen_email="")
    assert sent(now) == []
