"""The organizer's and the trainee's pages, through the test client."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from training.models import Course, Enrollment, Session, Trainee
from training.tests import rosters
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, UserFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, organizer):
    client.force_login(organizer)
    return client


# --- Courses and sessions ------------------------------------------------------------------------


def test_an_organizer_creates_a_course(staff, organization):
    response = staff.post(
        reverse("training:course-create"),
        {
            "organization": organization.pk,
            "code": "qs2027-01",
            "name": "2027年工会干部培训班",
            "venue": "中共青山县委党校",
            "start_date": "2027-03-15",
            "end_date": "2027-03-17",
            "status": "draft",
        },
    )
    course = Course.objects.get(code="QS2027-01")
    assert response.url == reverse("training:course-dashboard", args=[course.code])
    assert course.organization == organization


def test_course_form_errors_are_in_chinese(staff, organization, course):
    response = staff.post(
        reverse("training:course-create"),
        {
            "organization": organization.pk,
            "code": course.code,
            "name": "",
            "start_date": "2027-03-17",
            "end_date": "2027-03-15",
            "status": "draft",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in page
    response = staff.post(
        reverse("training:course-create"),
        {
            "organization": organization.pk,
            "code": course.code.lower(),
            "name": "重复",
            "start_date": "2027-03-15",
            "end_date": "2027-03-17",
            "status": "draft",
        },
    )
    assert f"编号 {course.code} 已被其他培训班使用" in response.content.decode()
    response = staff.post(
        reverse("training:course-create"),
        {
            "organization": organization.pk,
            "code": "NEW-1",
            "name": "倒序",
            "start_date": "2027-03-17",
            "end_date": "2027-03-15",
            "status": "draft",
        },
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Course.objects.filter(code="NEW-1").exists()


def test_course_dates_cannot_leave_sessions_outside(staff, course):
    SessionFactory(course=course, starts_at=at(course.end_date, "14:00"), ends_at=at(course.end_date, "16:00"))
    response = staff.post(
        reverse("training:course-edit", args=[course.code]),
        {
            "name": course.name,
            "venue": course.venue,
            "start_date": course.start_date,
            "end_date": course.start_date + timedelta(days=1),
            "status": course.status,
        },
    )
    assert "不在新的日期范围内" in response.content.decode()
    course.refresh_from_db()
    assert course.end_date == date(2026, 11, 22)


def session_data(course, **overrides):
    data = {
        "kind": "lecture",
        "title": "《工会法》解读",
        "lecturer": "县人民法院法官 孙立新",
        "date": course.start_date.isoformat(),
        "start_time": "08:30",
        "end_time": "10:30",
        "room": "报告厅",
        "credit_hours": "2",
    }
    return {**data, **overrides}


def test_an_organizer_adds_a_session(staff, course):
    response = staff.post(reverse("training:session-create", args=[course.code]), session_data(course))
    assert response.url == reverse("training:timetable", args=[course.code])
    session = Session.objects.get(course=course)
    assert session.starts_at == at(course.start_date, "08:30")
    assert session.ends_at == at(course.start_date, "10:30")


def test_a_session_overlapping_another_is_saved_with_a_warning(staff, course):
    """Parallel group discussions share their time, so overlap is allowed, but never silently."""
    create = reverse("training:session-create", args=[course.code])
    first = staff.post(create, session_data(course, title="开班式"), follow=True).content.decode()
    assert "时间重叠" not in first
    second = staff.post(create, session_data(course, title="分组讨论", start_time="09:30"), follow=True)
    assert "与“开班式”时间重叠" in second.content.decode()
    assert Session.objects.filter(course=course).count() == 2
    third = staff.post(create, session_data(course, title="下午课", start_time="14:00", end_time="15:00"), follow=True)
    assert "时间重叠" not in third.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "08:00"}, "结束时间必须晚于开始时间"),
        ({"title": ""}, "这个字段是必填项"),
        ({"date": "2030-01-01"}, "选择一个有效的选项"),
        ({"start_time": "25:00"}, "输入一个有效的时间"),
        ({"credit_hours": "-1"}, "学时应在 0 到 12 之间"),
    ],
)
def test_session_form_explains_mistakes_in_chinese(staff, course, overrides, message):
    response = staff.post(reverse("training:session-create", args=[course.code]), session_data(course, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_an_organizer_edits_and_deletes_a_session(staff, course):
    session = SessionFactory(course=course)
    staff.post(
        reverse("training:session-edit", args=[course.code, session.pk]), session_data(course, title="改后的题目")
    )
    session.refresh_from_db()
    assert session.title == "改后的题目"
    staff.post(reverse("training:session-delete", args=[course.code, session.pk]))
    assert not Session.objects.filter(pk=session.pk).exists()


def test_timetable_shows_every_day_with_its_sessions(staff, course):
    SessionFactory(
        course=course,
        title="开班式",
        kind="opening",
        starts_at=at(course.start_date, "08:30"),
        ends_at=at(course.start_date, "09:30"),
    )
    SessionFactory(
        course=course,
        title="结业式",
        kind="closing",
        starts_at=at(course.end_date, "16:00"),
        ends_at=at(course.end_date, "17:00"),
    )
    page = staff.get(reverse("training:timetable", args=[course.code])).content.decode()
    assert page.count('role="tabpanel"') == 3
    assert "开班式" in page and "结业式" in page
    assert page.index("开班式") < page.index("结业式")
    assert "当天没有安排课程" in page  # day two


def test_the_timetable_marks_today(staff, course):
    with time_machine.travel(at(course.start_date + timedelta(days=1), "10:00"), tick=False):
        page = staff.get(reverse("training:timetable", args=[course.code])).content.decode()
    today = page.index('aria-current="date"')
    assert page.count('aria-current="date"') == 1 and page.index('id="day-2"') < today < page.index('id="day-3"')
    assert "今天" in page[today : today + 400]


# --- Roster ---------------------------------------------------------------------------------------


def test_roster_search_and_group_filter(staff, course):
    EnrollmentFactory(course=course, trainee=TraineeFactory(name="张丽华", work_unit="县人民医院工会"), group="第一组")
    EnrollmentFactory(course=course, trainee=TraineeFactory(name="陈建国", work_unit="县教育局工会"), group="第二组")
    EnrollmentFactory(course=course, trainee=TraineeFactory(name="未分组者"), group="")
    url = reverse("training:roster", args=[course.code])
    page = staff.get(url, {"q": "教育"}).content.decode()
    assert "陈建国" in page and "张丽华" not in page
    page = staff.get(url, {"group": "第一组"}).content.decode()
    assert "张丽华" in page and "陈建国" not in page
    page = staff.get(url, {"group": "__none__"}).content.decode()
    assert "未分组者" in page and "张丽华" not in page
    partial = staff.get(url, {"q": "张"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "张丽华" in partial


def test_roster_page_runs_a_constant_number_of_queries(staff, course, django_assert_num_queries):
    def fill(start, stop):
        trainees = Trainee.objects.bulk_create(
            TraineeFactory.build(phone=f"137{i:08d}", access_code="123456") for i in range(start, stop)
        )
        Enrollment.objects.bulk_create(
            Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 4 + 1}组")
            for i, t in enumerate(trainees, start)
        )

    url = reverse("training:roster", args=[course.code])
    fill(0, 10)
    staff.get(url)  # warm caches (content types, session)
    # session, user, membership (staff check), course (access), organizer check (can_manage),
    # groups, enrollments joined with trainees.
    with django_assert_num_queries(7):
        assert staff.get(url).status_code == 200
    fill(10, 500)
    with django_assert_num_queries(7):
        response = staff.get(url)
    assert response.content.decode().count("/trainees/") == 500


def upload(client, course, content, name="花名册.xlsx"):
    return client.post(
        reverse("training:roster-import", args=[course.code]), {"file": SimpleUploadedFile(name, content)}
    )


def test_roster_import_previews_then_imports_on_confirmation(staff, course):
    response = upload(staff, course, rosters.xlsx(rosters.table()))
    page = response.content.decode()
    assert "检查通过" in page and "阿依古丽·买买提" in page
    assert course.enrollments.count() == 0  # nothing before confirmation
    token = response.context["token"]
    response = staff.post(reverse("training:roster-import-confirm", args=[course.code]), {"token": token})
    assert response.url == reverse("training:roster", args=[course.code])
    assert course.enrollments.count() == 8
    # The stored upload is gone: the same token cannot import twice.
    response = staff.post(reverse("training:roster-import-confirm", args=[course.code]), {"token": token}, follow=True)
    assert "已过期或无效" in response.content.decode()


def test_roster_import_lists_every_problem_and_offers_no_confirmation(staff, course):
    bad = [2, "李四", "男", "", "", "单位", "", "12345", "1", ""]
    nameless = [3, "", "男", "", "", "单位", "", "13812345698", "1", ""]
    response = upload(staff, course, rosters.xlsx(rosters.people(rosters.PEOPLE[0], bad, nameless)))
    page = response.content.decode()
    assert "发现 2 处问题，整个文件都没有导入" in page
    assert "第 5 行<div>李四</div>" in page and "不是有效的11位手机号码" in page
    assert "第 6 行" in page and "姓名为空" in page
    assert "token" not in response.context


def test_roster_import_refuses_a_file_that_is_not_a_roster(staff, course):
    response = upload(staff, course, b"\x89PNG\r\n\x1a\n", "照片.png")
    assert "不支持 .png 文件" in response.content.decode()


def test_a_confirmation_token_works_only_for_its_user_and_course(client, organizer, organization, course):
    client.force_login(organizer)
    token = upload(client, course, rosters.xlsx(rosters.table())).context["token"]
    from training.models import Membership
    from training.tests.factories import CourseFactory, MembershipFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=organization, role=Membership.Role.ORGANIZER)
    client.force_login(colleague)
    client.post(reverse("training:roster-import-confirm", args=[course.code]), {"token": token})
    other_course = CourseFactory(organization=organization)
    client.force_login(organizer)
    client.post(reverse("training:roster-import-confirm", args=[other_course.code]), {"token": token})
    assert course.enrollments.count() == 0 and other_course.enrollments.count() == 0


def test_roster_export_downloads_a_formatted_workbook(staff, course, enrollment):
    response = staff.get(reverse("training:roster-export", args=[course.code]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"{course.name}学员花名册"
    assert [c.value for c in sheet[3]][:2] == ["学号", "姓名"]
    assert [c.value for c in sheet[4]][:2] == ["001", "张丽华"]


def test_the_roster_export_carries_login_codes_only_when_an_organizer_asks(staff, course, enrollment, advisor):
    def header_and_first_row(response):
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [c.value for c in sheet[3]], [c.value for c in sheet[4]]

    url = reverse("training:roster-export", args=[course.code])
    header, row = header_and_first_row(staff.get(url))
    assert "登录码" not in header and "246810" not in row
    header, row = header_and_first_row(staff.get(f"{url}?codes=1"))
    assert header[-1] == "登录码" and row[-1] == "246810" and row[1] == "张丽华"

    client = Client()
    client.force_login(advisor)
    header, row = header_and_first_row(client.get(url))
    assert "登录码" not in header and "246810" not in row
    assert client.get(f"{url}?codes=1").status_code == 403
    assert "codes=1" not in client.get(reverse("training:roster", args=[course.code])).content.decode()
    assert f"{url}?codes=1" in staff.get(reverse("training:roster", args=[course.code])).content.decode()


def test_an_organizer_adds_a_single_trainee(staff, course):
    response = staff.post(
        reverse("training:trainee-add", args=[course.code]),
        {"name": "补报　学员", "phone": "+86 138 0000 9999", "gender": "M", "group": "2", "student_no": ""},
    )
    enrollment = course.enrollments.select_related("trainee").get()
    assert response.url == reverse("training:enrollment-detail", args=[course.code, enrollment.pk])
    assert (enrollment.trainee.name, enrollment.trainee.phone, enrollment.group) == (
        "补报学员",
        "13800009999",
        "第二组",
    )


def test_trainee_detail_masks_the_id_number(staff, course, enrollment):
    trainee = enrollment.trainee
    trainee.id_number = "11010519491231002" + "X"
    Trainee.objects.filter(pk=trainee.pk).update(id_number="110105194912310021")
    page = staff.get(reverse("training:enrollment-detail", args=[course.code, enrollment.pk])).content.decode()
    assert "110105194912310021" not in page
    assert "1101**********0021" in page
    page = staff.get(reverse("training:enrollment-edit", args=[course.code, enrollment.pk])).content.decode()
    assert "110105194912310021" not in page


def test_an_organizer_edits_a_trainee_and_their_enrollment(staff, course, enrollment, other_enrollment):
    url = reverse("training:enrollment-edit", args=[course.code, enrollment.pk])
    data = {
        "e-student_no": "001",
        "e-group": "3",
        "e-status": "enrolled",
        "t-name": "张丽华",
        "t-phone": "13900000001",
        "t-gender": "F",
        "t-ethnicity": "汉",
        "t-political_status": "党员",
        "t-work_unit": "县人民医院工会",
        "t-position": "工会主席",
        "t-id_number": "",
    }
    assert staff.post(url, data).status_code == 302
    enrollment.refresh_from_db()
    enrollment.trainee.refresh_from_db()
    assert enrollment.group == "第三组" and enrollment.trainee.ethnicity == "汉族"
    # A phone of another trainee is refused, and nothing of the form is saved.
    response = staff.post(url, {**data, "e-group": "4", "t-phone": other_enrollment.trainee.phone})
    assert "已登记在本单位另一位学员名下" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.group == "第三组"


def test_an_organizer_resets_an_access_code(staff, course, enrollment):
    response = staff.post(reverse("training:access-code-reset", args=[course.code, enrollment.pk]), follow=True)
    enrollment.trainee.refresh_from_db()
    assert enrollment.trainee.access_code != "246810"
    assert enrollment.trainee.access_code in response.content.decode()


# --- The trainee's phone -----------------------------------------------------------------------------


def test_trainee_home_puts_todays_sessions_first(client, trainee_user, course):
    SessionFactory(
        course=course,
        title="第一天的课",
        starts_at=at(course.start_date, "08:30"),
        ends_at=at(course.start_date, "10:00"),
    )
    second = course.start_date + timedelta(days=1)
    SessionFactory(course=course, title="第二天上午", starts_at=at(second, "08:30"), ends_at=at(second, "10:00"))
    SessionFactory(course=course, title="第二天下午", starts_at=at(second, "14:30"), ends_at=at(second, "16:00"))
    SessionFactory(
        course=course, title="第三天的课", starts_at=at(course.end_date, "08:30"), ends_at=at(course.end_date, "10:00")
    )
    client.force_login(trainee_user)
    with time_machine.travel(at(second, "09:00"), tick=False):
        page = client.get(reverse("attendance:me")).content.decode()
    order = [page.index(title) for title in ("第二天上午", "第二天下午", "第三天的课", "第一天的课")]
    assert order == sorted(order)
    assert "进行中" in page  # 09:00 is inside the morning lecture


def test_trainee_home_hides_courses_in_preparation(client, trainee_user, course):
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
    client.force_login(trainee_user)
    assert "没有正在进行的培训班" in client.get(reverse("attendance:me")).content.decode()


def test_an_organizer_assigns_advisors_among_the_organizations_staff(staff, course, advisor, other_organizer):
    url = reverse("training:course-edit", args=[course.code])
    form = staff.get(url).context["form"]
    assert (
        set(form.fields["advisors"].queryset) >= {advisor} and other_organizer not in form.fields["advisors"].queryset
    )
    data = {
        "name": course.name,
        "venue": course.venue,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "status": course.status,
    }
    staff.post(url, {**data, "advisors": []})
    assert not course.advisors.exists()
    staff.post(url, {**data, "advisors": [advisor.pk]})
    assert list(course.advisors.all()) == [advisor]
    response = staff.post(url, {**data, "advisors": [other_organizer.pk]})
    assert "advisors" in response.context["form"].errors  # staff of another federation cannot be chosen
