"""In a real browser: the organizer sets the 名额分配表 and copies a unit's link; the unit's contact,
on a phone, puts two people forward, substitutes one, is refused beyond the quota and after the
deadline; the organizer approves and the roster holds them; on day one the 报到 desk marks one
of them arrived by scanning her badge."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from attendance import tokens
from lodging.models import Arrival
from registration.models import Nominee
from training.tests.browser import PHONE, staff_login

from .helpers import unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, name, phone, *, ethnicity="汉", position="工会主席"):
    page.get_by_label("姓名").fill(name)
    page.get_by_label("女", exact=True).check()
    page.get_by_label("民族").fill(ethnicity)
    page.get_by_label("职务").fill(position)
    page.get_by_label("手机号码").fill(phone)


def test_quotas_a_unit_fills_on_a_phone_and_the_organizer_approves(
    live_server, browser, organizer, course, organization, screenshot
):
    hospital = unit(organization, "县人民医院工会", contact="刘芳", phone="0795-7212345")
    unit(organization, "县教育局工会", contact="周强", phone="13700000000")
    deadline = timezone.localtime() + timedelta(days=3)
    staff = browser.new_context(
        viewport={"width": 1366, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = staff.new_page()
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{course.code}/")
    page.get_by_role("link", name="报名").click()
    page.get_by_role("link", name="名额分配表", exact=True).click()
    page.get_by_label("报名截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("县人民医院工会 名额", exact=True).fill("2")
    page.get_by_label("县教育局工会 名额", exact=True).fill("3")
    screenshot(page, "registration-quotas")
    page.get_by_role("button", name="保存名额分配表").click()
    expect(page.locator("#registration-summary")).to_contain_text("0 / 2 个单位已报名")
    expect(page.locator("#registration-waiting")).to_contain_text("县教育局工会 · 联系人 周强 13700000000")
    card = page.locator(f"#quota-{hospital.quotas.get().pk}")
    card.get_by_role("button", name="复制链接").click()
    expect(card.get_by_role("button", name="已复制")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(live_server.url + "/r/")

    phone = browser.new_context(**PHONE)
    contact = phone.new_page()
    contact.goto(link)
    expect(contact.locator("#unit-summary")).to_contain_text("县人民医院工会")
    fill(contact, "赵春梅", "138 0013 8000")
    contact.get_by_role("button", name="提交报名").click()
    expect(contact.locator("#unit-nominees")).to_contain_text("赵春梅")
    fill(contact, "钱伟", "1380013800")  # one digit short
    contact.get_by_role("button", name="提交报名").click()
    expect(contact.locator("#error-summary")).to_contain_text("不是有效的11位手机号码")
    contact.get_by_label("手机号码").fill("13800138001")
    contact.get_by_role("button", name="提交报名").click()
    expect(contact.locator("#unit-full")).to_be_visible()  # two of two: no more form
    box = contact.get_by_role("link", name="换人").first.bounding_box()
    assert box["height"] >= 44
    assert contact.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(contact, "registration-unit-phone")
    contact.locator("[data-nominee]", has_text="钱伟").get_by_role("link", name="换人").click()
    fill(contact, "孙丽", "13800138002", ethnicity="回")
    contact.get_by_label("清真").check()
    contact.get_by_role("button", name="确认换人").click()
    expect(contact.locator("#unit-nominees")).to_contain_text("由钱伟换为孙丽")
    expect(contact.locator("#unit-full")).to_contain_text("名额已报满")  # a substitute takes no new place
    expect(contact.get_by_role("button", name="提交报名")).to_have_count(0)
    assert Nominee.objects.exclude(status="replaced").count() == 2
    with time_machine.travel(deadline + timedelta(minutes=1), tick=True):
        contact.goto(link)
        expect(contact.locator("#unit-closed")).to_contain_text("报名已截止")
        expect(contact.get_by_role("link", name="换人")).to_have_count(0)
    phone.close()

    page.reload()
    expect(card).to_contain_text("2 / 2")
    expect(card).to_contain_text("由钱伟换为孙丽")
    screenshot(page, "registration-progress")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="全部通过").click()
    expect(page.get_by_role("alert").first).to_contain_text("已通过 2 人")
    page.get_by_role("link", name="花名册").click()
    expect(page.locator("body")).to_contain_text("孙丽")
    expect(page.locator("body")).to_contain_text("赵春梅")
    assert sorted(course.enrollments.values_list("trainee__work_unit", flat=True)) == ["县人民医院工会"] * 2

    # Day one at the 报到 desk: the USB scanner types 孙丽's badge link and Enter.
    sun = course.enrollments.get(trainee__name="孙丽")
    page.goto(f"{live_server.url}/courses/{course.code}/arrival/")
    scan = page.get_by_label("胸牌码")
    scan.press_sequentially(f"{live_server.url}/b/{tokens.badge_code(sun.pk)}/")
    scan.press("Enter")
    expect(page.locator("#desk-result")).to_contain_text("孙丽")
    expect(page.locator("#arrived-count")).to_have_text("1")
    assert Arrival.objects.filter(enrollment=sun).exists()
    staff.close()
