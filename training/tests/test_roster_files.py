"""Reading roster files: pure, no database."""

import pytest

from training import roster, rules
from training.tests import rosters


def summary(parse):
    return [(e.name, e.phone, e.gender, e.ethnicity, e.political_status, e.group) for e in parse.entries]


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (rosters.xlsx(rosters.table()), "花名册.xlsx"),
        (rosters.xlsx(rosters.table(), sheets_before=1), "花名册（含说明页）.xlsx"),
        (rosters.csv_bytes(rosters.table(), encoding="gbk"), "花名册.csv"),
        (rosters.csv_bytes(rosters.table(), encoding="gb18030"), "花名册.csv"),
        (rosters.csv_bytes(rosters.table(), encoding="utf-8-sig"), "花名册.csv"),
        (rosters.csv_bytes(rosters.table(), encoding="utf-8", newline="\n"), "花名册.csv"),
        (rosters.csv_bytes(rosters.table(), encoding="utf-16", delimiter="\t"), "花名册.txt"),
    ],
    ids=["xlsx", "xlsx-second-sheet", "csv-gbk", "csv-gb18030", "csv-utf8-bom-crlf", "csv-utf8-lf", "utf16-tab"],
)
def test_real_rosters_are_read_and_normalised(content, filename):
    parse = roster.parse_roster(content, filename)
    assert parse.problems == []
    assert parse.header_row == 3
    assert summary(parse) == rosters.EXPECTED
    assert [e.row for e in parse.entries] == [4, 5, 6, 7, 8, 10, 11, 12]  # the blank row 9 is skipped
    assert [p.row for p in parse.skipped] == [14, 15, 16]  # the note, the signature line and the total
    assert parse.entries[0].work_unit == "青山县人民医院工会"


def test_header_remarks_and_spaces_are_ignored():
    assert roster.find_columns(["序 号", "姓　名", "手机号（必填）", "所在单位"]) == {
        "name": 1,
        "work_unit": 3,
        "phone": 2,
    }
    assert roster.find_columns(["2026年培训班花名册"]) == {}


def test_a_repeated_header_on_a_second_page_is_skipped():
    rows = rosters.table()
    rows.insert(8, rosters.HEADER)
    parse = roster.parse_roster(rosters.xlsx(rows), "r.xlsx")
    assert parse.problems == []
    assert len(parse.entries) == 8
    assert any("重复的表头" in p.message for p in parse.skipped)


def test_gender_comes_from_the_id_number_when_missing():
    row = [1, "陈建国", "", "汉族", "中共党员", "县交通局工会", "主席", "13812345606", "1", ""]
    rows = rosters.people(row)
    rows[2] = [*rosters.HEADER, "身份证号码"]
    id_number = "11010519491231002" + rules.id_check_digit("11010519491231002")
    rows[3] = [*row, id_number]
    parse = roster.parse_roster(rosters.xlsx(rows), "r.xlsx")
    assert parse.problems == []
    assert parse.entries[0].gender == "F"
    assert parse.entries[0].id_number == id_number


def problems(content, filename="r.xlsx"):
    return [(p.row, p.message) for p in roster.parse_roster(content, filename).problems]


def test_a_duplicate_phone_names_both_rows():
    a = [1, "张三", "男", "汉族", "", "单位甲", "", "13812345601", "1", ""]
    b = [2, "李四", "男", "汉族", "", "单位乙", "", "138 1234 5601", "1", ""]
    assert problems(rosters.xlsx(rosters.people(a, b))) == [(5, "手机号码与第4行重复")]


def test_an_invalid_phone_and_a_row_without_a_name_are_reported_by_row():
    good = [1, "张三", "男", "汉族", "", "单位甲", "", "13812345601", "1", ""]
    bad_phone = [2, "李四", "男", "汉族", "", "单位乙", "", "1381234560", "1", ""]
    nameless = [3, "", "女", "汉族", "", "单位丙", "", "13812345603", "1", ""]
    found = problems(rosters.xlsx(rosters.people(good, bad_phone, nameless)))
    assert found == [(5, "手机号码“1381234560”不是有效的11位手机号码"), (6, "姓名为空")]


def test_every_problem_of_every_row_is_listed():
    row = [1, "张三", "未知", "汉族", "", "单位甲", "", "", "1", ""]
    found = problems(rosters.xlsx(rosters.people(row)))
    assert {message for _, message in found} == {"性别“未知”应填写“男”或“女”", "手机号码为空"}
    assert {r for r, _ in found} == {4}


def test_phones_that_excel_turned_into_scientific_notation_are_refused():
    row = [1, "张三", "男", "汉族", "", "单位甲", "", "1.38123E+10", "1", ""]
    assert "科学计数法" in problems(rosters.csv_bytes(rosters.people(row)), "r.csv")[0][1]
    row[7] = "1.38001E+10"  # also in the CSV Excel saves, where whole numbers end in ".0"
    assert "科学计数法" in problems(rosters.excel_saved_csv(rosters.people(row)), "r.csv")[0][1]


def test_phones_saved_by_excel_as_floats_in_a_csv_are_read_like_the_xlsx_numbers():
    content = rosters.excel_saved_csv(rosters.table())
    assert b"13812345601.0\r\n" not in content and b",13812345601.0," in content  # what Excel wrote
    parse = roster.parse_roster(content, "花名册.csv")
    assert parse.problems == []
    assert summary(parse) == rosters.EXPECTED


@pytest.mark.parametrize("phone", ["13812345601.5", "1381234560.0", "138123456010.0"])
def test_a_float_phone_that_is_not_a_whole_eleven_digit_number_is_still_refused(phone):
    row = [1, "张三", "男", "汉族", "", "单位甲", "", phone, "1", ""]
    assert problems(rosters.csv_bytes(rosters.people(row)), "r.csv") == [
        (4, f"手机号码“{phone}”不是有效的11位手机号码")
    ]


def test_a_roster_problem_names_the_person_as_well_as_the_row():
    good = [1, "张三", "男", "汉族", "", "单位甲", "", "13812345601", "1", ""]
    bad_phone = [2, "李四", "男", "汉族", "", "单位乙", "", "1381234560", "1", ""]
    twin = [3, "王五", "男", "汉族", "", "单位丙", "", "13812345601", "1", ""]
    found = roster.parse_roster(rosters.xlsx(rosters.people(good, bad_phone, twin)), "r.xlsx").problems
    assert [str(p) for p in found] == [
        "第5行（李四）：手机号码“1381234560”不是有效的11位手机号码",
        "第6行（王五）：手机号码与第4行重复",
    ]


def test_a_file_without_a_name_column_is_refused():
    rows = [["单位", "手机号码"], ["县医院工会", "13812345601"]]
    with pytest.raises(roster.RosterFileError) as error:
        roster.parse_roster(rosters.xlsx(rows), "r.xlsx")
    assert error.value.code == "no_header"
    assert "姓名" in error.value.message


def test_a_file_without_a_phone_column_is_refused_at_the_header_row():
    rows = [[rosters.TITLE], ["姓名", "单位"], ["张三", "县医院工会"]]
    assert problems(rosters.xlsx(rows)) == [(2, "缺少“手机号码”列（也可写作“手机号”“联系电话”），学员要用手机号登录。")]


def test_a_header_without_rows_is_reported():
    assert problems(rosters.xlsx([rosters.HEADER])) == [(None, "表头下面没有学员数据。")]


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"", "r.xlsx", "empty"),
        (b"  \r\n ", "r.csv", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "r.xlsx", "not_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "r.csv", "binary"),
        (b"PK\x03\x04 not really a zip", "r.xlsx", "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "r.xls", "xls"),
        (b"%PDF-1.7 ...", "r.pdf", "unsupported"),
        ("姓名,手机号码\n张三,13812345601\n".encode("gbk")[:-3] + b"\xff\xfe\xfd\n", "r.csv", "encoding"),
    ],
    ids=["empty", "blank", "png-as-xlsx", "png-as-csv", "broken-zip", "xls", "pdf", "undecodable"],
)
def test_files_that_are_not_rosters_are_refused_with_a_reason(content, filename, code):
    with pytest.raises(roster.RosterFileError) as error:
        roster.parse_roster(content, filename)
    assert error.value.code == code
    assert error.value.message


def test_a_zip_bomb_and_an_endless_sheet_are_refused_before_reading(monkeypatch):
    content = rosters.xlsx(rosters.table())
    assert roster.read_sheets(content, "花名册.xlsx")  # a real roster passes both guards
    monkeypatch.setattr(roster, "MAX_XLSX_UNPACKED_BYTES", roster._unpacked_size(content) - 1)
    with pytest.raises(roster.RosterFileError) as refused:
        roster.read_sheets(content, "花名册.xlsx")
    assert refused.value.code == "too_big" and "解压后过大" in str(refused.value)
    monkeypatch.setattr(roster, "MAX_XLSX_UNPACKED_BYTES", 100 * 1024 * 1024)
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    with pytest.raises(roster.RosterFileError, match="超过 3 行") as refused:
        roster.read_sheets(content, "花名册.xlsx")
    assert refused.value.code == "too_many_rows"


@pytest.mark.parametrize("rows", [[], rosters.table()], ids=["padding-only", "roster-then-padding"])
def test_a_sheet_declaring_a_huge_size_costs_only_the_cells_it_has(rows):
    """<dimension ref="A1:XFD19999"/> with a cell in row 19,999: openpyxl pads every row to the
    declared 16,384 columns, and keeping those rows cost a worker 2.7 GB and 30 s before it was
    killed. Now the reader stops at MAX_COLUMNS as it reads and keeps nothing of an empty row."""
    import time
    import tracemalloc

    content = rosters.padded_xlsx(rows)
    assert len(content) < 20_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parse = roster.parse_roster(content, "花名册.xlsx")
    except roster.RosterFileError as error:
        parse, refused = None, error
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert seconds < 10  # about 0.5 s here; the padded reading took 30 s and then its worker died
    if rows:
        assert parse.problems == [] and summary(parse) == rosters.EXPECTED
    else:
        assert parse is None or parse.problems, "an empty sheet is refused with a message"
        message = refused.message if parse is None else parse.problems[0].message
        assert "姓名" in message or "表头" in message


def test_a_csv_longer_than_the_limit_is_refused_as_it_is_read():
    content = ("姓名,手机号码\n" + "张三,13800000000\n" * (roster.MAX_ROWS + 5)).encode()
    with pytest.raises(roster.RosterFileError) as error:
        roster.parse_roster(content, "花名册.csv")
    assert error.value.code == "too_many_rows"
