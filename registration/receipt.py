"""The 报名回执 as an .xlsx template a unit fills in. Its header row is made of the roster
importer's own column names (training.roster.LABELS, in the order of rules.RECEIPT_FIELDS), so a
filled 回执 imported as a roster reads back unchanged; the title, the unit line and the note stand
above the header, where the importer does not look for people. Pure: values in, bytes out."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from training import roster

from . import rules

HEADER_ROW = 4
BLANK_ROWS = 60  # rows drawn and formatted for filling in; more may be added below
WIDTHS = {
    "name": 10,
    "gender": 6,
    "ethnicity": 8,
    "political_status": 13,
    "work_unit": 28,
    "position": 18,
    "phone": 14,
    "id_number": 21,
}
TEXT = "@"  # phone and ID numbers stay text: Excel would print 4.3E+17 and drop the last digits
POLITICAL = ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派", "无党派人士")
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def headers() -> list[str]:
    return [roster.LABELS[name] for name in rules.RECEIPT_FIELDS]


def receipt_xlsx(*, course_name: str, unit_name: str = "", deadline: str = "") -> bytes:
    """The 回执 of one course (and one unit's, with its name on the 填报单位 line)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报名回执"
    last = get_column_letter(len(rules.RECEIPT_FIELDS))
    sheet["A1"] = f"{course_name}报名回执"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = f"填报单位：{unit_name or '　' * 12}　　联系人：　　　　　　联系电话："
    sheet.merge_cells(f"A2:{last}2")
    when = f"请于{deadline}前报送；" if deadline else ""
    sheet["A3"] = (
        f"{when}每人一行，工作单位写全称，手机号码为学员登录用的11位号码，身份证号码选填；请勿改动第{HEADER_ROW}行的列名。"
    )
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A3:{last}3")
    sheet.row_dimensions[3].height = 32
    for index, name in enumerate(rules.RECEIPT_FIELDS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=roster.LABELS[name])
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = _BORDER
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + BLANK_ROWS):
            blank = sheet.cell(row=row, column=index)
            blank.border = _BORDER
            if name in ("phone", "id_number"):
                blank.number_format = TEXT
    first, end = HEADER_ROW + 1, HEADER_ROW + BLANK_ROWS
    for name, choices in (("gender", ("男", "女")), ("political_status", POLITICAL)):
        letter = get_column_letter(rules.RECEIPT_FIELDS.index(name) + 1)
        # a list, not a refusal: the importer reads 党员, 团员 and the like as well
        check = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True, showErrorMessage=False)
        check.add(f"{letter}{first}:{letter}{end}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
