"""In a real browser, on phones (390 px): a trainee writes a 学习心得 from 我的培训, the 班主任 grades
it, the trainee reads the grade; and the 考核 pages meet WCAG 2.2 AA with 44 px targets for every
role that opens them (the site-wide test's check, run on these pages only)."""

from datetime import timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Essay
from training.models import Membership
from training.tests.browser import PHONE, staff_login
from training.tests.factories import EnrollmentFactory, MembershipFactory, TraineeFactory, UserFactory
from training.tests.test_accessibility import SERIOUS, SMALL_TARGETS, TAGS, WIDTHS, html_pages
from training.tests.test_browser import running_course  # noqa: F401 (a fixture)
from training.tests.test_permission_matrix import world  # noqa: F401 (a fixture)

from .helpers import assessed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_hands_in_a_reflection_the_advisor_grades_it_on_a_phone(
    live_server,
    browser,
    organizer,
    running_course,  # noqa: F811
    screenshot,
):
    advisor = UserFactory(username="banzhuren", first_name="王海涛")
    MembershipFactory(user=advisor, organization=running_course.organization, role=Membership.Role.ADVISOR)
    running_course.advisors.add(advisor)
    assessed(running_course, organizer, essay_due_at=timezone.now() + timedelta(days=1))
    trainee = TraineeFactory(name="张丽华", phone="13900000001", access_code="246810")
    EnrollmentFactory(course=running_course, trainee=trainee, student_no="001", group="第一组")

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("手机号码").fill("13900000001")
    page.get_by_label("登录码").fill("246810")
    page.get_by_role("button", name="登录").click()
    block = page.locator("#my-assessment")
    expect(block).to_contain_text("学习心得")
    expect(block).to_contain_text("待评")
    block.get_by_role("link", name="学习心得（提交 / 修改）").click()
    expect(page.get_by_role("heading", name="学习心得")).to_be_visible()
    page.get_by_label("题目（可不填）").fill("学习工会法的几点体会")
    page.get_by_label("心得正文").fill("通过三天的学习，我对新时代工会工作有了更深的认识。\n一是……")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "assessment-phone-essay")
    page.get_by_role("button", name="提交心得").click()
    expect(page.locator("#essay-status")).to_contain_text("等待班主任评分")
    essay = Essay.objects.get()
    assert essay.title == "学习工会法的几点体会" and essay.score is None

    staff = browser.new_context(**PHONE)
    desk = staff.new_page()
    staff_login(desk, live_server.url, "banzhuren")
    desk.goto(f"{live_server.url}/courses/{running_course.code}/assessment/")
    desk.get_by_role("link", name="学习心得（1 份）").click()
    desk.get_by_role("link", name="阅读并评分").click()
    expect(desk.locator(".essay-body")).to_contain_text("通过三天的学习")
    desk.get_by_label("评分（0–100）").fill("88")
    desk.get_by_label("评语").fill("联系实际，体会深刻。")
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(desk, "assessment-phone-grade")
    desk.get_by_role("button", name="保存评分").click()
    expect(desk.locator("#essay-table")).to_contain_text("88")
    staff.close()

    page.reload()
    expect(page.locator("#essay-grade")).to_contain_text("88 分")
    expect(page.locator("#essay-grade")).to_contain_text("联系实际，体会深刻。")
    expect(page.get_by_role("button", name="保存修改")).to_have_count(0)
    page.goto(f"{live_server.url}/me/")
    expect(page.locator("#my-assessment [data-kind='essay']")).to_contain_text("88 分")
    screenshot(page, "assessment-phone-home")
    phone.close()
    essay.refresh_from_db()
    assert (essay.score, essay.graded_by) == (88, advisor)


def ours(name: str) -> bool:
    return name.startswith("assessment:") or name in ("completion:completion", "attendance:me")


def test_the_assessment_pages_meet_wcag_2_2_aa(live_server, browser, world):  # noqa: F811
    axe = Axe()
    checked, problems = 0, []
    with time_machine.travel(world["now"] + timedelta(minutes=1), tick=False):
        for role, widths in WIDTHS.items():
            pages, cookie = html_pages(role, world["users"][role], world)
            pages = [(name, url) for name, url in pages if ours(name)]
            for viewport in widths:
                context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500, has_touch=True)
                if cookie:
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
                    )
                page = context.new_page()
                for name, url in pages:
                    page.goto(f"{live_server.url}{url}")
                    page.wait_for_load_state("networkidle")
                    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
                    checked += 1
                    if viewport["width"] < 500 and (small := page.evaluate(SMALL_TARGETS)):
                        problems.append(f"{name} as {role} at 390 px: targets under 44 px {small[:4]}")
                    for violation in results.response["violations"]:
                        if violation["impact"] in SERIOUS:
                            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"]][:4]
                            problems.append(f"{name} as {role} at {viewport['width']} px: {violation['id']} {targets}")
                context.close()
    assert checked > 20
    assert problems == [], "\n".join(problems)
