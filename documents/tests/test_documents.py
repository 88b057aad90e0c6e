"""The paper side of a course: the attendance report (figures, PDF, .xlsx, command), sign-in
sheets, badges, desk cards, the timetable and the bulletin as PDFs with Chinese text, embedded
fonts and page numbers."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from attendance import services as attendance_services
from attendance.models import DisciplineRecord
from core import pdf
from documents import selectors
from training.tests.factories import EnrollmentFactory, TraineeFactory, at
from training.tests.pdfs import (
    assert_fonts_embedded_and_subset,
    pages_of,
    text_of,
    worst_tile_change,
)

pytestmark = pytest.mark.django_db


def test_the_report_counts_attendance_leave_and_discipline_and_projects_completion(course, held):
    data = selectors.report_data(course, now=held["now"])
    assert (data["enrolled"], data["held"], data["planned"], data["total_hours"]) == (4, 2, 3, "6")
    assert data["rate"] == "75.0%"  # 6 attended of 8 expected
    rows = {t["name"]: t for t in data["trainees"]}
    assert [t["name"] for t in data["trainees"]] == ["张丽华", "赵丽", "王建国", "李秀英"]  # group order
    assert (rows["王建国"]["late"], rows["王建国"]["absent"], rows["王建国"]["hours"]) == (1, 1, "2")
    assert (rows["李秀英"]["leave"], rows["李秀英"]["points"]) == (1, 1)
    assert (
        rows["张丽华"]["marks"] == "√√・" and rows["王建国"]["marks"] == "迟×・" and rows["李秀英"]["marks"] == "√假・"
    )
    # 6 hours in all, 90% needed: 王建国 has 2 with 2 ahead (lost); 张丽华 has 4 with 2 ahead (may still)
    assert (rows["王建国"]["completion"], rows["张丽华"]["completion"]) == ("已无法结业", "进行中（仍可结业）")
    assert rows["张丽华"]["reasons"] == "" and "到课学时 2" in rows["王建国"]["reasons"]
    assert (rows["李秀英"]["leave_hours"], rows["张丽华"]["leave_hours"]) == ("2", "0")
    assert data["outcome"] == [("仍可结业", 2), ("已无法结业", 2)] and not data["finished"]
    first, second, third = data["sessions"]
    assert (first["attended"], first["late"], first["rate"]) == (4, 1, "100.0%")
    assert (second["attended"], second["absent"], second["leave"], second["rate"]) == (2, 1, 1, "50.0%")
    assert (third["held"], third["rate"]) == (False, "未开始")
    assert {g["group"]: g["rate"] for g in data["groups"]} == {"第一组": "100.0%", "第二组": "50.0%"}


def test_the_report_pdf_repeats_its_headers_and_numbers_its_pages(client, course, held, organizer):
    d = course.start_date
    for i in range(60):  # enough trainees for the tables to run over several pages
        EnrollmentFactory(
            course=course, trainee=TraineeFactory(name=f"学员{i:02d}", phone=f"1360000{i:04d}"), student_no=f"1{i:02d}"
        )
    client.force_login(organizer)
    with time_machine.travel(at(d, "18:00"), tick=False):
        response = client.get(reverse("documents:report-pdf", args=[course.code]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert_fonts_embedded_and_subset(content)
    total = pages_of(content)
    assert total >= 4
    text = text_of(content)
    assert f"{course.name}考勤报告" in text and "王建国" in text and "学员59" in text
    for page in range(1, total + 1):
        import subprocess

        page_text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        assert f"第 {page} 页，共 {total} 页" in page_text
        if page > 1:
            assert "学号" in page_text and "姓名" in page_text  # the table header, repeated


def test_the_report_xlsx_has_numbers_as_numbers_and_no_formulas(client, course, held, organizer):
    client.force_login(organizer)
    with time_machine.travel(held["now"], tick=False):
        response = client.get(reverse("documents:report-xlsx", args=[course.code]))
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "学员", "课次", "明细"]
    trainees = list(workbook["学员"].iter_rows(min_row=3, values_only=True))
    assert trainees[2][:10] == ("002", "王建国", "县人民医院工会", "第二组", 2, 0, 1, 0, 1, 0)
    summary = workbook["概况"]
    assert summary["B2"].value == course.organization.name and summary["B6"].value == 4  # a number
    zhao = next(row for row in trainees if row[1] == "赵丽")
    assert zhao[2] == "=HYPERLINK(1)"
    cell = next(c for c in workbook["学员"]["C"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s" and cell.quotePrefix
    assert list(workbook["明细"].iter_rows(min_row=3, max_row=3, values_only=True))[0] == (
        "001",
        "张丽华",
        "√",
        "√",
        "・",
    )


def test_the_command_writes_the_report_and_refuses_bad_input(course, held, tmp_path, capsys):
    pdf_path, xlsx_path = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    with time_machine.travel(held["now"], tick=False):
        call_command("attendance_report", course.code, "--out", str(pdf_path), "--xlsx", str(xlsx_path))
    assert "到课率 75.0%" in capsys.readouterr().out
    assert "王建国" in text_of(pdf_path.read_bytes())
    assert load_workbook(xlsx_path).sheetnames[0] == "概况"
    with pytest.raises(CommandError, match="没有编号为 NOPE"):
        call_command("attendance_report", "NOPE", "--out", str(pdf_path))
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("attendance_report", course.code, "--out", str(tmp_path / "missing" / "r.pdf"))


def test_sign_in_sheets_badges_desk_cards_and_timetable(client, course, held, organizer):
    client.force_login(organizer)
    first = held["sessions"][0]
    names = ["张丽华", "赵丽", "王建国", "李秀英"]  # group order: 第一组, then 第二组

    sheet = client.get(reverse("documents:signin-pdf", args=[course.code, first.pk])).content
    text = text_of(sheet)
    assert "签到表" in text and "本人签名" in text and first.title in text and "签退" not in text
    assert [text.index(n) for n in names] == sorted(text.index(n) for n in names)

    badges = client.get(reverse("documents:badges-pdf", args=[course.code])).content
    assert pages_of(badges) == 1 and all(n in text_of(badges) for n in names)  # up to 8 on a page
    for i in range(5):
        EnrollmentFactory(
            course=course, trainee=TraineeFactory(name=f"新学员{i}", phone=f"1350000{i:04d}"), student_no=f"2{i:02d}"
        )
    assert pages_of(client.get(reverse("documents:badges-pdf", args=[course.code])).content) == 2

    cards = client.get(reverse("documents:desk-cards-pdf", args=[course.code])).content
    assert pages_of(cards) == 9 and text_of(cards).count("王建国") == 2  # both halves of the fold

    timetable = client.get(reverse("documents:timetable-pdf", args=[course.code])).content
    text = text_of(timetable)
    assert f"{course.name}课程表" in text and "工会法解读" in text and "星期" in text
    for document in (sheet, badges, cards, timetable):
        assert_fonts_embedded_and_subset(document)


def test_the_published_bulletin_is_a_gongwen_pdf(client, course, held, advisor, organizer):
    """发文字号, 主送, opening and closing, Chinese times, items in time order, the 成文日期 in Arabic
    numerals, "— 1 —" page numbers and no running footer; every font embedded and subset."""
    d = course.start_date
    zhao, wang = held["people"][3], held["people"][1]
    first, second = held["sessions"][:2]
    with time_machine.travel(at(d, "17:30"), tick=False):
        # Recorded in the afternoon about the afternoon, then in the evening about the morning:
        # the bulletin lists them by the session, morning first, after 李秀英's 09:00 entry.
        attendance_services.discipline_record_create(
            enrollment=zhao, session=second, kind=DisciplineRecord.Kind.IN_OUT, minutes_out=15, points=1,
            by=organizer, at=at(d, "15:00"),
        )  # fmt: skip
        attendance_services.discipline_record_create(
            enrollment=wang, session=first, kind=DisciplineRecord.Kind.NOISE, points=1, by=organizer,
            at=at(d, "17:30"),
        )  # fmt: skip
    with time_machine.travel(held["now"], tick=False):
        bulletin = attendance_services.bulletin_publish(course=course, day=d, by=advisor, recipients="全体学员")
    client.force_login(organizer)
    with time_machine.travel(held["now"] + timedelta(hours=1), tick=False):
        response = client.get(reverse("documents:bulletin-pdf", args=[course.code, bulletin.pk]))
    content = response.content
    text = text_of(content)
    year, month, day = d.year, d.month, d.day
    assert text.startswith(f"青山县总工会县工培通〔{year}〕1号")
    assert f"关于2026年全县基层工会干部培训班{month}月{day}日纪律情况的通报全体学员：为严肃培训纪律" in text
    assert f"现将2026年全县基层工会干部培训班{month}月{day}日学员出勤和课堂纪律情况通报如下：" in text
    assert f"王建国（第二组）：{month}月{day}日上午“开班式”，8:42签到，迟到12分钟。" in text
    assert f"{month}月{day}日下午14:30" in text  # the session table (poppler's spaces are dropped)
    discipline = text[text.index("四、违反课堂纪律情况") :]
    assert discipline.index("李秀英") < discipline.index("王建国") < discipline.index("赵丽")
    assert f"赵丽（第一组）：{month}月{day}日下午“工会法解读”，随意出入教室，离开15分钟，扣1分。" in discipline
    assert "特此通报。" in text and text.endswith(f"青山县总工会{year}年{month}月{day}日—{pages_of(content)}—")
    assert "—1—" in text and "第1页" not in text and "二〇" not in text
    assert not re.search(r"\d{2}-\d{2}\d{2}:\d{2}", text)  # no more "11-20 08:30"
    assert response["Content-Disposition"].endswith(".pdf") and "%E3%80%94" in response["Content-Disposition"]
    fonts = assert_fonts_embedded_and_subset(content)
    assert any("Kaiti" in f["name"] or "WenKai" in f["name"] or "FangSong" in f["name"] for f in fonts)


def test_the_bulletins_kaishu_and_noto_faces_are_compacted_without_changing_a_glyph(course, held, advisor):
    """training.pdf.compact_fonts re-subsets the GB kaishu (TrueType, through a CIDToGIDMap) and the
    Noto faces (CID CFF) of the bulletin: poppler draws the first page as it draws WeasyPrint's own
    subset, and the text layer is the same."""
    from weasyprint import HTML

    with time_machine.travel(held["now"], tick=False):
        bulletin = attendance_services.bulletin_publish(course=course, day=None, by=advisor)
    context = selectors.bulletin_pdf_data(bulletin)
    compact = pdf.render("pdf/bulletin.html", context)
    html = pdf.render_to_string("pdf/bulletin.html", context)
    plain = HTML(string=html, base_url="file:///", url_fetcher=pdf._fetcher()).write_pdf(font_config=pdf._font_config())
    assert len(compact) < len(plain)
    fonts = assert_fonts_embedded_and_subset(compact)
    if "AR PL KaitiM GB" in pdf.cjk_fonts():
        assert any(f["type"] == "CID TrueType" and "Kaiti" in f["name"] for f in fonts)
    assert text_of(compact) == text_of(plain)
    assert worst_tile_change(plain, compact) < 0.5, "the re-subset fonts draw different glyphs"


def test_the_print_page_links_every_document(client, course, held, advisor):
    client.force_login(advisor)
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    for name in ("report-pdf", "report-xlsx", "badges-pdf", "desk-cards-pdf", "timetable-pdf"):
        assert reverse(f"documents:{name}", args=[course.code]) in page
    for session in held["sessions"]:
        assert reverse("documents:signin-pdf", args=[course.code, session.pk]) in page
    bulletin = attendance_services.bulletin_publish(course=course, day=None, by=advisor, at=held["now"])
    page = client.get(reverse("documents:print", args=[course.code])).content.decode()
    assert reverse("documents:bulletin-pdf", args=[course.code, bulletin.pk]) in page
