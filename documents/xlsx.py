"""考勤报告 as .xlsx, from the same plain values as the PDF: 概况, 学员, 课次, 明细. Numbers are
numbers (for sums and filters): counts, hours, and 到课率 as a fraction shown as a percentage;
text is text and never a formula. The table sheets have a filter on their header row, and long
text (units, reasons) wraps in its column."""

import io
from decimal import Decimal
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
PERCENT = "0.0%"


class Column(NamedTuple):
    header: str
    width: float
    number_format: str | None = None
    wrap: bool = False


def _value(value):
    """Numbers stay numbers; anything else is text (学号 "002" too), and text starting like a
    formula is marked so Excel never runs it."""
    if value is None or isinstance(value, int | float | Decimal):
        return value, False
    text = str(value)
    return text, text.startswith(("=", "+", "-", "@"))


def _append(sheet, values, *, columns: list[Column] | None = None) -> None:
    sheet.append([_value(v)[0] for v in values])
    for index, (cell, value) in enumerate(zip(sheet[sheet.max_row], values, strict=False)):
        column = columns[index] if columns and index < len(columns) else None
        if column:
            cell.border = _BORDER
            cell.alignment = _WRAP if column.wrap else _TOP
            if column.number_format:
                cell.number_format = column.number_format
        if _value(value)[1]:
            cell.data_type, cell.quotePrefix = "s", True


def _sheet(workbook, title: str, heading: str, columns: list[Column], rows, *, freeze: str = "A3") -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[cell.column_letter].width = column.width
    for values in rows:
        _append(sheet, values, columns=columns)
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(sheet.max_row, 3)}"
    sheet.freeze_panes = freeze
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary(workbook, data: dict) -> None:
    summary = workbook.active
    summary.title = "概况"
    summary.append([f"{data['name']}考勤报告"])
    summary["A1"].font = Font(size=14, bold=True)
    for label, value in (
        ("主办单位", data["organization"]),
        ("日期", data["dates"]),
        ("地点", data["venue"]),
        ("统计至", data["as_of"]),
        ("报名学员（人）", data["enrolled"]),
        ("已上课次", data["held"]),
        ("计划课次", data["planned"]),
        ("总学时", Decimal(data["total_hours"])),
        ("到课率", data["rate_value"]),
        *((f"{outcome}（人）", count) for outcome, count in data["outcome"]),
    ):
        _append(summary, [label, value])
        if label == "到课率":
            summary.cell(row=summary.max_row, column=2).number_format = PERCENT
        summary.cell(row=summary.max_row, column=2).alignment = Alignment(horizontal="left")
    summary.append([])
    summary.append(["小组", "人数", "到课率"])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for g in data["groups"]:
        _append(summary, [g["group"], g["people"], g["rate_value"]])
        summary.cell(row=summary.max_row, column=3).number_format = PERCENT
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 16, 40
    summary.column_dimensions["C"].width = 10


def report_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    _summary(workbook, data)
    longest = max((len(t["name"]) for t in data["trainees"]), default=3)
    name_width = max(8, 2 * longest + 2)  # a CJK character is about two of Excel's width units
    _sheet(
        workbook,
        "学员",
        "学员考勤与结业情况",
        [
            Column("学号", 8),
            Column("姓名", name_width),
            Column("工作单位", 28, wrap=True),
            Column("小组", 9),
            Column("到课学时", 9),
            Column("请假学时", 9),
            Column("迟到(次)", 8),
            Column("早退(次)", 8),
            Column("缺勤(次)", 8),
            Column("请假(次)", 8),
            Column("纪律扣分", 9),
            Column("结业", 18, wrap=True),
            Column("原因", 60, wrap=True),
        ],
        (
            [
                t["no"],
                t["name"],
                t["unit"],
                t["group"],
                Decimal(t["hours"]),
                Decimal(t["leave_hours"]),
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
        [
            Column("时间", 18),
            Column("课程", 40, wrap=True),
            Column("授课人", 28, wrap=True),
            Column("学时", 7),
            Column("状态", 8),
            Column("到课(人)", 9),
            Column("迟到(人)", 9),
            Column("早退(人)", 9),
            Column("缺勤(人)", 9),
            Column("请假(人)", 9),
            Column("到课率", 9, PERCENT),
        ],
        (
            [
                s["when"],
                s["title"],
                s["lecturer"],
                Decimal(s["hours"]),
                "已结束" if s["held"] else "未开始",
                *([s["attended"], s["late"], s["early"], s["absent"], s["leave"]] if s["held"] else [None] * 5),
                s["rate_value"],
            ]
            for s in data["sessions"]
        ),
    )
    _sheet(
        workbook,
        "明细",
        f"考勤明细（{data['legend']}）",
        [Column("学号", 8), Column("姓名", name_width), *(Column(c, 7) for c in data["columns"])],
        ([t["no"], t["name"], *t["symbols"]] for t in data["trainees"]),
        freeze="C3",
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lecture_fees_xlsx(data: dict) -> bytes:
    """讲课费签收单 as .xlsx, the columns of the PDF: amounts are numbers (blank where the PDF is
    blank), a 合计 row, the notes below."""
    workbook = Workbook()
    columns = [
        Column("序号", 6),
        Column("授课人", 12),
        Column("职称/职务", 26, wrap=True),
        Column("课程（日期 课次）", 54, wrap=True),
        Column("学时", 7),
        Column("标准（元/学时）", 12, "#,##0.00"),
        Column("超标准", 8),
        Column("金额（元）", 12, "#,##0.00"),
        Column("代扣个税（元）", 12, "#,##0.00"),
        Column("实发金额（元）", 12, "#,##0.00"),
        Column("签名", 16),
    ]
    _sheet(
        workbook,
        "讲课费",
        f"{data['name']}讲课费签收单",
        columns,
        (
            [
                r["index"],
                r["name"],
                r["title"],
                "\n".join(s["line"] for s in r["sessions"]),
                r["fee"].hours,
                r["fee"].rate if r["fee"].rate is not None else "未定",
                "超标准" if r["fee"].over_cap else "",
                r["fee"].amount,
                r["fee"].tax,
                r["fee"].net,
                "",
            ]
            for r in data["rows"]
        ),
    )
    del workbook["Sheet"]
    sheet = workbook["讲课费"]
    totals = data["totals"]
    amount = totals["amount"] if data["total_amount"] else None
    tax = totals["tax"] if data["total_tax"] else None
    net = amount - tax if amount is not None and tax is not None else None
    _append(sheet, ["合计", "", "", "", totals["hours"], None, "", amount, tax, net, ""], columns=columns)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.auto_filter.ref = None
    sheet.append([])
    if data["over_cap"]:
        caps = "，".join(f"{rank} {cap} 元/学时" for rank, cap in data["caps"])
        sheet.append([f"标“超标准”的（{'、'.join(data['over_cap'])}）高于本单位上限（{caps}），报销前须按规定报批。"])
    if data["no_rate"]:
        sheet.append([f"标“未定”的（{'、'.join(data['no_rate'])}）没有讲课费标准，金额请手工填写，未计入合计。"])
    sheet.append(["经办人：", "", "", "审核人：", "", "负责人：", "", "", "日期："])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(title: str, heading: str, columns: list[Column], rows) -> bytes:
    """A workbook of one table sheet (heading row, header with a filter, the rows)."""
    workbook = Workbook()
    _sheet(workbook, title, heading, columns, rows)
    del workbook["Sheet"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
