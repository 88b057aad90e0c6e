"""In a real browser: a trainee who attended a lecture sees on 我的培训 that it waits, evaluates it
on a phone with large score buttons, and the organizer sees the count on the 评教 tab; the classroom
projector shows the evaluation QR (read by a real decoder) and its rate rises without a reload; once
an evaluation has closed the organizer reads its charts and prints the 教学评估报告."""

import io
import subprocess
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from evaluation.models import Answer
from training.tests.browser import PHONE, staff_login
from training.tests.factories import EnrollmentFactory, TraineeFactory
from training.tests.test_browser import running_course  # noqa: F401 (a fixture)

from .helpers import answer, attended_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_evaluates_a_lecture_on_a_phone(live_server, browser, organizer, running_course, screenshot):  # noqa: F811
    trainee = TraineeFactory(name="张丽华", phone="13900000001", access_code="246810")
    enrollment = EnrollmentFactory(course=running_course, trainee=trainee, student_no="001", group="第一组")
    now = timezone.now()
    session = attended_session(
        running_course,
        [enrollment],
        title="《中华人民共和国工会法》专题解读",
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
    )
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("手机号码").fill("13900000001")
    page.get_by_label("登录码").fill("246810")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#evaluations-waiting")).to_contain_text("有 1 项评教等您填写")
    page.locator("#evaluations-waiting").get_by_role("link", name="去评价").click()
    expect(page.locator("#evaluation-list")).to_contain_text(session.title)
    screenshot(page, "evaluation-phone-list")
    page.get_by_role("link", name=session.title).click()
    expect(page.get_by_role("heading", name="专题讲座评价表")).to_be_visible()

    page.get_by_role("button", name="提交评价").click()  # nothing scored: each item says so
    expect(page.locator("#error-summary")).to_contain_text("请为“针对性”打分。")
    for label, score in (("针对性", 5), ("理论性", 4), ("信息量", 5), ("语言表达", 4), ("教风教态", 5)):
        button = page.get_by_label(f"{label} {score} 分")
        target = page.locator(f"label[for='{button.get_attribute('id')}']")  # the input hides behind it
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
        target.tap()
        expect(button).to_be_checked()
    page.get_by_label("意见和建议").fill("案例贴近基层，建议多讲讲工会法在企业里的适用。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "evaluation-phone-form")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    assert Answer.objects.get().scores == {"targeted": 5, "theory": 4, "information": 5, "language": 4, "manner": 5}
    page.goto(f"{live_server.url}/me/evaluations/sessions/{session.pk}/")
    expect(page.locator("#evaluation-refused")).to_contain_text("您已评价过")
    context.close()

    staff = browser.new_context(viewport={"width": 1366, "height": 900})
    page = staff.new_page()
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{running_course.code}/")
    page.get_by_role("link", name="评教").click()
    row = page.locator(f"#evaluation-results tr[data-session='{session.pk}']")
    expect(row).to_contain_text("1 / 1")
    expect(row).to_contain_text("截止后显示")  # still open: means wait for the close
    staff.close()


def test_the_projector_shows_the_evaluation_qr_and_the_rate_rises_without_reload(
    live_server,
    browser,
    settings,
    organizer,
    running_course,  # noqa: F811
    screenshot,
):
    settings.SITE_URL = live_server.url
    now = timezone.now()
    present = [
        EnrollmentFactory(course=running_course, trainee=TraineeFactory(phone=f"1390000000{n}"), student_no=f"00{n}")
        for n in range(1, 4)
    ]
    session = attended_session(  # in its last minutes: check-in and evaluation are both open
        running_course,
        present,
        title="工会劳动保护监督检查实务",
        starts_at=now - timedelta(minutes=50),
        ends_at=now + timedelta(minutes=5),
    )
    staff = browser.new_context(viewport={"width": 1280, "height": 720})
    page = staff.new_page()
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{running_course.code}/sessions/{session.pk}/screen/")
    block = page.locator("[data-evaluation-open]")
    expect(block).to_contain_text("请扫码评价本课")
    expect(block.locator("[data-rate]")).to_have_text("已评价 0 / 签到 3 人（0%）")
    screenshot(page, "evaluation-projector")
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(block.locator(".screen-qr").screenshot())))
    assert [code.text for code in codes] == [f"{live_server.url}/me/evaluations/sessions/{session.pk}/"]
    answer(present[0], session, at=timezone.now())
    expect(block.locator("[data-rate]")).to_have_text("已评价 1 / 签到 3 人（33%）", timeout=15000)  # polled
    staff.close()


def test_after_the_close_the_organizer_reads_the_charts_and_prints_the_report(
    live_server,
    browser,
    organizer,
    running_course,  # noqa: F811
    screenshot,
    tmp_path,
):
    now = timezone.now()
    people = [
        EnrollmentFactory(course=running_course, trainee=TraineeFactory(phone=f"1390000001{n}"), student_no=f"01{n}")
        for n in range(6)
    ]
    session = attended_session(  # two days ago: its evaluation closed 24 hours after it ended
        running_course,
        people,
        title="工会经费收支管理",
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
    )
    for n, enrollment in enumerate(people[:5]):
        answer(enrollment, session, value=5 if n < 2 else 4, comment="讲得清楚" if n == 0 else "")
    staff = browser.new_context(viewport={"width": 1366, "height": 900})
    page = staff.new_page()
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{running_course.code}/evaluation/")
    row = page.locator(f"#evaluation-results tr[data-session='{session.pk}']")
    expect(row).to_contain_text("5 / 6")
    expect(row).to_contain_text("4.40")
    charts = page.locator(f"#evaluation-charts [data-session='{session.pk}'] svg[role='img']")
    expect(charts).to_have_count(5)  # one per item of the lecture form
    expect(charts.first).to_have_attribute(
        "aria-label", "针对性评分分布：5分2人，4分3人，3分0人，2分0人，1分0人；均分4.40"
    )
    assert charts.first.bounding_box()["height"] > 40  # drawn, not collapsed
    expect(page.locator("#evaluation-comments")).to_contain_text("讲得清楚")
    screenshot(page, "evaluation-results-charts")
    link = page.get_by_role("link", name="评估报告 PDF")  # opens in a new tab; fetched with the same login
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())  # the title is set with letter spacing
    assert "教学评估报告" in text and "工会经费收支管理" in text and "4.40" in text and "讲得清楚" in text
    staff.close()
