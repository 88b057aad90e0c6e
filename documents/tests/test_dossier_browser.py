"""In a real browser: the organizer closes a finished course (结班归档) from the print centre,
waits for the dossier and downloads its ZIP; a roll-call change is then refused on the page; the
organizer reopens the course with a reason from the banner, the change now goes through, and the
audit log shows the archive and the reopen."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance import services as attendance_services
from attendance.models import Method
from training.archive import ARCHIVED
from training.tests.browser import staff_login
from training.tests.factories import CourseFactory, EnrollmentFactory, SessionFactory, TraineeFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finished_course(organization):
    """A three-day course that ended last week: two sessions, two trainees, one of them absent."""
    start = timezone.localdate() - timedelta(days=9)
    course = CourseFactory(
        organization=organization, code="QS2026-08", name="2026年全县工会财务干部培训班", start_date=start
    )
    first = SessionFactory(course=course, title="开班式", starts_at=at(start, "08:30"), ends_at=at(start, "10:30"))
    SessionFactory(course=course, title="工会财务制度解读", starts_at=at(start, "14:30"), ends_at=at(start, "16:30"))
    present = EnrollmentFactory(
        course=course, trainee=TraineeFactory(name="张丽华", phone="13900000001"), student_no="001"
    )
    EnrollmentFactory(course=course, trainee=TraineeFactory(name="王建国", phone="13900000002"), student_no="002")
    attendance_services.check_in(first, present, method=Method.QR, at=first.starts_at)
    return course


def test_the_organizer_closes_the_course_downloads_the_dossier_and_reopens_it_to_correct_the_roll(
    live_server, page, organizer, finished_course, screenshot
):
    course = finished_course
    first = course.sessions.order_by("starts_at").first()
    wang = course.enrollments.get(student_no="002")
    page.set_viewport_size({"width": 1366, "height": 900})
    staff_login(page, live_server.url, "organizer")

    page.goto(f"{live_server.url}/courses/{course.code}/print/")
    page.get_by_role("link", name="结班归档…").click()
    expect(page.locator("#dossier-contents")).to_contain_text("签到表（每个课次一份）：2 份")
    expect(page.get_by_role("note")).to_contain_text("只能查看，不能再修改")
    page.get_by_role("button", name="确认结班归档").click()
    job = page.locator("#dossier-job")
    expect(job).to_have_attribute("data-status", "done")
    expect(page.locator("#archived-banner")).to_contain_text("结班归档，只能查看")
    expect(page.locator("#dossier-manifest")).to_contain_text("01-培训通知.pdf")
    screenshot(page, "organizer-dossier")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 ZIP").click()
    packed = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    manifest = json.loads(packed.read("manifest.json"))
    assert packed.namelist() == [f["file"] for f in manifest["files"]] + ["manifest.json"]
    assert sum(f["title"].startswith("签到表") for f in manifest["files"]) == 2

    rollcall = f"{live_server.url}/courses/{course.code}/sessions/{first.pk}/rollcall/"
    page.goto(rollcall)
    page.get_by_label("更改原因").fill("补记点名")
    page.get_by_role("button", name="王建国 到").click()
    expect(page.locator(f"#rollcall-{wang.pk}")).to_contain_text(ARCHIVED)
    assert not wang.attendance.filter(session=first, checked_in_at__isnull=False).exists()

    page.locator("#archived-banner").get_by_role("link", name="重新开放").click()
    page.get_by_label("重新开放的理由").fill("王建国当天实际到课，补记点名")
    page.get_by_role("button", name="重新开放").click()
    expect(page.get_by_role("alert")).to_contain_text("培训班已重新开放")
    expect(page.locator("#archived-banner")).to_have_count(0)

    page.goto(rollcall)
    page.get_by_label("更改原因").fill("补记点名")
    page.get_by_role("button", name="王建国 到").click()
    expect(page.get_by_role("button", name="王建国 到")).to_have_attribute("aria-pressed", "true")
    assert wang.attendance.filter(session=first, checked_in_at__isnull=False).exists()

    page.goto(f"{live_server.url}/courses/{course.code}/audit/")
    expect(page.locator('tr[data-action="course.archive"]')).to_contain_text("结班归档")
    expect(page.locator('tr[data-action="course.reopen"]')).to_contain_text("王建国当天实际到课")
    screenshot(page, "organizer-audit-reopen")
