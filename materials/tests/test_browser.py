"""In a real browser: a trainee reads a speech on a phone, jumps through its table of contents,
enlarges the text and marks it read; the organizer's page shows who has read it."""

import pytest
from playwright.sync_api import expect

from materials import services
from materials.tests.seeds import seed_path
from training.tests.browser import PHONE, staff_login
from training.tests.factories import EnrollmentFactory, TraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_reads_on_a_phone_and_the_organizer_sees_it(
    live_server, browser, page, organizer, course, screenshot
):
    path = seed_path("004")
    material = services.material_import(course=course, content=path.read_bytes(), filename=path.name).materials[0]
    trainee = TraineeFactory(name="张丽华", phone="13600000001", access_code="246810")
    EnrollmentFactory(course=course, trainee=trainee, student_no="001")

    phone = browser.new_context(**PHONE)
    reader = phone.new_page()
    reader.goto(f"{live_server.url}/login/")
    reader.get_by_label("手机号码").fill("13600000001")
    reader.get_by_label("登录码").fill("246810")
    reader.get_by_role("button", name="登录").click()
    reader.get_by_role("link", name="学习材料").first.click()
    reader.get_by_role("link", name=material.title).click()
    expect(reader.get_by_role("heading", name=material.title)).to_be_visible()

    reader.locator(".reading-toc summary").click()
    reader.locator(".reading-toc").get_by_role("link", name="四、突出以案促改工作，改出工会好作风、新气象").click()
    heading = reader.get_by_role("heading", name="四、突出以案促改工作，改出工会好作风、新气象")
    expect(heading).to_be_in_viewport()
    assert reader.evaluate("window.location.hash").startswith("#p-")

    body = reader.locator(".reading-body p").first
    before = float(body.evaluate("p => getComputedStyle(p).fontSize")[:-2])
    reader.get_by_role("button", name="放大字号").click()
    assert float(body.evaluate("p => getComputedStyle(p).fontSize")[:-2]) > before
    assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(reader, "trainee-reading")

    reader.get_by_role("button", name="已学习").click()
    expect(reader.locator("[data-read]")).to_contain_text("已于")
    # Back on the page (the redirect has no anchor): the phone returns to where the reader was.
    # (polled from here: wait_for_function evaluates a string in the page, which its CSP forbids)
    for _ in range(150):  # up to 15 s: on a loaded CI machine the page can take seconds to settle
        if reader.evaluate("window.scrollY") > 2000:
            break
        reader.wait_for_timeout(100)
    assert reader.evaluate("window.scrollY") > 2000
    phone.close()

    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{course.code}/materials/{material.pk}/")
    expect(page.locator("[data-read-count]")).to_have_text("1")
    expect(page.locator(".readers")).to_contain_text("张丽华")
    expect(page.locator(".readers")).to_contain_text("已学习")
    screenshot(page, "organizer-material-readers")
