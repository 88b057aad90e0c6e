"""评教提醒: the course's organizers remind the trainees who attended and have not answered, once
each per evaluation, only while it is open; the message names the course, the session, the
deadline and the link."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import Method
from core.errors import DomainError
from evaluation.tests.helpers import answer, attended_session, trainees
from notifications import services
from notifications.models import Notification
from training.models import Enrollment
from training.tests.factories import EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
SITE = "http://10.20.1.5:8000"


@pytest.fixture
def lecture(settings, course):
    """A lecture: 甲 answered, 乙 and 丙 did not, 丁 attended and withdrew, 戊 never checked in."""
    settings.SITE_URL = SITE
    present = trainees(course, 4)
    session = attended_session(course, present, title="工会法专题解读", lecturer="县人民法院 孙立新")
    answer(present[0], session)
    Enrollment.objects.filter(pk=present[3].pk).update(status=Enrollment.Status.WITHDRAWN)
    absent = EnrollmentFactory(course=course, student_no="099")
    return session, present, absent


def remind(session, now, **kwargs):
    return services.evaluation_remind(course=session.course, session=session, link_base=SITE, now=now, **kwargs)


def test_each_trainee_who_attended_and_has_not_answered_is_reminded_once(lecture):
    session, present, absent = lecture
    now = session.ends_at + timedelta(minutes=30)
    assert remind(session, now) == 2
    assert remind(session, now + timedelta(minutes=5)) == 0  # the button pressed twice sends nothing twice
    rows = Notification.objects.filter(kind=Notification.Kind.EVALUATION_REMINDER)
    assert sorted(n.enrollment_id for n in rows) == [present[1].pk, present[2].pk]  # not 甲, 丁 nor 戊
    message = rows.first()
    assert message.session == session and message.title == "评教提醒：工会法专题解读"
    assert session.course.name in message.body and "工会法专题解读" in message.body
    assert "11月21日 10:30截止" in message.body  # ends 11月20日 10:30 (Asia/Shanghai), closes a day later
    assert f"{SITE}{reverse('evaluation:answer-session', args=[session.pk])}" in message.body


def test_a_trainee_who_checks_in_late_is_reminded_on_the_next_press(course, lecture):
    session, present, _ = lecture
    now = session.ends_at + timedelta(minutes=30)
    assert remind(session, now) == 2
    latecomer = trainees(course, 1, start=50)[0]
    attendance_services.check_in(session, latecomer, method=Method.QR, at=session.ends_at - timedelta(minutes=30))
    assert remind(session, now) == 1
    assert Notification.objects.filter(kind="evaluation_reminder").count() == 3


def test_a_reminder_is_refused_before_the_window_opens_and_after_it_closes(lecture):
    session, _, _ = lecture
    for moment in (session.ends_at - timedelta(minutes=11), session.ends_at + timedelta(hours=24)):
        with pytest.raises(DomainError) as refused:
            remind(session, moment)
        assert refused.value.code == "not_open"
    assert not Notification.objects.exists()


def test_a_session_not_evaluated_on_its_own_is_refused(course):
    opening = SessionFactory(course=course, kind="opening")
    with pytest.raises(DomainError) as refused:
        remind(opening, opening.ends_at)
    assert refused.value.code == "not_evaluated"


def test_the_course_form_reminds_who_attended_anything_and_has_not_answered_it(course, lecture):
    session, present, absent = lecture
    last_day = course.end_date
    closing = SessionFactory(course=course, kind="closing", starts_at=session.starts_at + timedelta(days=2))
    assert closing.local_date == last_day
    answer(present[2], None, at=closing.starts_at)
    count = services.evaluation_remind(course=course, session=None, link_base=SITE, now=closing.starts_at)
    assert count == 2  # 甲 and 乙 attended the lecture; 丙 answered, 丁 withdrew, 戊 attended nothing
    rows = Notification.objects.filter(kind="evaluation_reminder", session=None)
    assert sorted(n.enrollment_id for n in rows) == [present[0].pk, present[1].pk]
    assert f"{SITE}{reverse('evaluation:answer-course', args=[course.code])}" in rows.first().body
    assert services.evaluation_remind(course=course, session=None, link_base=SITE, now=closing.starts_at) == 0


def test_a_reminder_goes_out_through_the_outbox(lecture):
    session, _, _ = lecture
    now = session.ends_at + timedelta(minutes=30)
    remind(session, now)
    outcomes = {services.notification_deliver(pk=pk, now=now) for pk in services.notifications_dispatch(now=now)}
    assert outcomes == {"sent"}


# --- The button ---------------------------------------------------------------------------------------------


def press(client, session, *, back="results"):
    url = reverse("notifications:evaluation-remind", args=[session.course.code])
    return client.post(url, {"session": session.pk if session else "", "back": back})


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_organizer_presses_the_button_and_is_told_how_many_were_reminded(client, organizer, lecture):
    session, _, _ = lecture
    client.force_login(organizer)
    with time_machine.travel(session.ends_at + timedelta(minutes=30), tick=False):
        results = client.get(reverse("evaluation:results", args=[session.course.code])).content.decode()
        assert "提醒未评价的学员" in results
        response = press(client, session)
        assert response["Location"] == reverse("evaluation:results", args=[session.course.code])
        assert said(response)[0].startswith("已向 2 名学员发送评教提醒。")
        again = press(client, session, back="dashboard")
        assert again["Location"] == reverse("training:course-dashboard", args=[session.course.code])
        assert said(again)[-1] == "没有需要提醒的学员：参加的学员都已评价，或已经提醒过。"  # after the first one
    assert Notification.objects.filter(kind="evaluation_reminder").count() == 2


def test_the_button_refuses_clearly_when_the_evaluation_is_not_open(client, organizer, lecture):
    session, _, _ = lecture
    client.force_login(organizer)
    with time_machine.travel(session.ends_at + timedelta(hours=25), tick=False):
        assert (
            "提醒未评价的学员"
            not in client.get(reverse("evaluation:results", args=[session.course.code])).content.decode()
        )
        response = press(client, session)
    assert said(response) == ["评价没有在进行中（尚未开始或已经截止），不能发送评教提醒。"]
    assert not Notification.objects.exists()


def test_only_the_courses_organizers_may_remind(client, advisor, other_organizer, organizer, lecture):
    session, _, _ = lecture
    with time_machine.travel(session.ends_at, tick=False):
        client.force_login(advisor)
        assert press(client, session).status_code == 403
        assert (
            "提醒未评价的学员"
            not in client.get(reverse("evaluation:results", args=[session.course.code])).content.decode()
        )
        client.force_login(other_organizer)
        assert press(client, session).status_code == 404
        client.force_login(organizer)
        assert client.get(reverse("notifications:evaluation-remind", args=[session.course.code])).status_code == 405
    assert not Notification.objects.exists()
    elsewhere = SessionFactory()  # a session of another course is not found through this one
    client.force_login(organizer)
    url = reverse("notifications:evaluation-remind", args=[session.course.code])
    assert client.post(url, {"session": elsewhere.pk, "back": "results"}).status_code == 404
