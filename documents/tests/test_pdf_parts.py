"""core.pdf.render_in_parts: a long one-page-per-item document rendered in parts is the same pages."""

import io

from pypdf import PdfReader

from core import pdf


def _context(count: int) -> dict:
    sheet = {
        "name": "张三",
        "gender": "男",
        "ethnicity": "汉族",
        "born": "1980年5月",
        "political_status": "中共党员",
        "group": "第1组",
        "unit": "青山县总工会",
        "hours": "应修 20 学时，实修 20 学时",
        "attendance": "迟到 0 次，早退 0 次，缺勤 0 次，请假 0 学时",
        "discipline": "无",
        "assessment": "",
        "result": "准予结业",
        "appraisal": "该同志学习认真。",
        "appraisal_pt": 10.5,
        "opinion": "",
    }
    return {
        "organization": "青山县总工会",
        "name": "工会干部培训班",
        "course": "工会干部培训班",
        "dates": "2026年4月14日至16日",
        "venue": "县委党校",
        "seal": "",
        "sheets": [{**sheet, "student_no": f"{n:04d}"} for n in range(1, count + 1)],
    }


def _pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages], reader.metadata.title


def test_parts_give_the_pages_and_title_of_one_render():
    context = _context(5)
    whole, title = _pages(pdf.render("pdf/appraisal.html", context))
    parts, parts_title = _pages(pdf.render_in_parts("pdf/appraisal.html", context, key="sheets", size=2))
    assert len(whole) == 5 and parts == whole
    assert parts_title == title and "结业鉴定表" in title
    assert [p.count("学号：") for p in parts] == [1] * 5 and "0005" in parts[-1]


def test_a_short_document_is_one_render():
    context = _context(2)
    assert _pages(pdf.render_in_parts("pdf/appraisal.html", context, key="sheets", size=2)) == _pages(
        pdf.render("pdf/appraisal.html", context)
    )
