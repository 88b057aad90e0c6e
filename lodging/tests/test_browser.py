"""In a real browser: at the 报到 desk, a USB scanner types a badge's link and Enter into the scan
box; the trainee is marked arrived, the card says their room and what to hand out, and the
count rises."""

import pytest
from playwright.sync_api import expect

from attendance import tokens
from lodging import services
from training.tests.browser import staff_login
from training.tests.factories import EnrollmentFactory, TraineeFactory
from training.tests.test_browser import running_course  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scanning_a_badge_at_the_desk_marks_the_trainee_arrived(
    live_server,
    browser,
    advisor,
    running_course,  # noqa: F811 (the fixture)
    screenshot,
):
    running_course.advisors.add(advisor)
    first = EnrollmentFactory(
        course=running_course, trainee=TraineeFactory(name="张丽华", phone="13900000001", gender="F")
    )
    EnrollmentFactory(course=running_course, trainee=TraineeFactory(name="陈建国", phone="13900000002", gender="M"))
    room = services.rooms_add(organization=running_course.organization, lines="1号楼 2层 201 双人间")[0]
    services.room_move(course=running_course, enrollment=first, room=room, by=advisor)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    staff_login(page, live_server.url, "advisor")
    page.goto(f"{live_server.url}/courses/{running_course.code}/arrival/")
    expect(page.locator("#arrived-count")).to_have_text("0")
    scan = page.get_by_label("胸牌码")
    expect(scan).to_be_focused()  # the scanner types into it without a click
    scan.press_sequentially(f"http://10.20.1.5:8000/b/{tokens.badge_code(first.pk)}/")
    scan.press("Enter")
    expect(page.locator("#desk-result")).to_contain_text("张丽华")
    expect(page.locator("#desk-result")).to_contain_text("1号楼 201")
    expect(page.locator("#arrived-count")).to_have_text("1")
    expect(page.locator("#not-arrived")).to_contain_text("13900000002")
    screenshot(page, "lodging-desk")
    page.get_by_label("胸牌码").fill(tokens.badge_code(first.pk))
    page.get_by_label("胸牌码").press("Enter")
    expect(page.locator("#desk-result")).to_contain_text("已于")
    expect(page.locator("#arrived-count")).to_have_text("1")
