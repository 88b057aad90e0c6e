"""What the assessment tests share: a course with an assessment plan, and small files."""

import io
import zipfile
from decimal import Decimal

from assessment import rules, services

DOCX_XML = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


def assessed(course, by, *, weights=None, pass_marks=None, pass_mark=Decimal("60"), essay_due_at=None):
    """The course with an assessment plan (the default weights unless told)."""
    weights = weights or rules.DEFAULT_WEIGHTS
    pass_marks = pass_marks or {}
    items = [services.ItemSetting(k, weights.get(k, 0), pass_marks.get(k)) for k in rules.KINDS]
    return services.plan_save(course=course, by=by, pass_mark=pass_mark, essay_due_at=essay_due_at, items=items)


def sample_essay(course, enrollment, by):
    """An assessed course (the default plan) and the trainee's 心得 handed in as a file."""
    assessed(course, by)
    return services.essay_submit(enrollment=enrollment, title="学习体会", body="", content=b"xinde", filename="a.txt")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # a fixed date: the same bytes on every call (zip entries otherwise carry the current second)
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2026, 11, 20, 8, 0, 0)), DOCX_XML)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
