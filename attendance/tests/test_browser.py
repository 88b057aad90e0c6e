"""In a real browser: the classroom projector shows a rotating QR; a trainee's phone opens its URL,
logs in, is checked in and sees the status; the projector's count goes up without a reload."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from attendance.models import AttendanceRecord
from training.models import Course
from training.tests.browser import PHONE, staff_login
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, TraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_projector_qr_checks_a_phone_in_and_the_count_goes_up(
    live_server, browser, page, organizer, organization, screenshot
):
    now = timezone.now()
    today = timezone.localdate()
    course = CourseFactory(
        organization=organization,
        code="QS2026-08",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        status=Course.Status.PUBLISHED,
    )
    session = SessionFactory(
        course=course,
        title="《中华人民共和国工会法》解读",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=80),
    )
    trainee = TraineeFactory(name="张丽华", phone="13600000001", access_code="246810")
    EnrollmentFactory(course=course, trainee=trainee, student_no="001", group="第一组")
    EnrollmentFactory(course=course, student_no="002", group="第一组")

    page.set_viewport_size({"width": 1280, "height": 800})
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{course.code}/sessions/{session.pk}/screen/")
    qr = page.locator(".screen-qr")
    expect(qr.locator("svg")).to_be_visible()
    expect(page.locator('[data-count="checked_in"]')).to_have_text("0")
    expect(page.locator('[data-count="expected"]')).to_have_text("2")
    screenshot(page, "projector-qr")
    # What a phone camera reads off the projector (not what the template says it drew).
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [code.format.name for code in codes] == ["QRCode"]
    url = codes[0].text
    assert url.startswith(f"{live_server.url}/a/{session.pk}/") and "13600000001" not in url

    phone = browser.new_context(**PHONE)
    trainee_page = phone.new_page()
    trainee_page.goto(url)  # scanned with the phone camera: not logged in yet
    expect(trainee_page.get_by_role("heading", name="学员登录")).to_be_visible()
    trainee_page.get_by_label("手机号码").fill("13600000001")
    trainee_page.get_by_label("登录码").fill("246810")
    trainee_page.get_by_role("button", name="登录").click()
    result = trainee_page.locator("#scan-result")
    expect(result).to_contain_text("签到成功")
    expect(result.locator("[data-status]")).to_have_text("迟到 10 分钟")
    screenshot(trainee_page, "trainee-checked-in")
    assert AttendanceRecord.objects.filter(session=session, enrollment__trainee=trainee).count() == 1

    # The projector was not reloaded: its live part polls and the count follows.
    expect(page.locator('[data-count="checked_in"]')).to_have_text("1", timeout=15_000)

    trainee_page.goto(f"{live_server.url}/me/attendance/")
    expect(trainee_page.locator("[data-status]").first).to_have_text("迟到 10 分钟")
    assert trainee_page.evaluate("document.documentElement.scrollWidth") <= 390
    trainee_page.get_by_text("我的签到码").click()
    badge = zxingcpp.read_barcodes(Image.open(io.BytesIO(trainee_page.locator(".badge-code svg").screenshot())))
    assert [code.format.name for code in badge] == ["QRCode"]
    screenshot(trainee_page, "trainee-attendance")
    phone.close()

    # Staff scan the phone's badge code with a phone camera: it opens the trainee's badge page.
    page.goto(badge[0].text)
    expect(page.locator("#badge-name")).to_have_text("张丽华")
    expect(page.get_by_role("button", name="签到")).to_be_visible()


def test_the_advisor_calls_the_roll_on_a_phone(live_server, browser, advisor, course, enrollment, screenshot):
    now = timezone.now()
    session = SessionFactory(course=course, starts_at=now - timedelta(minutes=3), ends_at=now + timedelta(hours=1))
    context = browser.new_context(**PHONE)
    page = context.new_page()
    staff_login(page, live_server.url, "advisor")
    page.goto(f"{live_server.url}/courses/{course.code}/sessions/{session.pk}/rollcall/")
    row = page.locator(f'[data-enrollment="{enrollment.pk}"]')
    expect(row.locator("[data-status]")).to_have_text("待签到")
    row.get_by_role("button", name="张丽华 到", exact=True).click()  # named with the trainee
    expect(page.locator(f'[data-enrollment="{enrollment.pk}"] [data-status]')).to_have_text("出勤")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "advisor-rollcall")
    record = AttendanceRecord.objects.get(session=session, enrollment=enrollment)
    assert record.changes.get().reason == "课堂点名"
    context.close()
