"""Attendance pages through the test client: the scan page, roll call, the grid, leave and the
trainee's own pages, who may do what, and that no GET writes anything."""

import re
from datetime import timedelta
from urllib.parse import quote, unquote

import pytest
import time_machine
from django.urls import reverse

from attendance import rules, services, tokens
from attendance.models import AttendanceRecord, LeaveRequest, Method
from training.models import Enrollment, Trainee
from training.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    TraineeFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(course):
    return SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))


def scan_url(session, now, mode="in"):
    return reverse("attendance:scan", args=[session.pk, tokens.qr_token(session.pk, mode, rules.qr_window(now))])


def test_the_scan_page_checks_in_only_on_post(client, trainee_user, session):
    client.force_login(trainee_user)
    now = session.starts_at + timedelta(minutes=12, seconds=5)
    with time_machine.travel(now, tick=False):
        url = scan_url(session, now)
        page = client.get(url)
        assert page.status_code == 200 and "data-autosubmit" in page.content.decode()
        assert client.head(url).status_code == 200
        assert not AttendanceRecord.objects.exists()
        result = client.post(url).content.decode()
    assert "签到成功 08:42" in result and "迟到 12 分钟" in result
    assert AttendanceRecord.objects.get().checkin_method == Method.QR


def test_a_refused_scan_says_why(client, trainee_user, session):
    client.force_login(trainee_user)
    now = session.starts_at
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        response = client.post(scan_url(session, now))
    assert 'data-refusal="expired"' in response.content.decode()
    assert "二维码已过期" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_check_ins_are_rate_limited_per_trainee(client, trainee_user, session):
    from attendance.views.classroom import CHECKINS_PER_MINUTE

    client.force_login(trainee_user)
    now = session.starts_at
    with time_machine.travel(now, tick=False):
        answers = [client.post(scan_url(session, now)).status_code for _ in range(CHECKINS_PER_MINUTE + 1)]
        refused = client.post(scan_url(session, now))
    assert answers[:CHECKINS_PER_MINUTE] == [200] * CHECKINS_PER_MINUTE and answers[-1] == 429
    assert "操作太频繁" in refused.content.decode()
    assert AttendanceRecord.objects.count() == 1


def test_logging_in_after_scanning_does_not_expire_the_code(client, session, enrollment):
    """The code was valid when scanned; the trainee then spends a minute and a half logging in."""
    scanned = session.starts_at + timedelta(minutes=1)
    with time_machine.travel(scanned, tick=False):
        response = client.get(scan_url(session, scanned))
    assert response.status_code == 302 and response["Location"].startswith(reverse("training:login"))
    target = unquote(response["Location"].split("next=")[1])
    assert ".t" in target  # a ticket took the place of the 20-second code
    with time_machine.travel(scanned + timedelta(seconds=5), tick=False):
        login_page = client.get(response["Location"]).content.decode()
    assert "登录后自动完成刚才扫码的签到" in login_page  # the trainee knows the scan was not lost
    with time_machine.travel(scanned + timedelta(seconds=90), tick=False):
        client.post(reverse("training:login") + f"?next={target}", {"phone": "13900000001", "access_code": "246810"})
        result = client.post(target).content.decode()
    assert "签到成功 08:32" in result
    with time_machine.travel(scanned + timedelta(seconds=rules.TICKET_SECONDS + 1), tick=False):
        AttendanceRecord.objects.all().delete()
        assert 'data-refusal="expired"' in client.post(target).content.decode()
        forged = target.replace(".t", ".t1")
        assert 'data-refusal="forged"' in client.post(forged).content.decode()


def test_a_ticket_renews_nothing_so_a_photographed_code_dies_on_time(client, session, enrollment):
    """An attacker fetching the scan link every 55 s used to get a fresh two-minute ticket each
    time, keeping a code photographed in the classroom valid for ever. A ticket now stays the same
    ticket, anonymous or logged in, and checks in only within two minutes of the scan."""
    scanned = session.starts_at + timedelta(minutes=1)
    with time_machine.travel(scanned, tick=False):
        first = unquote(client.get(scan_url(session, scanned))["Location"].split("next=")[1])
    target = first
    for step in range(1, 6):
        with time_machine.travel(scanned + timedelta(seconds=55 * step), tick=False):
            response = client.get(target)
            assert response.status_code == 302
            target = unquote(response["Location"].split("next=")[1])
            assert target == first  # the same ticket, not a new one
    client.force_login(services_trainee_user(enrollment))
    with time_machine.travel(scanned + timedelta(seconds=55 * 5), tick=False):
        assert 'data-refusal="expired"' in client.post(target).content.decode()
    assert not AttendanceRecord.objects.exists()
    with time_machine.travel(scanned + timedelta(seconds=60), tick=False):  # within the two minutes
        page = client.get(target).content.decode()
        assert target in page  # the button posts the same ticket
        assert "签到成功" in client.post(target).content.decode()


def services_trainee_user(enrollment):
    from training import services as training_services

    return training_services.trainee_user_ensure(trainee=enrollment.trainee)


def test_an_expired_code_sends_strangers_to_log_in_and_then_says_so(client, session, enrollment):
    url = scan_url(session, session.starts_at)
    with time_machine.travel(session.starts_at + timedelta(minutes=5), tick=False):
        response = client.get(url)
        assert response["Location"].endswith(quote(url, safe="/"))


def test_a_trainee_of_another_course_gets_404_from_its_code(client, session):
    outsider = EnrollmentFactory(course=CourseFactory(), trainee=TraineeFactory(phone="13500000009"))
    from training import services as training_services

    client.force_login(training_services.trainee_user_ensure(trainee=outsider.trainee))
    with time_machine.travel(session.starts_at, tick=False):
        assert client.get(scan_url(session, session.starts_at)).status_code == 404
        assert client.post(scan_url(session, session.starts_at)).status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_a_trainee_can_only_check_in_themselves(client, trainee_user, session, other_enrollment):
    client.force_login(trainee_user)
    with time_machine.travel(session.starts_at, tick=False):
        client.post(scan_url(session, session.starts_at), {"enrollment": other_enrollment.pk})
    assert list(AttendanceRecord.objects.values_list("enrollment__trainee__name", flat=True)) == ["张丽华"]


def test_one_phone_for_two_trainees_is_flagged_on_the_rollcall(client, session, enrollment, other_enrollment, advisor):
    from training import services as training_services

    with time_machine.travel(session.starts_at, tick=False):
        for e in (enrollment, other_enrollment):
            client.force_login(training_services.trainee_user_ensure(trainee=e.trainee))
            client.post(scan_url(session, session.starts_at))  # the same client: the same device cookie
        client.force_login(advisor)
        page = client.get(reverse("attendance:rollcall", args=[session.course.code, session.pk])).content.decode()
    assert AttendanceRecord.objects.filter(flagged=True).count() == 2
    assert "疑似代签 2" in page and "使用同一手机签到" in page


def test_roll_call_marks_one_trainee_by_htmx(client, advisor, session, enrollment):
    client.force_login(advisor)
    url = reverse("attendance:rollcall-mark", args=[session.course.code, session.pk])
    with time_machine.travel(session.starts_at + timedelta(minutes=20), tick=False):
        missing_reason = client.post(url, {"enrollment": enrollment.pk, "action": "late"}, HTTP_HX_REQUEST="true")
        assert "请填写更改原因" in missing_reason.content.decode()
        row = client.post(
            url, {"enrollment": enrollment.pk, "action": "late", "reason": "课堂点名"}, HTTP_HX_REQUEST="true"
        )
    html = row.content.decode()
    assert "<html" not in html and "迟到 20 分钟" in html
    assert AttendanceRecord.objects.get().changes.get().reason == "课堂点名"
    # the counts at the top come along, swapped in out of band: 已签到 1 without a reload
    assert 'id="rollcall-counts"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r"已签到 <strong>1</strong>", html)


def test_an_empty_roll_call_reason_is_said_not_swallowed(client, advisor, session, enrollment):
    """The reason field was `required`, so htmx refused to send and nothing happened on the phone;
    now the server answers in the row."""
    client.force_login(advisor)
    page = client.get(reverse("attendance:rollcall", args=[session.course.code, session.pk])).content.decode()
    field = re.search(r'<input[^>]*id="rollcall-reason"[^>]*>', page).group(0)
    assert "required" not in field
    assert page.count('id="rollcall-counts"') == 1  # the rows carry the counts only when one changes


def test_roll_call_buttons_are_named_for_the_trainee_and_say_which_is_chosen(client, advisor, session, enrollment):
    """Each button's accessible name holds its visible word and the trainee (WCAG 2.5.3); the chosen
    one is aria-pressed, not only coloured; the row's answer carries what the live region says."""
    client.force_login(advisor)
    url = reverse("attendance:rollcall-mark", args=[session.course.code, session.pk])
    with time_machine.travel(session.starts_at + timedelta(minutes=20), tick=False):
        page = client.get(reverse("attendance:rollcall", args=[session.course.code, session.pk])).content.decode()
        row = client.post(
            url, {"enrollment": enrollment.pk, "action": "late", "reason": "课堂点名"}, HTTP_HX_REQUEST="true"
        ).content.decode()
        refused = client.post(url, {"enrollment": enrollment.pk, "action": "absent"}, HTTP_HX_REQUEST="true")
    assert 'role="group" aria-label="张丽华 点名"' in page
    for action, name, word in [
        ("present", "张丽华 到", "到"),
        ("late", "张丽华 迟到", "迟"),
        ("absent", "张丽华 缺勤", "缺"),
    ]:
        button = re.search(rf'<button[^>]*value="{action}"[^>]*>.*?</button>', page).group(0)
        assert f'aria-label="{name}"' in button and word in name and button.endswith(f"{word}</button>")
        assert 'aria-pressed="false"' in button
    pressed = re.findall(r'<button[^>]*value="(\w+)"[^>]*aria-pressed="true"', row)
    assert pressed == ["late"]
    assert 'data-announce="张丽华：已记为迟到 20 分钟"' in row
    assert 'data-announce="张丽华：请填写更改原因。"' in refused.content.decode()


def test_every_page_starts_with_a_skip_link_and_has_one_live_region(client, advisor, session):
    client.force_login(advisor)
    page = client.get(reverse("attendance:rollcall", args=[session.course.code, session.pk])).content.decode()
    body = page[page.index("<body") :]
    first_link = re.search(r"<(a|button|input|select|textarea)\b[^>]*>[^<]*", body).group(0)
    assert 'href="#main"' in first_link and "跳到主要内容" in first_link
    assert '<main id="main" tabindex="-1"' in page
    assert page.count('aria-live="polite"') == 1 and 'id="live"' in page


def test_roll_call_cannot_touch_another_courses_trainee(client, advisor, session):
    stranger = EnrollmentFactory(course=CourseFactory(organization=session.course.organization))
    client.force_login(advisor)
    url = reverse("attendance:rollcall-mark", args=[session.course.code, session.pk])
    response = client.post(url, {"enrollment": stranger.pk, "action": "present", "reason": "点名"})
    assert response.status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_badge_scan_page_checks_in_by_badge_code(client, advisor, session, enrollment):
    client.force_login(advisor)
    url = reverse("attendance:badge-scan", args=[session.course.code, session.pk])
    with time_machine.travel(session.starts_at - timedelta(minutes=2), tick=False):
        page = client.post(url, {"code": tokens.badge_code(enrollment.pk), "mode": "in"}).content.decode()
        bad = client.post(url, {"code": "13900000001", "mode": "in"}).content.decode()
    assert "张丽华" in page and "08:28 签到" in page
    assert "无法识别的胸牌码" in bad


def test_a_usb_scanner_reading_the_printed_badge_types_its_link_and_checks_in(
    client, settings, advisor, session, enrollment, other_enrollment
):
    """The printed badge's QR holds a link (…/b/<code>/); the scanner types all of it."""
    settings.SITE_URL = "http://10.20.1.5:8000"
    client.force_login(advisor)
    url = reverse("attendance:badge-scan", args=[session.course.code, session.pk])
    link = "http://10.20.1.5:8000" + reverse("attendance:badge", args=[tokens.badge_code(other_enrollment.pk)])
    with time_machine.travel(session.starts_at - timedelta(minutes=2), tick=False):
        page = client.post(url, {"code": link, "mode": "in"}).content.decode()
        card = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert "陈建国" in page and "08:28 签到" in page
    assert (
        'id="badge-name">陈建国<' in card
        and reverse("attendance:badge-scan", args=[session.course.code, session.pk]) in card
    )
    assert AttendanceRecord.objects.get(enrollment=other_enrollment).checkin_method == "badge"


def test_the_badge_page_lists_an_evening_session_still_running_after_midnight(client, advisor, course, enrollment):
    """Scanned at 00:05 on a session that began at 23:55 the day before: the page offers it."""
    late = SessionFactory(
        course=course,
        title="夜间研讨",
        starts_at=at(course.start_date, "23:55"),
        ends_at=at(course.start_date + timedelta(days=1), "01:25"),
    )
    client.force_login(advisor)
    with time_machine.travel(at(course.start_date + timedelta(days=1), "00:05"), tick=False):
        card = client.get(reverse("attendance:badge", args=[tokens.badge_code(enrollment.pk)])).content.decode()
    assert "夜间研讨" in card
    assert reverse("attendance:badge-scan", args=[course.code, late.pk]) in card


def test_a_forged_badge_link_opens_nothing(client, advisor, enrollment):
    client.force_login(advisor)
    forged = tokens.badge_code(enrollment.pk)[:-1] + "X"
    assert client.get(reverse("attendance:badge", args=[forged])).status_code == 404


def test_leave_from_the_phone_to_the_advisor(client, trainee_user, advisor, course, session):
    client.force_login(trainee_user)
    with time_machine.travel(session.starts_at - timedelta(days=1), tick=False):
        response = client.post(
            reverse("attendance:my-leave-new", args=[course.code]),
            {"kind": "sick", "sessions": [session.pk], "reason": "发烧", "confirm": "on"},
        )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert client.post(reverse("attendance:leave-detail", args=[course.code, leave.pk])).status_code == 403
    client.force_login(advisor)
    response = client.post(
        reverse("attendance:leave-detail", args=[course.code, leave.pk]), {"approve": "1", "confirm": "on"}
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == "approved"


def test_a_trainee_sees_only_their_own_leave_and_records(client, trainee_user, session, other_enrollment, advisor):
    leave = services.leave_request_create(
        enrollment=other_enrollment,
        sessions=[session],
        kind="personal",
        reason="私事：家中老人住院",
        at=session.starts_at - timedelta(days=1),
    )
    client.force_login(trainee_user)
    assert client.post(reverse("attendance:my-leave-withdraw", args=[leave.pk])).status_code == 404
    page = client.get(reverse("attendance:my-attendance")).content.decode()
    assert "家中老人住院" not in page and "陈建国" not in page
    leave.refresh_from_db()
    assert leave.status == "pending"


def test_published_bulletins_reach_only_their_courses_trainees(client, trainee_user, course, session, advisor):
    bulletin = services.bulletin_publish(course=course, day=course.start_date, by=advisor, at=session.ends_at)
    elsewhere = CourseFactory()
    other_session = SessionFactory(course=elsewhere)
    foreign = services.bulletin_publish(
        course=elsewhere, day=elsewhere.start_date, by=advisor, at=other_session.ends_at
    )
    client.force_login(trainee_user)
    assert bulletin.title in client.get(reverse("attendance:my-attendance")).content.decode()
    assert client.get(reverse("attendance:my-bulletin", args=[bulletin.pk])).status_code == 200
    assert client.get(reverse("attendance:my-bulletin", args=[foreign.pk])).status_code == 404


def test_the_grid_runs_a_constant_number_of_queries(client, organizer, course, django_assert_num_queries):
    sessions = [
        SessionFactory(
            course=course,
            starts_at=at(course.start_date + timedelta(days=i // 10), f"{8 + i % 10:02d}:00"),
            ends_at=at(course.start_date + timedelta(days=i // 10), f"{8 + i % 10:02d}:50"),
        )
        for i in range(30)
    ]

    def fill(start, stop):
        trainees = Trainee.objects.bulk_create(
            TraineeFactory.build(phone=f"137{i:08d}", access_code="123456") for i in range(start, stop)
        )
        enrollments = Enrollment.objects.bulk_create(
            Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 4 + 1}组")
            for i, t in enumerate(trainees, start)
        )
        AttendanceRecord.objects.bulk_create(
            AttendanceRecord(session=s, enrollment=e, checked_in_at=s.starts_at, checkin_method=Method.QR)
            for e in enrollments
            for s in sessions[:20]
        )

    client.force_login(organizer)
    url = reverse("attendance:grid", args=[course.code])
    fill(0, 10)
    client.get(url)
    # session, user, membership (staff check), course (access), groups, sessions,
    # enrollments with trainees, records, approved leave.
    with time_machine.travel(sessions[-1].ends_at + timedelta(days=1), tick=False):
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200
        fill(10, 500)
        with django_assert_num_queries(9):
            response = client.get(url)
    html = response.content.decode()
    assert html.count('class="s-present"') == 500 * 20
    assert html.count('class="s-absent"') == 500 * 10


# --- No GET writes ---------------------------------------------------------------------------------------


def test_the_trainee_home_shows_each_sessions_status(client, trainee_user, session, enrollment):
    services.check_in(session, enrollment, method=Method.QR, at=session.starts_at + timedelta(minutes=7))
    client.force_login(trainee_user)
    with time_machine.travel(session.starts_at + timedelta(minutes=30), tick=False):
        page = client.get(reverse("attendance:me")).content.decode()
    assert 'data-status="late"' in page and "迟到 7 分钟" in page


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, membership, course (access), session (access), enrollments, records,
        # approved leave, then the counts: aggregate, leave, enrolled.
        ("attendance:rollcall", 11),
        # session, user, membership, course, sessions, enrollments, records, approved leave,
        # discipline entries, the highest 发文 number so far, published bulletins.
        ("attendance:bulletin", 11),
        # session, user, membership, course, enrollment (access), sessions, records with their
        # trails (records, changes, who changed), approved leave, leave requests (none here, so
        # nothing to prefetch), discipline entries.
        ("attendance:trainee", 12),
    ],
)
def test_attendance_pages_run_a_constant_number_of_queries(
    client, organizer, course, session, enrollment, advisor, django_assert_num_queries, name, queries
):
    later = SessionFactory(course=course, starts_at=session.ends_at + timedelta(minutes=15))
    args = {"attendance:rollcall": [course.code, session.pk], "attendance:trainee": [course.code, enrollment.pk]}
    url = reverse(name, args=args.get(name, [course.code]))
    client.force_login(organizer)

    def grow(start):
        for i in range(start, start + 20):
            extra = EnrollmentFactory(
                course=course, trainee=TraineeFactory(phone=f"136{i:08d}"), group=f"第{i % 3 + 1}组"
            )
            for s in (session, later):
                services.check_in(s, extra, method=Method.QR, at=s.starts_at + timedelta(minutes=i % 9))
            services.discipline_record_create(enrollment=extra, session=session, kind="phone", points=1, by=advisor)
        services.check_in(session, enrollment, method=Method.MANUAL, at=session.starts_at, by=advisor, reason="点名")

    with time_machine.travel(later.ends_at + timedelta(hours=1), tick=False):
        grow(0)
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
        grow(100)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_roll_call_on_a_withdrawn_trainee_answers_with_a_message(client, advisor, session, enrollment):
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    client.force_login(advisor)
    url = reverse("attendance:rollcall-mark", args=[session.course.code, session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        response = client.post(
            url, {"enrollment": enrollment.pk, "action": "present", "reason": "点名"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200 and "已退训" in response.content.decode()


def test_the_screen_qr_uses_the_site_url_phones_reach(client, organizer, session, settings):
    client.force_login(organizer)
    url = reverse("attendance:screen-live", args=[session.course.code, session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        local = client.get(url).content.decode()
        settings.SITE_URL = "http://10.20.1.5:8000"
        lan = client.get(url).content.decode()
    assert 'data-qr-url="http://testserver/a/' in local and "学员手机打不开" not in local
    assert f'data-qr-url="http://10.20.1.5:8000/a/{session.pk}/' in lan
    assert "13900000001" not in lan


def test_a_trainee_withdraws_and_resumes_their_own_leave(client, trainee_user, session, enrollment, advisor):
    later = SessionFactory(course=session.course, starts_at=session.ends_at + timedelta(hours=2))
    asked = session.starts_at - timedelta(days=1)
    pending = services.leave_request_create(
        enrollment=enrollment, sessions=[session], kind="personal", reason="私事", at=asked
    )
    approved = services.leave_request_create(
        enrollment=enrollment, sessions=[later], kind="sick", reason="病", at=asked
    )
    services.leave_decide(leave=approved, by=advisor, role="advisor", approve=True, confirm=True)
    client.force_login(trainee_user)
    with time_machine.travel(session.starts_at, tick=False):
        client.post(reverse("attendance:my-leave-withdraw", args=[pending.pk]))
        client.post(reverse("attendance:my-leave-resume", args=[approved.pk]))
        page = client.get(reverse("attendance:my-attendance")).content.decode()
    pending.refresh_from_db()
    approved.refresh_from_db()
    assert pending.status == "withdrawn" and approved.resumed_at == session.starts_at
    assert "已撤回" in page and "已销假" in page
