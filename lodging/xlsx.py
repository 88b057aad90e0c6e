"""就餐统计 as an .xlsx for the canteen: one row per day and meal, a column per dietary need."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from . import rules

HEADER = ("日期", "餐次", "在训", "请假", "不就餐", "就餐合计", "普通", "清真", "素食", "其他", "其他说明", "状态")
STATES = {"open": "报餐中", "closed": "已截止", "frozen": "已锁定"}


def write_meals_xlsx(*, course, lines) -> bytes:
    """Every value a string or a number; text starting with = + - @ is never a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "就餐统计"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([f"{course.name} 就餐统计"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.border = border
    for line in lines:
        count = line.count
        notes = "；".join(f"{text} {n} 人" for text, n in count.notes)
        sheet.append(
            [
                f"{line.slot.day.month}月{line.slot.day.day}日",
                rules.MEAL_LABELS[line.slot.kind],
                count.enrolled,
                count.on_leave,
                count.opted_out,
                count.eating,
                *(count.diets[d] for d in rules.DIETS),
                notes,
                STATES[line.state],
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = border
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(("=", "+", "-", "@")):
                    cell.quotePrefix = True
    for letter, width in zip("ABCDEFGHIJKL", (10, 6, 6, 6, 7, 9, 6, 6, 6, 6, 30, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
