"""In a real browser: the organizer prints the 登录凭条 from the print centre on a desktop, and a
trainee logs in on a phone with the code read off that PDF's text layer."""

import pytest
from playwright.sync_api import expect

from documents.tests.test_login_slips import code_below
from training.tests.browser import PHONE, staff_login
from training.tests.factories import EnrollmentFactory, TraineeFactory
from training.tests.test_browser import running_course  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organizer_prints_the_login_slips_and_a_trainee_logs_in_with_a_printed_code(
    live_server,
    browser,
    organizer,
    running_course,  # noqa: F811 (the fixture imported above)
    settings,
    screenshot,
):
    settings.SITE_URL = live_server.url
    for i, name in enumerate(("张丽华", "王建国", "阿依古丽·买买提"), start=1):
        EnrollmentFactory(
            course=running_course, trainee=TraineeFactory(name=name, phone=f"1390000000{i}"), student_no=f"00{i}"
        )
    desk = browser.new_page(viewport={"width": 1366, "height": 900})
    staff_login(desk, live_server.url, "organizer")
    desk.goto(f"{live_server.url}/courses/{running_course.code}/")
    desk.get_by_role("link", name="打印").click()
    link = desk.get_by_role("link", name="登录凭条", exact=True)
    expect(link).to_be_visible()
    sheet = desk.request.get(f"{live_server.url}{link.get_attribute('href')}").body()
    assert sheet[:4] == b"%PDF"
    code = code_below(sheet, "王建国")

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("手机号码").fill("13900000002")
    phone.get_by_label("登录码").fill(code)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="王建国，您好")).to_be_visible()
    screenshot(phone, "trainee-logged-in-with-printed-code")
