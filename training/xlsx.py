"""花名册 written as the formatted .xlsx organizers print and pass on."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    ("学号", 8),
    ("姓名", 12),
    ("性别", 6),
    ("民族", 8),
    ("政治面貌", 12),
    ("工作单位", 34),
    ("职务", 18),
    ("手机号码", 14),
    ("小组", 9),
    ("状态", 7),
)
CODE_COLUMN = ("登录码", 9)  # only when an organizer asks for the codes (roster_export ?codes=1)


def write_roster_xlsx(*, title: str, subtitle: str, rows: list[list[str]], codes: bool = False) -> bytes:
    """花名册 as a formatted .xlsx: a title row, a bold header that repeats on every printed page,
    thin borders, A4 landscape; with `codes`, a last column 登录码 (the rows carry it). Every value
    is written as text — a value starting with = + - @ stays a string and never becomes a formula."""
    columns = (*EXPORT_COLUMNS, CODE_COLUMN) if codes else EXPORT_COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    width = len(columns)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")

    sheet.append([name for name, _ in columns])
    for index, (_, column_width) in enumerate(columns, start=1):
        cell = sheet.cell(row=3, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
        sheet.column_dimensions[cell.column_letter].width = column_width

    for row_index, values in enumerate(rows, start=4):
        for column_index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            cell.value = value
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            if str(value).startswith(_FORMULA_START):
                cell.quotePrefix = True  # and Excel would re-read it as one when edited
            cell.border = border
            cell.number_format = "@"
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
