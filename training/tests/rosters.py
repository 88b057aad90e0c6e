"""Roster files as organizers really send them: a title row above the header, remarks in the
header, phones stored as numbers or typed with spaces, full-width digits and +86, names padded
with full-width spaces, minority names with a middle dot, a blank row, notes and a total under the
table. Built here so every quirk is visible in one place."""

import csv
import io

from openpyxl import Workbook

TITLE = "2026年全县基层工会干部培训班学员花名册"
HEADER = ["序号", "*姓名", "性别", "民族", "政治面貌", "工作单位", "职务", "手机号码\n（必填）", "小组", "备注"]
PEOPLE = [
    # the cells as typed; EXPECTED below is what the import must make of them
    [1, "张\u3000三", "男", "汉", "党员", "青山县人民医院工会", "工会主席", 13812345601, "1", ""],
    [2, "李  娜", "女", "汉族", "中共党员", "青山县教育局工会", "工会副主席", "138 1234 5602", "第一组", ""],
    [
        3,
        "阿依古丽．买买提",
        "女",
        "维吾尔",
        "群众",
        "青山纺织有限公司工会",
        "工会委员",
        "+86 138-1234-5603",
        "2组",
        "少数民族",
    ],
    [4, "王伟", "男", "回族", "团员", "城关镇总工会", "工会专干", "１３８１２３４５６０４", "第二组", ""],
    [
        5,
        "\u3000赵红梅\u3000",
        "女",
        "汉族",
        "中共党员",
        "国网青山县供电公司工会",
        "女职工委员会主任",
        13812345605.0,
        "三组",
        "",
    ],
    [],
    [6, "陈建国", "", "汉族", "中共党员", "青山县交通运输局工会", "经费审查委员会主任", "8613812345606", "3", ""],
    [7, "刘洋", "男", "满", "群众", "石桥镇总工会", "工会主席", "0086 13812345607", "第四组", ""],
    [8, "巴特尔", "男", "蒙古族", "中共党员", "东岭乡工会", "工会主席", " 13812345608 ", "4", ""],
]
FOOTER = [
    [],
    ["注：1.请于11月15日前报送；2.手机号码用于学员登录，请务必准确。"],
    ["填表人：王五", "", "", "", "", "", "联系电话：", "0731-84561234"],
    ["合计：8人"],
]
EXPECTED = [
    ("张三", "13812345601", "M", "汉族", "中共党员", "第一组"),
    ("李娜", "13812345602", "F", "汉族", "中共党员", "第一组"),
    ("阿依古丽·买买提", "13812345603", "F", "维吾尔族", "群众", "第二组"),
    ("王伟", "13812345604", "M", "回族", "共青团员", "第二组"),
    ("赵红梅", "13812345605", "F", "汉族", "中共党员", "第三组"),
    ("陈建国", "13812345606", "", "汉族", "中共党员", "第三组"),
    ("刘洋", "13812345607", "M", "满族", "群众", "第四组"),
    ("巴特尔", "13812345608", "M", "蒙古族", "中共党员", "第四组"),
]


def table(people=None) -> list[list]:
    return [
        [TITLE],
        ["填报单位（盖章）：", "", "", "", "", "", "填报日期：2026年11月"],
        HEADER,
        *(people or PEOPLE),
        *FOOTER,
    ]


def xlsx(rows: list[list], *, sheets_before: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for index in range(sheets_before):
        sheet.title = f"说明{index + 1}"
        sheet.append(["本表供各单位填报使用"])
        sheet = workbook.create_sheet()
    sheet.title = "花名册"
    for row in rows:
        sheet.append(row)
    if rows and rows[0] == [TITLE]:
        sheet.merge_cells("A1:J1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "gbk", delimiter: str = ",", newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        # Excel writes what a cell shows: a whole number without ".0".
        writer.writerow([int(c) if isinstance(c, float) and c.is_integer() else c for c in row])
    return buffer.getvalue().encode(encoding)


def excel_saved_csv(rows: list[list]) -> bytes:
    """A roster as Excel (or WPS) saves it "as CSV" on a Chinese Windows: GBK, CRLF, and the phone
    numbers that were number cells written as the float they are stored as, 13812345601.0."""
    phone = HEADER.index("手机号码\n（必填）")
    saved = []
    for row in rows:
        row = list(row)
        if len(row) > phone and isinstance(row[phone], int | float):
            row[phone] = f"{float(row[phone]):.1f}"
        elif len(row) > phone and isinstance(row[phone], str) and row[phone].strip().isdigit():
            row[phone] = f"{row[phone].strip()}.0"
        saved.append(row)
    return csv_bytes(saved, encoding="gbk", newline="\r\n")


def people(*rows) -> list[list]:
    """A roster whose data rows are exactly `rows` (in PEOPLE's column order)."""
    return table(list(rows))


def padded_xlsx(rows: list[list], *, declared: str = "A1:XFD19999", last_row: int = 19_999) -> bytes:
    """A roster whose sheet declares a dimension far wider and longer than its cells, with one
    more cell far down: a few KB of file that a reader padding rows to the declared width turns
    into gigabytes."""
    import re
    import zipfile

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    sheet.cell(row=last_row, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, padded = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{declared}"/>'.encode(), data)
                assert count == 1
            target.writestr(info, data)
    return padded.getvalue()
