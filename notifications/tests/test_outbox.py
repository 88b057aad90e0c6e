"""The outbox through its services: what is planned when, claims, retries, channels, and the page.
Concurrency here uses threads on the test database; the worker tests use real worker processes."""

import json
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connections, transaction
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import Method
from notifications import channels, services
from notifications.models import Notification
from notifications.tests.helpers import local_server, session_soon, trainees

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 8, 20, tzinfo=TZ)


@pytest.fixture
def sent_file(settings, tmp_path):
    path = tmp_path / "sent.jsonl"
    settings.NOTIFICATION_CONSOLE_FILE = str(path)

    def ids():
        return [json.loads(line)["id"] for line in path.read_text().splitlines()] if path.exists() else []

    return ids


def leave_for(enrollment, session, advisor):
    leave = attendance_services.leave_request_create(
        enrollment=enrollment, sessions=[session], kind="sick", reason="发烧", at=NOW - timedelta(days=1)
    )
    return attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True, at=NOW)


def test_every_eligible_trainee_gets_one_reminder_and_those_on_leave_none(course, advisor, sent_file):
    session = session_soon(course, NOW)
    people = trainees(course, 5)
    leave_for(people[0], session, advisor)
    with time_machine.travel(NOW, tick=False):
        assert services.notifications_plan() == 5  # four reminders and the decision on the leave
        assert services.notifications_plan() == 0  # planned once
        result = services.notifications_run_due()
    reminders = Notification.objects.filter(kind="session_reminder")
    assert sorted(reminders.values_list("enrollment_id", flat=True)) == sorted(p.pk for p in people[1:])
    assert result["sent"] == 5  # four reminders and the leave decision
    assert sorted(sent_file()) == sorted(Notification.objects.values_list("pk", flat=True))
    assert "签到" in reminders.first().body and session.title in reminders.first().title


def test_the_roll_call_alert_lists_who_is_missing_with_phone_numbers(course, advisor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    advisor.email = "wanght@qingshan.gov.cn"
    advisor.save()
    session = session_soon(course, NOW)
    here, away, excused = trainees(course, 3)
    leave_for(excused, session, advisor)
    attendance_services.check_in(session, here, method=Method.QR, at=session.starts_at)
    with time_machine.travel(session.starts_at + timedelta(minutes=6), tick=False):
        services.notifications_run_due()
    alert = Notification.objects.get(kind="rollcall_alert")
    assert (alert.channel, alert.address, alert.status) == ("email", advisor.email, "sent")
    assert f"{away.trainee.name}（" in alert.body and away.trainee.phone in alert.body
    # names with the bracket after them: factory names may be prefixes of one another (学员八十, 学员八十一)
    assert f"{here.trainee.name}（" not in alert.body and f"{excused.trainee.name}（" not in alert.body
    assert mail.outbox[0].to == [advisor.email] and "1 人未签到" in mail.outbox[0].subject


def test_closing_a_session_reports_absences_and_warns_those_at_risk(course, advisor):
    session = session_soon(course, NOW, minutes=-150)  # ended ten minutes ago
    session.credit_hours = 10
    session.save()
    later = session_soon(course, NOW, minutes=600)
    later.credit_hours = 1  # the present trainee stays above 90% even missing it
    later.save()
    present, absent = trainees(course, 2)
    attendance_services.check_in(session, present, method=Method.QR, at=session.starts_at)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    closed = Notification.objects.get(kind="session_closed")
    assert "缺勤 1 人" in closed.title and absent.trainee.name in closed.body
    risks = Notification.objects.filter(kind="at_risk")
    assert {(n.enrollment_id, n.user_id) for n in risks} == {(absent.pk, None), (None, advisor.pk)}
    assert "已达不到结业要求：到课学时" in risks.first().body


def test_the_opening_notice_and_the_evening_summary(course, organizer, advisor):
    course.start_date = date(2026, 11, 20)
    course.save()
    student = trainees(course, 1)[0]
    with time_machine.travel(datetime(2026, 11, 19, 10, 0, tzinfo=TZ), tick=False):
        services.notifications_plan()
    opening = Notification.objects.get(kind="course_opening")
    assert (
        opening.enrollment == student and course.venue in opening.body and student.trainee.access_code in opening.body
    )
    with time_machine.travel(datetime(2026, 11, 20, 20, 30, tzinfo=TZ), tick=False):
        services.notifications_plan()
    summary = Notification.objects.get(kind="evening_summary")
    assert summary.user == organizer and "到课率" in summary.body


def test_a_leave_decision_reaches_the_trainee_and_a_rollback_sends_nothing(course, enrollment, advisor):
    """The sweep plans the message (attendance knows nothing of the outbox): within a minute of the
    decision, once per outcome; a decision rolled back was never there to be noticed."""
    session = session_soon(course, NOW, minutes=60)
    leave = attendance_services.leave_request_create(
        enrollment=enrollment, sessions=[session], kind="sick", reason="发烧", at=NOW
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True, at=NOW)
        raise RuntimeError("the request failed after the decision")
    services.notifications_plan(now=NOW + timedelta(minutes=1))
    assert not Notification.objects.filter(kind="leave_decision").exists()
    attendance_services.leave_decide(
        leave=leave, by=advisor, role="advisor", approve=False, comment="开班式不得请假", at=NOW
    )
    services.notifications_plan(now=NOW + timedelta(minutes=1))
    services.notifications_plan(now=NOW + timedelta(minutes=2))  # noticed once
    message = Notification.objects.get(kind="leave_decision")
    assert message.enrollment == enrollment
    assert "未获批准" in message.body and "开班式不得请假" in message.body
    later = NOW + timedelta(days=services.LEAVE_NOTICE_DAYS, minutes=1)
    Notification.objects.all().delete()
    assert services.notifications_plan(now=later) == 0  # the beat was down for days: not sent late


def test_a_claimed_message_is_not_sent_again_until_its_lease_runs_out(course, enrollment, settings, sent_file):
    session = session_soon(course, NOW)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(status="sending", claimed_at=NOW, claim="dead-worker")
    assert services.notification_deliver(pk=row.pk, now=NOW + timedelta(seconds=30)) == "skipped"
    later = NOW + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
    assert services.notifications_dispatch(now=later) == [row.pk]
    assert services.notification_deliver(pk=row.pk, now=later) == "sent"
    assert services.notification_deliver(pk=row.pk, now=later) == "skipped"
    assert sent_file() == [row.pk]
    assert session.pk == row.session_id


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_nothing_twice(course, sent_file):
    session_soon(course, NOW)
    trainees(course, 30)
    errors = []

    def sweep():
        try:
            with time_machine.travel(NOW, tick=False):
                call_command("run_due_notifications")
        except Exception as exc:  # collected below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = sent_file()
    assert len(sent) == len(set(sent)) == 30 == Notification.objects.filter(status="sent").count()


def test_a_failing_group_robot_is_retried_with_backoff_then_failed(course, advisor, client, organizer, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    robot = local_server(statuses=[500, 503, 500])
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the stand-in robot runs on this machine
    course.webhook_url = f"http://127.0.0.1:{robot.server_port}/cgi-bin/webhook/send?key=abc"
    course.save()
    session = session_soon(course, NOW)
    trainees(course, 1)
    moment = session.starts_at + timedelta(minutes=6)
    with time_machine.travel(moment, tick=False):
        services.notifications_plan()
    group = Notification.objects.get(kind="rollcall_alert", channel="webhook")
    outcomes = [services.notification_deliver(pk=group.pk, now=moment)]
    group.refresh_from_db()
    assert (group.status, group.next_attempt_at) == ("pending", moment + timedelta(minutes=1))
    outcomes.append(services.notification_deliver(pk=group.pk, now=moment))  # not due yet
    outcomes.append(services.notification_deliver(pk=group.pk, now=moment + timedelta(minutes=1)))
    outcomes.append(services.notification_deliver(pk=group.pk, now=moment + timedelta(minutes=3)))
    assert outcomes == ["retry", "skipped", "retry", "failed"]
    group.refresh_from_db()
    assert (group.status, group.attempts, group.last_error) == ("failed", 3, "HTTP 500")
    assert robot.received[0]["json"] == {"msgtype": "text", "text": {"content": f"{group.title}\n{group.body}"}}
    robot.shutdown()

    client.force_login(organizer)
    page = client.get(reverse("notifications:outbox", args=[course.code]), {"status": "failed"}).content.decode()
    assert "HTTP 500" in page and "重新发送" in page
    client.post(reverse("notifications:resend", args=[course.code, group.pk]))
    group.refresh_from_db()
    assert (group.status, group.attempts) == ("pending", 0)


def test_a_working_group_robot_and_sms_gateway_receive_the_text(course, advisor, settings):
    robot = local_server()
    gateway = local_server()
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{gateway.server_port}/sms"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    course.webhook_url = f"http://127.0.0.1:{robot.server_port}/robot/send?access_token=x"
    course.save()
    session = session_soon(course, NOW)
    student = trainees(course, 1)[0]
    with time_machine.travel(NOW, tick=False):
        services.notifications_run_due()
    with time_machine.travel(session.starts_at + timedelta(minutes=6), tick=False):
        services.notifications_run_due()
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    sms = gateway.received[0]
    assert sms["json"]["phone"] == student.trainee.phone and session.title in sms["json"]["text"]
    assert sms["headers"]["Authorization"] == "Bearer secret-token"
    text = robot.received[0]["json"]["text"]["content"]
    assert robot.received[0]["json"]["msgtype"] == "text" and student.trainee.name in text
    robot.shutdown()
    gateway.shutdown()


def test_the_outbox_page_filters_and_cancels(client, course, organizer, advisor):
    session = session_soon(course, NOW)
    trainees(course, 3)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    first = Notification.objects.order_by("pk").first()
    client.force_login(advisor)
    url = reverse("notifications:outbox", args=[course.code])
    page = client.get(url, {"kind": "session_reminder", "session": session.pk}).content.decode()
    assert page.count("data-notification=") == 3 and "取消发送" not in page  # advisors read only
    assert client.post(reverse("notifications:cancel", args=[course.code, first.pk])).status_code == 403
    client.force_login(organizer)
    client.post(reverse("notifications:cancel", args=[course.code, first.pk]))
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert services.notification_deliver(pk=first.pk, now=NOW) == "skipped"
    assert client.get(url, {"status": "cancelled"}).content.decode().count("data-notification=") == 1


def test_an_unexpected_error_is_retried_and_a_row_never_stays_claimed(course, monkeypatch, settings):
    session_soon(course, NOW)
    trainees(course, 1)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    row = Notification.objects.get()

    def broken(notification):
        raise ValueError("unknown url type")

    monkeypatch.setattr(channels, "send", broken)
    assert services.notification_deliver(pk=row.pk, now=NOW) == "retry"
    row.refresh_from_db()
    assert (row.status, row.last_error, row.dispatched_at) == ("pending", "unknown url type", None)
    # A row whose sends kept dying (claimed again and again past the limit) is failed, not looped.
    stale = NOW - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=stale, attempts=settings.NOTIFICATION_MAX_ATTEMPTS
    )
    assert services.notification_deliver(pk=row.pk, now=NOW) == "failed"


def test_a_reminder_is_not_sent_late_and_a_moved_session_is_reminded_again(course, sent_file):
    session = session_soon(course, NOW)
    trainees(course, 1)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    row = Notification.objects.get()
    assert services.notification_deliver(pk=row.pk, now=session.starts_at + timedelta(minutes=1)) == "expired"
    row.refresh_from_db()
    assert row.status == "cancelled" and sent_file() == []
    session.starts_at += timedelta(hours=2)
    session.ends_at += timedelta(hours=2)
    session.save()
    with time_machine.travel(session.starts_at - timedelta(minutes=5), tick=False):
        assert services.notifications_plan() == 1
        services.notifications_run_due()
    assert len(sent_file()) == 1


def test_the_group_gets_the_roll_call_without_phone_numbers(course, advisor, settings):
    robot = local_server()
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    course.webhook_url = f"http://127.0.0.1:{robot.server_port}/send"
    course.save()
    session = session_soon(course, NOW)
    away = trainees(course, 1)[0]
    with time_machine.travel(session.starts_at + timedelta(minutes=6), tick=False):
        services.notifications_run_due()
    to_advisor = Notification.objects.get(kind="rollcall_alert", user=advisor)
    text = robot.received[0]["json"]["text"]["content"]
    assert away.trainee.phone in to_advisor.body
    assert away.trainee.name in text and away.trainee.phone not in text
    robot.shutdown()


def test_at_risk_counts_the_largest_session_still_ahead(course, advisor):
    ended = session_soon(course, NOW, minutes=-150)
    ended.credit_hours = 9
    ended.save()
    small = session_soon(course, NOW, minutes=60)
    small.credit_hours = Decimal("0.5")
    small.save()
    big = session_soon(course, NOW, minutes=300)
    big.credit_hours = 4
    big.save()  # total 13.5, 90% = 12.15; attended 9 + 4.5 ahead; missing the 4 h one leaves 9.5
    student = trainees(course, 1)[0]
    attendance_services.check_in(ended, student, method=Method.QR, at=ended.starts_at)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    warning = Notification.objects.get(kind="at_risk", enrollment=student)
    assert "再缺一次课" in warning.body


def test_planning_runs_a_constant_number_of_queries(course, advisor, django_assert_max_num_queries):
    session_soon(course, NOW)
    trainees(course, 5)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(12) as small:
            services.notifications_plan()
        Notification.objects.all().delete()
        trainees(course, 35)  # (the rows of one INSERT: SQLite splits larger inserts by its parameter limit)
        with django_assert_max_num_queries(12) as large:
            services.notifications_plan()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Notification.objects.count() == 40


def test_the_outbox_page_runs_a_constant_number_of_queries(client, course, organizer, django_assert_num_queries):
    session_soon(course, NOW)
    trainees(course, 3)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    client.force_login(organizer)
    url = reverse("notifications:outbox", args=[course.code])
    client.get(url)
    # session, user, membership, course (access), count, rows with sessions, status counts,
    # sessions for the filter, organizer check (can_manage).
    with django_assert_num_queries(9):
        client.get(url)
    trainees(course, 30)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    with django_assert_num_queries(9):
        assert client.get(url).content.decode().count("data-notification=") == 33


def test_the_demos_next_session_produces_its_reminders(settings):
    from demo import loader

    result = loader.load(today=date(2026, 11, 20))
    course = result.course
    upcoming = course.sessions.filter(starts_at__date=date(2026, 11, 20)).order_by("starts_at").first()
    with time_machine.travel(upcoming.starts_at - timedelta(minutes=10), tick=False):
        services.notifications_run_due()
    reminders = Notification.objects.filter(kind="session_reminder", session=upcoming)
    assert reminders.count() == course.enrollments.count()
    assert set(reminders.values_list("status", flat=True)) == {"sent"}


def test_at_risk_follows_the_whole_completion_rule(course, advisor):
    """Not only hours: discipline points over the limit make completion lost, and a trainee at the
    limit of absences is warned before the next one."""
    from attendance.models import DisciplineRecord

    course.max_discipline_points, course.max_absences = 2, 1
    course.save()
    ended = [session_soon(course, NOW, minutes=-150 - 150 * i) for i in range(2)]
    ahead = session_soon(course, NOW, minutes=600)
    for session in [*ended, ahead]:
        session.credit_hours = 1
        session.save()
    ahead.required_for_completion = True  # still to come: not a reason completion is lost
    ahead.save()
    noisy, truant, fine, excused = trainees(course, 4)
    for session in ended:
        for person in (noisy, fine):
            attendance_services.check_in(session, person, method=Method.QR, at=session.starts_at)
    attendance_services.check_in(ended[0], truant, method=Method.QR, at=ended[0].starts_at)
    attendance_services.check_in(ended[0], excused, method=Method.QR, at=ended[0].starts_at)
    from completion.services import completion_override

    completion_override(enrollment=excused, eligible=True, reason="因公缺课，经批准", by=advisor)
    for minutes in (0, 30, 60):
        attendance_services.discipline_record_create(
            enrollment=noisy,
            session=ended[0],
            kind=DisciplineRecord.Kind.PHONE,
            points=1,
            note="玩手机",
            by=advisor,
            at=ended[0].starts_at + timedelta(minutes=minutes),
        )
    course.min_attendance_percent = 50  # hours are no one's problem here
    course.save()
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    warnings = {n.enrollment_id: n for n in Notification.objects.filter(kind="at_risk", enrollment__isnull=False)}
    assert set(warnings) == {noisy.pk, truant.pk}
    assert "违纪扣分 3 分，超过 2 分" in warnings[noisy.pk].body and "已不能结业" in warnings[noisy.pk].title
    assert "尚未" not in warnings[noisy.pk].body  # only what attending the rest cannot mend
    assert "再缺一次课" in warnings[truant.pk].body


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/send",
        "http://localhost:{port}/send",
        "http://[::1]:{port}/send",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/robot",
        "http://192.168.1.1/",
        "ftp://qyapi.weixin.qq.com/robot",
    ],
)
def test_an_internal_webhook_is_refused_when_saved_and_when_sent(client, course, organizer, advisor, url):
    """The worker posted roll-call alerts wherever an organizer pointed it, 127.0.0.1 included."""
    robot = local_server()
    url = url.format(port=robot.server_port)
    client.force_login(organizer)
    edit = reverse("training:course-edit", args=[course.code])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "advisors"}
    data.update(start_date=course.start_date.isoformat(), end_date=course.end_date.isoformat(), webhook_url=url)
    response = client.post(edit, data)
    assert response.status_code == 200 and "地址" in str(response.context["form"].errors["webhook_url"])

    course.webhook_url = url  # saved before this check existed
    course.save()
    session = session_soon(course, NOW)
    trainees(course, 1)
    with time_machine.travel(session.starts_at + timedelta(minutes=6), tick=False):
        services.notifications_run_due()
    group = Notification.objects.get(kind="rollcall_alert", channel="webhook")
    assert group.status == "failed" and "不向此地址发送" in group.last_error
    assert robot.received == []
    robot.shutdown()


def test_a_public_webhook_address_is_accepted_by_the_form():
    from core import outbound

    assert outbound.address_problem("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc") is None
    assert outbound.address_problem("https://8.8.8.8/x") is None


def test_a_private_sms_gateway_needs_its_network_allowed(settings):
    from core import checks

    settings.SMS_GATEWAY_URL = "http://10.20.0.5/sms"
    assert [w.id for w in checks.sms_gateway_check(None)] == ["core.W003"]
    settings.OUTBOUND_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert checks.sms_gateway_check(None) == []


def test_plain_text_messages_are_not_html_escaped(course, advisor):
    """Texts went out with "&lt;" and "&#x27;" in them."""
    session = session_soon(course, NOW)
    session.title = "《工会法》解读 & 答问 <一> '要点'"
    session.save()
    trainees(course, 1)
    with time_machine.travel(NOW, tick=False):
        services.notifications_plan()
    reminder = Notification.objects.filter(kind="session_reminder").first()
    assert "《工会法》解读 & 答问 <一> '要点'" in reminder.body
    assert "&amp;" not in reminder.body and "&lt;" not in reminder.body and "&#x27;" not in reminder.body
