"""Honest delivery state: a message through the console channel reached nobody and is never called
已发送; the outbox says which channels really reach people and, in plain words, how to set up the
others; the course overview warns before the 开班通知 is due when it would reach nobody."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from notifications import rules
from notifications.models import Notification
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _message(course, channel, status, n):
    return Notification.objects.create(
        course=course,
        kind=Notification.Kind.SESSION_REMINDER,
        dedupe_key=f"test:{n}",
        recipient=f"学员{n}",
        channel=channel,
        address="13900000009" if channel == "sms" else "",
        title="课前提醒",
        body="请准时到课",
        status=status,
        next_attempt_at=at(course.start_date, "08:00"),
    )


def test_only_a_backend_that_hands_mail_to_a_server_delivers():
    assert rules.email_delivers(SMTP)
    for backend in ("console", "locmem", "dummy", "filebased"):
        assert not rules.email_delivers(f"django.core.mail.backends.{backend}.EmailBackend")


def test_a_console_message_is_written_in_the_log_not_delivered(client, course, organizer):
    _message(course, "console", Notification.Status.SENT, 1)
    _message(course, "sms", Notification.Status.SENT, 2)
    client.force_login(organizer)
    page = client.get(reverse("notifications:outbox", args=[course.code])).content.decode()
    console = page.split('data-notification="')[2]  # newest first: the SMS, then the console row
    sms = page.split('data-notification="')[1]
    assert "记录在日志，未送达" in console and "已发送" not in console and "不送达任何人" in console
    assert "已发送" in sms and "未送达" not in sms


def test_the_outbox_says_no_channel_is_set_up_and_how_to_set_them_up(client, course, organizer, settings):
    settings.SMS_GATEWAY_URL = ""
    client.force_login(organizer)
    page = client.get(reverse("notifications:outbox", args=[course.code])).content.decode()
    for name in ("短信", "邮件", "班级群机器人"):
        assert f'data-channel="{name}" data-configured="0"' in page
    assert "请联系本单位信息化管理员" in page and "班级群机器人地址" in page
    assert "manage.py" not in page and "<code>" not in page


def test_the_outbox_says_which_channels_are_set_up(client, course, organizer, settings):
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/send"
    settings.EMAIL_BACKEND = SMTP
    course.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
    course.save(update_fields=["webhook_url"])
    client.force_login(organizer)
    page = client.get(reverse("notifications:outbox", args=[course.code])).content.decode()
    for name in ("短信", "邮件", "班级群机器人"):
        assert f'data-channel="{name}" data-configured="1"' in page
    assert "请联系本单位信息化管理员" not in page


@pytest.fixture
def opening(course, enrollment):
    EnrollmentFactory(course=course, trainee=TraineeFactory(name="陈建国", phone="13900000002"), student_no="002")
    return SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))


def test_the_overview_loads_the_warning_from_the_notifications_app(client, course, organizer):
    client.force_login(organizer)
    page = client.get(reverse("training:course-dashboard", args=[course.code])).content.decode()
    assert f'hx-get="{reverse("notifications:alerts", args=[course.code])}"' in page


def test_before_the_opening_notice_the_overview_warns_that_it_reaches_nobody(
    client, course, organizer, opening, settings
):
    settings.SMS_GATEWAY_URL = ""
    url = reverse("notifications:alerts", args=[course.code])
    client.force_login(organizer)
    with time_machine.travel(at(course.start_date - timedelta(days=3), "10:00"), tick=False):
        page = client.get(url).content.decode()
    day_before = course.start_date - timedelta(days=1)
    assert f"开班通知将于 {day_before.month}月{day_before.day}日 09:00 起发给学员" in page
    assert "未配置短信，全部 2 名学员都收不到" in page


def test_no_warning_when_sms_reaches_everyone_or_the_course_has_begun(client, course, organizer, opening, settings):
    settings.SMS_GATEWAY_URL = ""
    url = reverse("notifications:alerts", args=[course.code])
    client.force_login(organizer)
    with time_machine.travel(at(course.start_date, "08:31"), tick=False):
        assert "opening-warning" not in client.get(url).content.decode()
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/send"
    with time_machine.travel(at(course.start_date - timedelta(days=3), "10:00"), tick=False):
        assert "opening-warning" not in client.get(url).content.decode()


def test_the_overview_names_the_reminders_that_failed_and_links_to_them(client, course, organizer, opening):
    url = reverse("notifications:alerts", args=[course.code])
    client.force_login(organizer)
    assert "failed-messages" not in client.get(url).content.decode()
    failed = _message(course, Notification.Channel.SMS, Notification.Status.FAILED, 1)
    Notification.objects.filter(pk=failed.pk).update(last_error="短信网关拒绝：号码无效")
    _message(course, Notification.Channel.SMS, Notification.Status.SENT, 2)  # delivered: not counted
    with time_machine.travel(at(course.start_date, "10:00"), tick=False):
        page = client.get(url).content.decode()
    assert "1 条提醒发送失败" in page and "短信网关拒绝：号码无效" in page and failed.recipient in page
    assert f"{reverse('notifications:outbox', args=[course.code])}?status=failed" in page
