"""In a real browser (Debian's chromium through Playwright): an organizer imports a roster and
reads the timetable on a desktop; a trainee logs in on a phone and sees today's sessions."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from training.models import Course
from training.tests import rosters
from training.tests.browser import PHONE, staff_login
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_course(organization):
    """A course running yesterday, today and tomorrow, so that “today” is real in the browser."""
    today = timezone.localdate()
    course = CourseFactory(
        organization=organization,
        code="QS2026-09",
        name="2026年全县基层工会干部培训班",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        status=Course.Status.PUBLISHED,
    )
    titles = [
        (-1, "08:30", "09:30", "opening", "开班式暨开班动员讲话"),
        (-1, "14:30", "16:30", "lecture", "中国工会的历史与新时代基层工会工作"),
        (0, "08:30", "10:30", "lecture", "《中华人民共和国工会法》解读"),
        (0, "14:30", "16:30", "site_visit", "“职工之家”建设现场教学"),
        (1, "16:00", "17:00", "closing", "结业式暨学员学习交流发言"),
    ]
    for offset, start, end, kind, title in titles:
        day = today + timedelta(days=offset)
        SessionFactory(course=course, kind=kind, title=title, starts_at=at(day, start), ends_at=at(day, end))
    return course


def test_an_organizer_imports_a_roster_and_reads_the_timetable(
    live_server, page, organizer, running_course, tmp_path, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 900})
    staff_login(page, live_server.url, "organizer")
    page.get_by_role("link", name=running_course.name).click()
    expect(page.get_by_role("heading", name=running_course.name)).to_be_visible()

    page.get_by_role("link", name="花名册").first.click()
    page.locator("a.btn", has_text="导入").click()
    roster_file = tmp_path / "学员花名册.xlsx"
    roster_file.write_bytes(rosters.xlsx(rosters.table()))
    page.get_by_label("花名册文件").set_input_files(str(roster_file))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#import-ok")).to_contain_text("检查通过，共 8 名学员")
    expect(page.locator("#import-preview")).to_contain_text("阿依古丽·买买提")
    screenshot(page, "organizer-import-preview")
    page.get_by_role("button", name="确认导入 8 名学员").click()
    expect(page.get_by_role("alert")).to_contain_text("新增学员 8 人")
    expect(page.locator("#roster-table")).to_contain_text("138****5603")  # the full number is on the detail page
    screenshot(page, "organizer-roster")

    page.get_by_role("searchbox", name="搜索").fill("教育局")
    expect(page.locator("#roster-table tbody tr")).to_have_count(1)
    expect(page.locator("#roster-table")).to_contain_text("李娜")

    page.get_by_role("link", name="课表").click()
    panes = page.locator(".timetable .tab-pane")
    expect(panes).to_have_count(3)
    boxes = [panes.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # three days side by side
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2
    expect(page.locator(".timetable")).to_contain_text("开班式暨开班动员讲话")
    expect(page.locator(".timetable")).to_contain_text("结业式暨学员学习交流发言")
    screenshot(page, "organizer-timetable")


def test_a_trainee_logs_in_on_a_phone_and_sees_todays_sessions(live_server, browser, running_course, screenshot):
    trainee = TraineeFactory(name="张丽华", phone="13900000001", access_code="246810")
    EnrollmentFactory(course=running_course, trainee=trainee, student_no="001", group="第一组")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="学员登录")).to_be_visible()
    page.get_by_label("手机号码").fill("139 0000 0001")
    page.get_by_label("登录码").fill("246810")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="张丽华，您好")).to_be_visible()
    today = page.locator("#today")
    expect(today).to_be_visible()
    text = page.locator("main").inner_text()
    assert text.index("《中华人民共和国工会法》解读") < text.index("结业式暨学员学习交流发言")
    assert text.index("“职工之家”建设现场教学") < text.index("结业式暨学员学习交流发言")
    expect(page.get_by_text("开班式暨开班动员讲话")).to_be_hidden()  # yesterday's, folded away
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    screenshot(page, "trainee-phone-home")
    context.close()


def test_the_timetable_shows_one_day_at_a_time_on_a_phone(live_server, browser, organizer, running_course, screenshot):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{running_course.code}/timetable/")
    expect(page.locator(".tab-pane:visible")).to_have_count(1)
    expect(page.locator(".tab-pane.active")).to_contain_text("《中华人民共和国工会法》解读")  # today first
    screenshot(page, "timetable-phone")
    page.get_by_role("tab", name="第3天").click()
    expect(page.locator(".tab-pane.active")).to_contain_text("结业式暨学员学习交流发言")
    expect(page.locator(".tab-pane:visible")).to_have_count(1)
    context.close()


def test_an_organizer_issues_the_demo_certificates_and_the_qr_link_verifies(
    live_server, page, settings, tmp_path, screenshot
):
    """Last spring's demo course, reopened after its archive: the organizer lets one more trainee
    complete (an override), issues,
    watches the job finish, downloads the ZIP; the address under a certificate's QR opens the
    public verify page with the masked name."""
    import io
    import zipfile

    from completion import rules as completion_rules
    from completion import services as certificates
    from completion.models import Certificate
    from completion.selectors import completion_for_course
    from demo import loader
    from training import archive, demo
    from training.tests.pdfs import decoded_qr_codes

    settings.SITE_URL = live_server.url
    loader.load()
    course = Course.objects.get(status=Course.Status.CLOSED)
    organizer = course.organization.memberships.get(user__username="organizer").user
    before = course.certificates.count()
    archive.course_reopen(course=course, by=organizer, reason="补考合格，补发证书")  # the demo archived it
    left_out = next(r for r in completion_for_course(course, now=timezone.now()) if not r.eligible)
    certificates.completion_override(enrollment=left_out.enrollment, eligible=True, reason="补考合格", by=organizer)

    page.set_viewport_size({"width": 1366, "height": 900})
    staff_login(page, live_server.url, "organizer", demo.PASSWORD)
    page.goto(f"{live_server.url}/courses/{course.code}/certificates/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="颁发证书").click()
    job = page.locator("#certificate-job")
    expect(job).to_have_attribute("data-status", "done")
    expect(job).to_contain_text(f"新颁发 1 份，生成 PDF {before + 1}/{before + 1}")
    expect(page.locator("#certificates")).to_contain_text(left_out.enrollment.trainee.name)
    screenshot(page, "organizer-certificates")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    new = Certificate.objects.get(enrollment=left_out.enrollment)
    assert len(archive.namelist()) == before + 2  # each trainee's PDF and the print-all file
    [verify_url] = decoded_qr_codes(archive.read(f"{new.seq:03d}-{new.name}.pdf"))  # read off the page
    assert verify_url == certificates.verify_url(new.token)

    page.goto(verify_url)
    masked = completion_rules.mask_name(new.name)
    expect(page.locator("main")).to_contain_text(masked)
    expect(page.locator("main")).to_contain_text("有效")
    expect(page.locator("main")).not_to_contain_text(new.name)
    screenshot(page, "public-verify")


def test_an_organizer_adds_an_advisor_who_does_roll_call_on_a_phone(
    live_server, browser, organizer, running_course, screenshot
):
    """No /admin/: the organizer creates the 班主任's account, assigns it on the course form; the
    advisor logs in on a phone with the password shown once and marks a trainee present."""
    now = timezone.localtime()
    session = SessionFactory(
        course=running_course,
        title="点名测试课次",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=55),
    )
    person = EnrollmentFactory(course=running_course, trainee=TraineeFactory(name="陈建国", phone="13900000002"))

    desk = browser.new_page(viewport={"width": 1366, "height": 900})
    staff_login(desk, live_server.url, "organizer")
    desk.get_by_role("link", name="工作人员").click()
    desk.get_by_role("link", name=running_course.organization.name).click()
    desk.get_by_label("姓名").fill("王海涛")
    desk.get_by_label("用户名").fill("wanght")
    desk.get_by_label("角色").select_option("advisor")
    desk.get_by_role("button", name="添加并生成初始密码").click()
    password = desk.locator("#the-password").inner_text().strip()
    screenshot(desk, "staff-added")
    desk.goto(f"{live_server.url}/courses/{running_course.code}/edit/")
    desk.get_by_label("王海涛").check()
    desk.get_by_role("button", name="保存").click()
    expect(desk.get_by_text("培训班信息已保存。")).to_be_visible()

    context = browser.new_context(**PHONE)
    phone = context.new_page()
    staff_login(phone, live_server.url, "wanght", password)
    phone.goto(f"{live_server.url}/courses/{running_course.code}/sessions/{session.pk}/rollcall/")
    phone.locator("#rollcall-reason").fill("课堂点名")
    row = phone.locator(f"form[data-enrollment='{person.pk}']")
    row.get_by_role("button", name="陈建国 到", exact=True).click()
    expect(phone.locator(f"form[data-enrollment='{person.pk}'] [data-status='present']")).to_be_visible()
    expect(phone.locator("#rollcall-counts")).to_contain_text("已签到 1")  # without a reload
    screenshot(phone, "advisor-rollcall")
    context.close()


def test_the_discipline_form_finds_a_trainee_by_typing(live_server, browser, organizer, running_course):
    """48 names in one dropdown: typing part of a name narrows it and picks the match."""
    for i in range(48):
        EnrollmentFactory(
            course=running_course, trainee=TraineeFactory(phone=f"1350000{i:04d}"), student_no=f"{i + 1:03d}"
        )
    EnrollmentFactory(
        course=running_course, trainee=TraineeFactory(name="欧阳娜娜", phone="13511112222"), student_no="049"
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    staff_login(page, live_server.url, "organizer")
    page.goto(f"{live_server.url}/courses/{running_course.code}/discipline/")
    page.get_by_placeholder("输入姓名、学号或小组筛选").fill("欧阳")
    assert "欧阳娜娜" in page.locator("#id_enrollment option:checked").inner_text()
    visible = page.locator("#id_enrollment option:not([hidden])").count()
    assert visible <= 2  # the empty choice and 欧阳娜娜


def test_an_organizer_uploads_the_seal_and_sees_it_on_the_sample_certificate(
    live_server, browser, organizer, running_course, tmp_path, settings, screenshot
):
    from training.tests.test_staff import png, red_pixels

    settings.SITE_URL = live_server.url
    seal = tmp_path / "印章.png"
    seal.write_bytes(png())
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    staff_login(page, live_server.url, "organizer")
    page.get_by_role("link", name="工作人员").click()
    page.get_by_role("link", name=running_course.organization.name).click()
    page.get_by_role("link", name="单位信息与印章").click()
    sample = page.get_by_role("link", name="打开证书样张（PDF）").get_attribute("href")
    without = page.request.get(f"{live_server.url}{sample}").body()
    page.get_by_label("印章图片").set_input_files(str(seal))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("单位信息已保存")).to_be_visible()
    expect(page.get_by_role("img", name=f"{running_course.organization.name}的印章")).to_be_visible()
    screenshot(page, "organization-seal")
    with_seal = page.request.get(f"{live_server.url}{sample}").body()
    assert with_seal[:4] == b"%PDF" and red_pixels(with_seal) > red_pixels(without) + 50
