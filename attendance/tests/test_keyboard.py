"""Keyboard only, in a real browser: an advisor calls the roll on a phone with Tab, Shift+Tab,
Enter and Space, and focus never falls to the page; a trainee asks for leave without a pointer.
Time is frozen (the live server runs in this process, so it sees the same clock)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, LeaveRequest
from training.tests.browser import PHONE, staff_login
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Where focus is: the element's id (or tag), whether it is inside the roll call, and its name.
FOCUS = """() => {
  const el = document.activeElement;
  return {
    id: el ? el.id : '',
    tag: el ? el.tagName.toLowerCase() : '',
    inRollcall: !!(el && el.closest('#rollcall')),
    name: el ? (el.getAttribute('aria-label') || el.textContent || '').trim() : '',
  };
}"""


def focus(page):
    return page.evaluate(FOCUS)


def tab_to(page, element_id, *, key="Tab", limit=20):
    """Presses Tab (or Shift+Tab) until the element with this id has focus; fails past `limit`."""
    for _ in range(limit):
        if focus(page)["id"] == element_id:
            return
        page.keyboard.press(key)
    assert focus(page)["id"] == element_id, f"{key} never reached #{element_id}"


def wait_for_focus_on(page, element_id):
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=element_id)


def record(session, enrollment):
    return AttendanceRecord.objects.filter(session=session, enrollment=enrollment).first()


@pytest.fixture
def frozen_morning(course):
    """20 minutes into the first session of the course's first day."""
    session = SessionFactory(
        course=course, title="《中华人民共和国工会法》解读", starts_at=at(course.start_date, "08:30")
    )
    with time_machine.travel(session.starts_at + timedelta(minutes=20), tick=False):
        yield session


def test_the_advisor_calls_the_whole_roll_with_the_keyboard_alone(
    live_server, browser, advisor, course, frozen_morning, screenshot
):
    session = frozen_morning
    names = ["张丽华", "陈建国", "刘芳", "赵志强"]
    people = [
        EnrollmentFactory(course=course, trainee=TraineeFactory(name=name), student_no=f"00{i + 1}")
        for i, name in enumerate(names)
    ]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    staff_login(page, live_server.url, "advisor")
    page.goto(f"{live_server.url}/courses/{course.code}/sessions/{session.pk}/rollcall/")
    live = page.locator("#live")

    # The first Tab reaches the skip link; Enter moves focus past the navigation to the content.
    page.keyboard.press("Tab")
    assert focus(page)["name"] == "跳到主要内容"
    page.keyboard.press("Enter")
    assert focus(page)["id"] == "main"

    def mark(enrollment, action, key):
        button = f"rollcall-{enrollment.pk}-{action}"
        page.keyboard.press(key)
        expect(page.locator(f"#{button}")).to_have_attribute("aria-pressed", "true")
        wait_for_focus_on(page, button)  # the swapped-in row's same button, not the body
        assert focus(page)["inRollcall"]

    # 1. 张丽华 到, with Enter.
    tab_to(page, f"rollcall-{people[0].pk}-present")
    assert focus(page)["name"] == "张丽华 到"
    mark(people[0], "present", "Enter")
    expect(live).to_have_text("张丽华：已记为出勤")
    assert record(session, people[0]).checked_in_at == session.starts_at
    expect(page.locator("#rollcall-counts")).to_contain_text("已签到 1")

    # 2. 陈建国 迟, with Space.
    tab_to(page, f"rollcall-{people[1].pk}-late")
    assert focus(page)["name"] == "陈建国 迟到"
    mark(people[1], "late", "Space")
    expect(live).to_have_text("陈建国：已记为迟到 20 分钟")
    assert record(session, people[1]).checked_in_at == session.starts_at + timedelta(minutes=20)

    # 3. 刘芳 缺.
    tab_to(page, f"rollcall-{people[2].pk}-absent")
    assert focus(page)["name"] == "刘芳 缺勤"
    mark(people[2], "absent", "Enter")
    expect(live).to_have_text("刘芳：已记为缺勤")
    assert record(session, people[2]).checked_in_at is None

    # 4. 赵志强 到 — then, with the reason emptied, 刘芳 迟 is refused: said in the row and aloud,
    # focus stays on the button and nothing is saved.
    tab_to(page, f"rollcall-{people[3].pk}-present")
    mark(people[3], "present", "Enter")
    expect(live).to_have_text("赵志强：已记为出勤")
    assert record(session, people[3]).checked_in_at == session.starts_at

    tab_to(page, "rollcall-reason", key="Shift+Tab", limit=30)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Backspace")
    tab_to(page, f"rollcall-{people[2].pk}-late", limit=30)
    page.keyboard.press("Enter")
    expect(page.locator(f"#rollcall-{people[2].pk}")).to_contain_text("请填写更改原因")
    expect(live).to_have_text("刘芳：请填写更改原因。")
    wait_for_focus_on(page, f"rollcall-{people[2].pk}-late")
    assert record(session, people[2]).checked_in_at is None

    # Back to the reason with Shift+Tab, type it, and 刘芳 迟 goes through.
    tab_to(page, "rollcall-reason", key="Shift+Tab", limit=30)
    page.keyboard.type("课堂点名")
    tab_to(page, f"rollcall-{people[2].pk}-late", limit=30)
    mark(people[2], "late", "Space")
    expect(live).to_have_text("刘芳：已记为迟到 20 分钟")
    assert record(session, people[2]).checked_in_at == session.starts_at + timedelta(minutes=20)

    # 刘芳's 缺 changed nothing (she had not checked in); her 迟 is her one change, with its reason
    changes = [list(record(session, e).changes.values_list("reason", flat=True)) for e in people]
    assert changes == [["课堂点名"]] * 4
    expect(page.locator("#rollcall-counts")).to_contain_text("已签到 4")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "advisor-rollcall-keyboard")
    context.close()


def tab_until(page, predicate, *, key="Tab", limit=30):
    """Presses Tab (or Shift+Tab) until `predicate` (JS, given the focused element) holds."""
    check = f"() => {{ const el = document.activeElement; return !!({predicate}); }}"
    for _ in range(limit):
        if page.evaluate(check):
            return
        page.keyboard.press(key)
    assert page.evaluate(check), f"{key} never reached {predicate}"


def test_a_trainee_asks_for_leave_with_the_keyboard_alone(live_server, browser, course, enrollment, screenshot):
    days = [(day, clock) for day in range(3) for clock in ("08:30", "10:30", "14:30", "16:30")]
    sessions = [
        SessionFactory(
            course=course,
            title=f"专题讲座{n}",
            starts_at=at(course.start_date + timedelta(days=day), clock),
            credit_hours=Decimal("0.5") if day == 0 else Decimal("2"),  # 1 学时 of leave keeps 结业
        )
        for n, (day, clock) in enumerate(days, start=1)
    ]
    with time_machine.travel(at(course.start_date - timedelta(days=1), "20:00"), tick=False):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("手机号码").fill("13900000001")
        page.get_by_label("登录码").fill("246810")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="张丽华，您好")).to_be_visible()
        tab_until(page, "el.textContent.trim() === '请假'")  # from the trainee's home page
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="请假申请")).to_be_visible()

        # Sent empty: focus goes to the errors (the summary, or the first field in error), not the page.
        tab_until(page, "el.matches('main form [type=submit]')")
        page.keyboard.press("Enter")
        expect(page.locator(".invalid-feedback, [data-error-summary]").first).to_be_visible()
        page.wait_for_load_state("domcontentloaded")
        page.wait_for_function("document.activeElement && document.activeElement !== document.body")
        where = page.evaluate(
            """() => { const el = document.activeElement;
                return { body: el === document.body, summary: !!el.closest('[data-error-summary]'),
                         invalid: el.matches('.is-invalid, [aria-invalid=true]') }; }"""
        )
        assert where["summary"], where  # the summary at the top, whose links lead to the fields
        summary = page.locator("[data-error-summary]")
        expect(summary).to_contain_text("未能提交")
        page.keyboard.press("Tab")  # the summary's first link, then Enter: on to the field in error
        page.keyboard.press("Enter")
        where = page.evaluate(
            """() => { const el = document.activeElement;
                return { body: el === document.body, summary: !!el.closest('[data-error-summary]'),
                         invalid: el.matches('.is-invalid, [aria-invalid=true]'), id: el.id }; }"""
        )
        assert where["id"] == "id_kind_0", where  # the first 请假类型 box, the first field in error
        screenshot(page, "trainee-leave-errors")

        # 病假 (Space picks the first type, an arrow key moves within the group), two sessions (Space
        # ticks a box), the reason typed, Enter on 提交.
        tab_until(page, "el.name === 'kind'")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.value") == "sick"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "sessions"
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        tab_until(page, "el.name === 'reason'")
        page.keyboard.type("发烧，医院就诊")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "提交"
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("请假申请已提交")
        screenshot(page, "trainee-leave-sent")
        context.close()
    leave = LeaveRequest.objects.get()
    assert leave.kind == LeaveRequest.Kind.SICK and leave.reason == "发烧，医院就诊"
    assert list(leave.sessions.order_by("starts_at")) == [sessions[0], sessions[2]]
