"""Paper that can be trusted: sizes, page breaks and wording, checked on the rendered pages."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from attendance import services as attendance_services
from attendance.models import Method
from core import pdf
from documents import selectors
from training.models import Course, Session
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at
from training.tests.pdfs import (
    first_page_pixels,
    page_texts,
    pages_of,
    text_of,
    words_of,
)

pytestmark = pytest.mark.django_db


LONGEST_NAME = "阿卜杜热合曼·买买提"
LONG_UNIT = "青山县国网青山县供电有限责任公司城关供电所工会经费审查委员会"
LONG_COURSE = "2026年青山县基层工会主席、工会经费审查委员会主任暨劳模工匠能力提升与新时代产业工人队伍建设改革专题示范培训班（一期）"
NAMES = [LONGEST_NAME, "欧阳娜娜", "张伟", "阿依古丽·买买提", "司马相如", "王芳"]
UNITS = [LONG_UNIT, "县总工会", "县农业农村局工会"]
MM = 72 / 25.4  # points per millimetre


def _trainees(course, count, *, long_names=False, prefix="S"):
    """`count` trainees in four groups with student numbers S000…; with `long_names`, the longest
    realistic names and a 30-character unit among them."""
    for i in range(count):
        name = NAMES[i % len(NAMES)] if long_names else f"学员{i:02d}"
        trainee = TraineeFactory(name=name, work_unit=UNITS[i % len(UNITS)] if long_names else "县人民医院工会")
        EnrollmentFactory(
            course=course, trainee=trainee, student_no=f"{prefix}{i:03d}", group=f"第{'一二三四'[i % 4]}组"
        )


def _sessions(course):
    d = course.start_date
    return [
        SessionFactory(course=course, title="开班式", starts_at=at(d, "08:30"), ends_at=at(d, "10:30")),
        SessionFactory(
            course=course, title="工会法解读", starts_at=at(d, "14:30"), ends_at=at(d, "16:30"), requires_checkout=True
        ),
        SessionFactory(
            course=course,
            title="结业式",
            kind=Session.Kind.CLOSING,
            starts_at=at(d + timedelta(days=1), "08:30"),
            ends_at=at(d + timedelta(days=1), "10:30"),
        ),
    ]


def test_units_and_names_of_the_test_roster_are_the_longest_the_brief_names():
    assert len(LONGEST_NAME) == 10 and len(UNITS[0]) == 30 and len(LONG_COURSE) == 60


def test_a_24_trainee_sign_in_sheet_is_one_page_also_with_check_out(client, course, organizer):
    plain, checkout, _ = _sessions(course)
    _trainees(course, 24)
    client.force_login(organizer)
    for session in (plain, checkout):
        content = client.get(reverse("documents:signin-pdf", args=[course.code, session.pk])).content
        text = text_of(content)
        assert pages_of(content) == 1, session.title
        assert "学员23" in text and "实到" in text and "制表人" in text and "审核人" in text  # the foot, on page 1
        assert ("签退（本人签名）" in text) == session.requires_checkout
        assert "2026年11月20日（星期五）" in text and ("上午08:30–10:30" in text or "下午14:30–16:30" in text)
        assert "应到24人" in text and "赵明（县总工会副主席）" in text


def test_30_trainees_with_the_longest_names_fit_one_page(client, course, organizer):
    course.name = LONG_COURSE
    course.save()
    plain, checkout, _ = _sessions(course)
    _trainees(course, 30, long_names=True)
    client.force_login(organizer)
    for session in (plain, checkout):
        content = client.get(reverse("documents:signin-pdf", args=[course.code, session.pk])).content
        assert pages_of(content) == 1, session.title
        words = words_of(content)
        assert sum(1 for w in words if w.text == LONGEST_NAME) == 5  # whole, on one line each
        assert all(w.x1 <= (210 - 10) * MM + 1 for w in words)  # nothing runs past the right margin
        columns = selectors.signin_data(session, base_url="http://10.20.1.5:8000")["columns"]
        left = (10 + 8 + columns.no + columns.name) * MM
        unit = [w for w in words if left <= w.x0 < left + columns.unit * MM and w.text in LONG_UNIT]
        assert all(w.x1 <= left + columns.unit * MM for w in unit)  # inside its column
        assert sum(len(w.text) for w in unit) == 10 * len(LONG_UNIT)  # every character, in two lines at most
        assert len(unit) <= 20


def test_31_trainees_continue_on_a_second_page_with_the_header_repeated(client, course, organizer):
    plain, _, _ = _sessions(course)
    _trainees(course, 31)
    client.force_login(organizer)
    content = client.get(reverse("documents:signin-pdf", args=[course.code, plain.pk])).content
    first, second = page_texts(content)
    assert "签到表（续）" in second and "序号学号姓名" in second and "工作单位" in second
    assert len(re.findall(r"S\d{3}", second)) >= 5 and "实到" in second


def test_approved_leave_is_written_in_the_remarks(client, course, held, organizer):
    client.force_login(organizer)
    first, second, _ = held["sessions"]
    sheet = client.get(reverse("documents:signin-pdf", args=[course.code, second.pk])).content
    words = words_of(sheet)
    li = next(w for w in words if w.text == "李秀英")
    leave = next(w for w in words if w.text == "病假")
    assert li.y0 < (leave.y0 + leave.y1) / 2 < li.y1  # on 李秀英's row
    assert "已批准请假1人" in text_of(sheet)
    assert "病假" not in text_of(client.get(reverse("documents:signin-pdf", args=[course.code, first.pk])).content)


def test_the_sign_in_sheet_reads_in_a_fixed_number_of_queries(course, django_assert_num_queries):
    plain, _, _ = _sessions(course)
    session = Session.objects.get(pk=plain.pk)
    _trainees(course, 3)
    # the course, its organization, the enrollments with trainees, the approved leave of the session
    with django_assert_num_queries(4):
        selectors.signin_data(session, base_url="http://10.20.1.5:8000")
    _trainees(course, 30, prefix="T")
    session = Session.objects.get(pk=plain.pk)
    with django_assert_num_queries(4):
        assert len(selectors.signin_data(session, base_url="http://10.20.1.5:8000")["rows"]) == 33


# Roster sizes at which, without the kept bands, the last page of the 学员 table (30, 60) or of the
# 考勤明细 (30, 66) held 1 to 4 rows (found by rendering 18 to 80 trainees without them).
@pytest.mark.parametrize("count", [30, 60, 66])
def test_no_page_of_the_report_holds_fewer_than_five_rows_of_a_table(course, count):
    _sessions(course)
    _trainees(course, count)
    data = selectors.report_data(course, now=at(course.start_date, "18:00"))
    pages = page_texts(pdf.render("pdf/report.html", data))
    rows = [len(re.findall(r"S\d{3}", page)) for page in pages]
    assert sum(rows) == 2 * count  # every trainee in the 学员 table and in the 考勤明细
    assert all(n == 0 or n >= 5 for n in rows), rows


def test_the_name_column_fits_the_longest_name(course):
    _sessions(course)
    _trainees(course, 8, long_names=True)
    content = pdf.render("pdf/report.html", selectors.report_data(course, now=at(course.start_date, "18:00")))
    page = next(i for i, text in enumerate(page_texts(content), start=1) if "考勤明细" in text)
    words = words_of(content, page)
    names = [w for w in words if w.text == LONGEST_NAME]
    assert len(names) == 2  # whole, one line
    # the column's edges from its centred heading: 学号 from the 12 mm margin, then 姓名
    number, name = next(w for w in words if w.text == "学号"), next(w for w in words if w.text == "姓名")
    left = 12 * MM + 2 * ((number.x0 + number.x1) / 2 - 12 * MM)
    right = left + 2 * ((name.x0 + name.x1) / 2 - left)
    assert all(left < w.x0 and w.x1 <= right for w in names)  # inside its column, not clipped by the next


def test_while_the_course_runs_the_report_projects_completion(course, held):
    Session.objects.filter(pk=held["sessions"][2].pk).update(required_for_completion=True)
    with time_machine.travel(held["now"], tick=False):
        data = selectors.report_data(course, now=held["now"])
        text = text_of(pdf.render("pdf/report.html", data))
    assert data["outcome"] == [("仍可结业", 2), ("已无法结业", 2)]
    assert "尚未进行" not in text and "尚未完成" not in text
    assert "仍可结业已无法结业" in text and "进行中（仍可结业）" in text  # the summary's labels, a trainee's
    assert "已无法结业到课学时2，不足总学时6的90%" in text  # 王建国: what cannot be mended
    assert "不可结业" not in text and "可结业0人" not in text


def test_after_the_course_the_report_says_who_completes(course, held):
    third = held["sessions"][2]
    Session.objects.filter(pk=third.pk).update(required_for_completion=True)
    third.refresh_from_db()
    for enrollment in held["people"][0], held["people"][3]:  # 张丽华 and 赵丽 come to the closing
        attendance_services.check_in(third, enrollment, method=Method.QR, at=third.starts_at)
    end = at(course.start_date + timedelta(days=1), "18:00")
    with time_machine.travel(end, tick=False):
        data = selectors.report_data(course, now=end)
        text = text_of(pdf.render("pdf/report.html", data))
    assert data["finished"] and data["outcome"] == [("可结业", 2), ("不可结业", 2)]
    assert "可结业不可结业" in text and "仍可结业" not in text and "进行中" not in text
    assert "不可结业到课学时2，不足总学时6的90%（5.4）；未参加必修课次“结业式”" in text  # 王建国: every reason


def test_the_report_is_signed_off_and_counts_leave_in_sessions_and_hours(course, held):
    data = selectors.report_data(course, now=held["now"])
    text = text_of(pdf.render("pdf/report.html", data))
    assert "制表人：" in text and "审核人：" in text and "制表日期：2026年11月20日" in text
    assert "学时次数" in text and "到课请假迟到早退缺勤请假" in text  # grouped headings: hours, then counts
    assert "2026年11月20日至22日" in text


def test_the_report_xlsx_has_rates_as_percentages_filters_and_wrapped_reasons(course, held):
    from documents.xlsx import report_xlsx

    workbook = load_workbook(io.BytesIO(report_xlsx(selectors.report_data(course, now=held["now"]))))
    summary = workbook["概况"]
    rate = next(row[1] for row in summary.iter_rows() if row[0].value == "到课率")
    assert rate.value == pytest.approx(0.75) and rate.number_format == "0.0%"
    groups = [row for row in summary.iter_rows() if row[0].value in ("第一组", "第二组")]
    assert [(r[2].value, r[2].number_format) for r in groups] == [(1.0, "0.0%"), (0.5, "0.0%")]
    assert ["仍可结业（人）", 2] in [[c.value for c in row[:2]] for row in summary.iter_rows()]
    sessions = workbook["课次"]
    assert [c.value for c in sessions[2]][-1] == "到课率"
    first, second, third = (sessions.cell(row=r, column=11) for r in (3, 4, 5))
    assert (first.value, second.value, third.value) == (1.0, 0.5, None)  # not held: empty, not text
    assert first.number_format == second.number_format == "0.0%"
    assert sessions.cell(row=3, column=4).value == 2  # hours, a number
    trainees = workbook["学员"]
    assert [c.value for c in trainees[2]][4:10] == [
        "到课学时",
        "请假学时",
        "迟到(次)",
        "早退(次)",
        "缺勤(次)",
        "请假(次)",
    ]
    wang = next(row for row in trainees.iter_rows(min_row=3) if row[1].value == "王建国")
    assert "到课学时 2" in wang[12].value and wang[12].alignment.wrap_text
    for name in ("学员", "课次", "明细"):
        assert workbook[name].auto_filter.ref and workbook[name].auto_filter.ref.startswith("A2:")
    assert trainees.auto_filter.ref == "A2:M6" and trainees.column_dimensions["M"].width >= 40


def test_a_long_name_on_a_desk_card_keeps_8_mm_from_each_side_and_the_fold_is_in_the_middle(client, course, organizer):
    _trainees(course, 1, long_names=True)
    client.force_login(organizer)
    content = client.get(reverse("documents:desk-cards-pdf", args=[course.code])).content
    names = [w for w in words_of(content) if w.text == LONGEST_NAME]
    assert len(names) == 2  # whole, on both halves
    for name in names:
        assert name.x0 >= 8 * MM and name.x1 <= (210 - 8) * MM
        assert name.x1 - name.x0 >= 150 * MM  # large, not timidly small
    page = first_page_pixels(content, dpi=40).convert("L")
    ink = [sum(1 for x in range(page.width) if page.getpixel((x, y)) < 250) for y in range(page.height)]
    fold = round(148.5 / 25.4 * 40)
    assert max(ink[fold - 2 : fold + 3]) > page.width / 4  # the dashed line across the fold
    assert max(ink[:12]) == 0  # nothing at the top edge, where printers cannot print


def test_the_timetable_keeps_kinds_whole_shows_lecturers_by_name_and_groups_half_days(client, course, organizer):
    d = course.start_date
    _sessions(course)
    SessionFactory(
        course=course, title="警示教育片", starts_at=at(d, "19:00"), ends_at=at(d, "20:30"), lecturer="王建国"
    )
    client.force_login(organizer)
    content = client.get(reverse("documents:timetable-pdf", args=[course.code])).content
    words = [w.text for w in words_of(content)]
    assert words.count("专题讲座") == 3 and "结业式" in words  # one word each: not split over two lines
    assert words.count("上午") == 2 and words.count("下午") == 1 and words.count("晚上") == 1
    text = text_of(content)
    assert "赵明（县总工会副主席）" in text and "县总工会副主席赵明" not in text and "王建国" in text
    assert "2026年11月20日至22日" in text


@pytest.mark.parametrize("document", ["report", "timetable", "signin"])
def test_a_60_character_course_name_wraps_within_the_page(client, course, organizer, document):
    course.name = LONG_COURSE
    course.save()
    plain, _, _ = _sessions(course)
    _trainees(course, 3)
    client.force_login(organizer)
    url = {
        "report": reverse("documents:report-pdf", args=[course.code]),
        "timetable": reverse("documents:timetable-pdf", args=[course.code]),
        "signin": reverse("documents:signin-pdf", args=[course.code, plain.pk]),
    }[document]
    with time_machine.travel(at(course.start_date, "18:00"), tick=False):
        content = client.get(url).content
    width = (297 if document == "report" else 210) * MM
    words = words_of(content)
    assert LONG_COURSE in text_of(content)
    assert all(w.x0 >= 9 * MM and w.x1 <= width - 9 * MM for w in words), [w for w in words if w.x1 > width]


def test_the_report_reads_in_a_fixed_number_of_queries(course, held, django_assert_num_queries):
    fresh = Course.objects.get(pk=course.pk)
    # sessions, enrollments with trainees, records, approved leave (the sheet); discipline points,
    # completion overrides; the assessment items (none here: the course is not assessed); the
    # course's organization
    with django_assert_num_queries(8):
        selectors.report_data(fresh, now=held["now"])
    _trainees(course, 30)
    fresh = Course.objects.get(pk=course.pk)
    with django_assert_num_queries(8):
        assert len(selectors.report_data(fresh, now=held["now"])["trainees"]) == 34


def test_the_badges_desk_cards_and_timetable_read_in_a_fixed_number_of_queries(course, held, django_assert_num_queries):
    """Badges: the enrollments with their trainees, and the course's organization. Desk cards: the
    enrollments with their trainees. Timetable: the sessions. The same for 4 trainees and for 34."""
    for count in (0, 30):
        _trainees(course, count, prefix=f"Q{count}")
        fresh = Course.objects.get(pk=course.pk)
        with django_assert_num_queries(2):
            data = selectors.badges_data(fresh, base_url="http://10.20.1.5:8000")
        assert len(data["badges"]) == 4 + count
        with django_assert_num_queries(1):
            selectors.desk_cards_data(fresh)
        with django_assert_num_queries(1):
            selectors.timetable_data(fresh)
