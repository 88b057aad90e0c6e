"""学时 hand-off: the archive's table (.xlsx and .csv, coded per the national standards) and the
学时证明, from the course's attendance and completion."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services as assessment_services
from assessment.rules import EVERYDAY, TEST
from assessment.tests.helpers import assessed
from attendance import services as attendance_services
from attendance.models import Method
from completion.appraisals import appraisal_rows
from completion.tests.factories import certificate_for
from documents import hours
from documents import rules as paper
from documents.summary import summary_facts
from training import codes
from training.tests.pdfs import page_texts

pytestmark = pytest.mark.django_db


def test_political_status_ethnicity_and_gender_are_coded_per_the_national_standards():
    assert codes.political_status_code("中共党员") == codes.political_status_code("中国共产党党员") == "01"
    assert codes.political_status_code("中共预备党员") == "02"
    assert codes.political_status_code("共青团员") == "03"
    assert codes.political_status_code("九三学社社员") == "10"
    assert codes.political_status_code("无党派人士") == "12"
    assert codes.political_status_code(" 群众 ") == "13"
    assert codes.political_status_code("积极分子") == ""  # not a 政治面貌 of GB/T 4762
    assert codes.ethnicity_code("汉族") == codes.ethnicity_code("汉") == "01"
    assert codes.ethnicity_code("维吾尔族") == "05"
    assert codes.ethnicity_code("基诺族") == "56"
    assert len(set(codes.ETHNICITIES)) == 56
    assert codes.ethnicity_code("外星族") == ""
    assert (codes.gender_code("M"), codes.gender_code("F"), codes.gender_code("")) == ("1", "2", "")


def test_the_proof_says_what_was_earned_and_the_result_in_words():
    facts = dict(
        name="张丽华",
        gender="女",
        id_number="",
        unit="青山县总工会办公室主任",
        dates="2026年4月14日至16日",
        organization="青山县总工会",
        venue="中共青山县委党校",
        course="2026年春季全县工会财务与经审干部培训班",
        total="17",
    )
    done = paper.hours_proof_text(**facts, hours="17", result="结业")
    assert done == (
        "兹证明张丽华同志（女，青山县总工会办公室主任）于2026年4月14日至16日参加青山县总工会在中共青山县委党校"
        "举办的2026年春季全县工会财务与经审干部培训班，应修17学时，实修17学时，经考核合格，准予结业。"
    )
    assert paper.hours_proof_text(**facts, hours="12.5", result="未结业").endswith(
        "实修12.5学时，未达到结业要求，未结业。"
    )
    assert paper.hours_proof_text(**facts, hours="4", result="培训中").endswith(
        "培训尚未结束，至今已修4学时（应修17学时）。"
    )
    assert "身份证号码 110101" in paper.hours_proof_text(**{**facts, "id_number": "110101"}, hours="1", result="结业")


@pytest.fixture
def finished(course, held):
    """The three sessions over: 张丽华 and 赵丽 attend the third, 李秀英 too (after her leave),
    王建国 does not. 张丽华 is a 中共党员 of the 回族 and has her certificate."""
    first, second, third = held["sessions"]
    zhang, wang, li, zhao = held["people"]
    for person in (zhang, li, zhao):
        attendance_services.check_in(third, person, method=Method.QR, at=third.starts_at)
    zhang.trainee.political_status, zhang.trainee.ethnicity, zhang.trainee.gender = "中共党员", "回族", "F"
    zhang.trainee.save()
    certificate = certificate_for(zhang)
    return {**held, "now": third.ends_at + timedelta(hours=2), "certificate": certificate}


def test_each_trainee_has_a_row_with_hours_result_and_codes(course, finished):
    data = hours.hours_data(course, now=finished["now"])
    rows = {row["name"]: row for row in data["rows"]}
    assert data["finished"] and data["total_hours"] == 6
    zhang = rows["张丽华"]
    assert (zhang["hours"], zhang["result"], zhang["reasons"]) == (6, "结业", "")
    assert (zhang["political_status_code"], zhang["ethnicity_code"], zhang["gender_code"]) == ("01", "03", "2")
    assert zhang["certificate"] == finished["certificate"].number
    assert zhang["start"] == course.start_date.isoformat()
    assert rows["王建国"]["result"] == "未结业" and rows["王建国"]["reasons"].startswith("到课学时 2，不足")
    assert rows["李秀英"]["hours"] == 4 and rows["李秀英"]["leave_hours"] == 2 and rows["李秀英"]["result"] == "未结业"
    assert rows["赵丽"]["certificate"] == ""
    assert [row["index"] for row in data["rows"]] == [1, 2, 3, 4]


def test_before_the_last_session_ends_everyone_is_still_in_training(course, held):
    data = hours.hours_data(course, now=held["now"])  # the evening of the first day
    assert {row["result"] for row in data["rows"]} == {"培训中"}
    assert not data["finished"]


def test_the_table_reads_a_fixed_number_of_queries(course, finished):
    with CaptureQueriesContext(connection) as queries:
        hours.hours_data(course, now=finished["now"])
    # sessions, enrollments with trainees, records, approved leave, the assessment's items (none:
    # not assessed), discipline, overrides, the sessions' total, the valid certificates (the
    # organization came with the course)
    assert len(queries) == 9, [q["sql"] for q in queries]


def test_the_xlsx_and_the_csv_carry_the_same_rows_numbers_as_numbers(client, course, finished, organizer):
    client.force_login(organizer)
    with time_machine.travel(finished["now"], tick=False):
        workbook = load_workbook(io.BytesIO(client.get(reverse("documents:hours-xlsx", args=[course.code])).content))
        text = client.get(reverse("documents:hours-csv", args=[course.code])).content
    sheet = workbook["学时汇总"]
    header = [cell.value for cell in sheet[2]]
    assert header == [h for h, *_ in hours.COLUMNS]
    table = [dict(zip(header, [cell.value for cell in row], strict=True)) for row in sheet.iter_rows(min_row=3)]
    zhang = next(r for r in table if r["学员姓名"] == "张丽华")
    assert zhang["获得学时"] == 6 and isinstance(zhang["获得学时"], int | float)
    assert zhang["学号"] == "001" and zhang["政治面貌代码"] == "01"
    assert text.startswith("\ufeff".encode())  # Excel opens UTF-8 CSV only with the mark
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert [r["学员姓名"] for r in rows] == [r["学员姓名"] for r in table]
    assert next(r for r in rows if r["学员姓名"] == "赵丽")["工作单位"] == "'=HYPERLINK(1)"  # never a formula
    assert next(r for r in rows if r["学员姓名"] == "张丽华")["获得学时"] == "6"


def test_the_proofs_print_one_page_per_trainee_and_one_alone(client, course, finished, organizer):
    client.force_login(organizer)
    zhang = finished["people"][0]
    with time_machine.travel(finished["now"], tick=False):
        everyone = client.get(reverse("documents:hours-proofs-pdf", args=[course.code])).content
        one = client.get(reverse("documents:hours-proof-pdf", args=[course.code, zhang.pk])).content
    pages = page_texts(everyone)
    assert len(pages) == 4
    assert all("学时证明" in page and "特此证明" in page for page in pages)
    alone = "".join(page_texts(one)[0].split())
    assert "兹证明张丽华同志" in alone and "实修6学时，经考核合格，准予结业" in alone
    assert finished["certificate"].number in alone


def test_an_assessed_course_carries_its_assessment_into_the_table_the_appraisal_and_the_summary(
    course, finished, organizer
):
    zhang, wang, li, zhao = finished["people"]
    with time_machine.travel(finished["now"], tick=False):
        assessed(course, organizer, weights={TEST: 60, EVERYDAY: 40})
        scores = {zhang.pk: Decimal(90), wang.pk: Decimal(30), li.pk: Decimal(80)}  # 赵丽 not yet scored
        assessment_services.scores_save(course=course, kind=TEST, values=scores, by=organizer)
        rows = {r["name"]: r for r in hours.hours_data(course, now=finished["now"])["rows"]}
        words = {r.enrollment.pk: r.facts.assessment for r in appraisal_rows(course, now=finished["now"])}
        facts = summary_facts(course, now=finished["now"])
    assert (rows["张丽华"]["assessment"], rows["张丽华"]["assessment_result"]) == (Decimal("94.0"), "合格")
    assert rows["王建国"]["assessment_result"] == "不合格"
    assert (rows["赵丽"]["assessment"], rows["赵丽"]["assessment_result"]) == (None, "待评")
    assert words[zhang.pk] == "结业测试 90 分，平时表现 100 分；考核总评 94 分，合格"
    assert words[zhao.pk].startswith("结业测试尚未评分")
    assert facts["assessment"].startswith("结业考核总评平均") and "1人尚有考核项目未评分" in facts["assessment"]
