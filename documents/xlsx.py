"""考勤报告 as .xlsx, from the same plain values as the PDF: 概况, 学员, 课次, 明细. Numbers are
numbers (for sums and filters); text is text and never a formula."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _value(value):
    """Numbers stay numbers; anything else is text (学号 "002" too), and text starting like a
    formula is marked so Excel never runs it."""
    if isinstance(value, int | float | Decimal):
        return value, False
    text = str(value)
    return text, text.startswith(("=", "+", "-", "@"))


def _append(sheet, values, *, border: bool = False) -> None:
    sheet.append([_value(v)[0] for v in values])
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if border:
            cell.border = _BORDER
        if _value(value)[1]:
            cell.data_type, cell.quotePrefix = "s", True


def _sheet(workbook, title: str, heading: str, header: list[str], widths: list[int], rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append(header)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[cell.column_letter].width = width
    for values in rows:
        _append(sheet, values, border=True)
    sheet.freeze_panes = "C3" if title == "明细" else "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def report_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "概况"
    for row in (
        [f"{data['name']}考勤报告"],
        ["主办单位", data["organization"]],
        ["日期", data["dates"]],
        ["地点", data["venue"]],
        ["统计至", data["as_of"]],
        ["报名学员（人）", data["enrolled"]],
        ["已上课次", data["held"]],
        ["计划课次", data["planned"]],
        ["总学时", Decimal(data["total_hours"])],
        ["到课率", data["rate"]],
        ["可结业（人）", data["eligible"]],
        [],
        ["小组", "人数", "到课率"],
        *([g["group"], g["people"], g["rate"]] for g in data["groups"]),
    ):
        _append(summary, row)
    summary["A1"].font = Font(size=14, bold=True)
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 16, 40
    _sheet(
        workbook,
        "学员",
        "学员考勤与结业情况",
        ["学号", "姓名", "工作单位", "小组", "学时", "迟到", "早退", "缺勤", "请假", "纪律扣分", "结业", "原因"],
        [8, 10, 30, 8, 7, 6, 6, 6, 6, 9, 9, 60],
        (
            [
                t["no"],
                t["name"],
                t["unit"],
                t["group"],
                Decimal(t["hours"]),
                t["late"],
                t["early"],
                t["absent"],
                t["leave"],
                t["points"],
                t["completion"],
                t["reasons"],
            ]
            for t in data["trainees"]
        ),
    )
    _sheet(
        workbook,
        "课次",
        "各课次到课情况",
        ["时间", "课程", "授课人", "学时", "到课", "迟到", "早退", "缺勤", "请假", "到课率"],
        [18, 40, 16, 6, 6, 6, 6, 6, 6, 9],
        (
            [
                s["when"],
                s["title"],
                s["lecturer"],
                Decimal(s["hours"]),
                *([s["attended"], s["late"], s["early"], s["absent"], s["leave"]] if s["held"] else [""] * 5),
                s["rate"],
            ]
            for s in data["sessions"]
        ),
    )
    _sheet(
        workbook,
        "明细",
        f"考勤明细（{data['legend']}）",
        ["学号", "姓名", *data["columns"]],
        [8, 10, *[7] * len(data["columns"])],
        ([t["no"], t["name"], *t["symbols"]] for t in data["trainees"]),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
