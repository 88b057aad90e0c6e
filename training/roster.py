"""Roster files (花名册): reading the .xlsx and .csv files organizers already have (the export is
written by `training.xlsx`).

Everything here is pure: bytes in, rows and problems out. What the rows mean against what is
already registered (a phone used by someone else, a student number taken, who is new and what
changed) is planned by `plan_import` from values `services.enrollment_import` loads; that service
is the only place that writes.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import rules

HEADER_SEARCH_ROWS = 30

# Column names as they appear in real rosters, best match first. A header cell is compared after
# removing spaces, asterisks and bracketed remarks (“手机号码（必填）” → “手机号码”).
COLUMNS = {
    "name": ("姓名", "学员姓名", "名字"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "political_status": ("政治面貌",),
    "work_unit": ("工作单位", "单位", "所在单位", "单位名称", "工作单位全称"),
    "position": ("职务", "现任职务", "职务职称", "职务/职称", "职位"),
    "phone": ("手机号码", "手机号", "手机", "移动电话", "联系电话", "联系方式", "电话号码", "电话"),
    "group": ("小组", "分组", "组别", "所在小组", "组号"),
    "student_no": ("学号", "学员编号"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "身份证"),
}
LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "political_status": "政治面貌",
    "work_unit": "工作单位",
    "position": "职务",
    "phone": "手机号码",
    "group": "小组",
    "student_no": "学号",
    "id_number": "身份证号码",
}
_NOTE_START = re.compile(
    r"^(注\s*[:：\d]|注意|备注|说明|填表|制表|审核|联系人|报送|合计|共计|总计|小计|共\s*\d+\s*人|以上|附件|附表)"
)


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster. Nothing is imported."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list]]  # (row number as the user sees it, raw cell values)


@dataclass
class Problem:
    row: int | None
    message: str
    field: str = ""
    name: str = ""  # the row's name as written, so that a clerk finds the person as well as the row

    @property
    def where(self) -> str:
        if not self.row:
            return "文件"
        return f"第{self.row}行（{self.name}）" if self.name else f"第{self.row}行"

    def __str__(self):
        return f"{self.where}：{self.message}"


@dataclass
class RosterEntry:
    """One trainee as the file gives them, normalised."""

    row: int
    name: str
    phone: str
    gender: str = ""
    ethnicity: str = ""
    political_status: str = ""
    work_unit: str = ""
    position: str = ""
    group: str = ""
    student_no: str = ""
    id_number: str = ""
    given: frozenset = frozenset()  # the columns present in the file; absent ones are left alone


@dataclass
class RosterParse:
    sheet: str = ""
    header_row: int | None = None
    columns: dict = field(default_factory=dict)
    entries: list[RosterEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def column_labels(self) -> list[str]:
        return [LABELS[name] for name in self.columns]


# --- Reading -------------------------------------------------------------------------------------


def read_sheets(content: bytes, filename: str) -> list[Sheet]:
    """The sheets of an .xlsx file, or the one table of a .csv (UTF-8, UTF-8 with BOM, GBK/GB18030,
    or Excel's UTF-16 “Unicode text”)."""
    suffix = Path(filename).suffix.lower()
    if not content or not content.strip():
        raise RosterFileError("empty", "文件是空的。")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError("xls", "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入。")
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if suffix in {".xlsx", ".xlsm"}:
        raise RosterFileError("not_spreadsheet", "文件扩展名是 .xlsx，但内容不是 Excel 表格，可能已损坏。")
    if suffix in {".csv", ".txt", ""}:
        return [Sheet(Path(filename).stem or "CSV", _read_csv(content))]
    raise RosterFileError("unsupported", f"不支持 {suffix} 文件，请上传 .xlsx 或 .csv 格式的花名册。")


MAX_XLSX_UNPACKED_BYTES = 30 * 1024 * 1024  # a 5,000-row roster unpacks to about 2 MB; a zip bomb stops here
MAX_ROWS = 20_000
# A roster has a dozen columns; cells further right are not read (a sheet can declare a width of
# 16,384 columns that openpyxl would pad every row to: 4.9 KB of file, 2.7 GB of memory).
MAX_COLUMNS = 60


def _unpacked_size(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _row(values) -> list:
    """A row's values up to MAX_COLUMNS, with nothing kept for an empty one."""
    values = list(values[:MAX_COLUMNS])
    return values if any(value not in (None, "") for value in values) else []


def _read_xlsx(content: bytes) -> list[Sheet]:
    """Checks the unpacked size before openpyxl unpacks anything (it parses with defusedxml), reads
    no further right than MAX_COLUMNS and stops at MAX_ROWS rows as it reads, whatever size the
    sheet declares: memory follows the cells really there."""
    try:
        if _unpacked_size(content) > MAX_XLSX_UNPACKED_BYTES:
            raise RosterFileError("too_big", "文件解压后过大，不像是花名册，已拒绝。请检查文件或分批导入。")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise RosterFileError("not_spreadsheet", "文件不是有效的 Excel（.xlsx）表格，可能已损坏。") from exc
    try:
        sheets = []
        for ws in workbook.worksheets:
            rows = []
            for i, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
                if i > MAX_ROWS:
                    raise RosterFileError("too_many_rows", f"工作表“{ws.title}”超过 {MAX_ROWS} 行，请分批导入。")
                rows.append((i, _row(values)))
            sheets.append(Sheet(ws.title, rows))
        return sheets
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if b"\x00" in content:
        raise RosterFileError("binary", "文件不是表格：内容是二进制数据。请上传 .xlsx 或 .csv 格式的花名册。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError("encoding", "无法识别 CSV 文件的文字编码，请用 Excel 另存为 .xlsx 后再导入。")


def _read_csv(content: bytes) -> list[tuple[int, list]]:
    decoded = _decode(content)
    sample = "\n".join(decoded.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","  # Excel's “Unicode text” uses tabs
    rows = []
    try:
        for i, row in enumerate(csv.reader(io.StringIO(decoded), delimiter=delimiter), 1):
            if i > MAX_ROWS:
                raise RosterFileError("too_many_rows", f"文件超过 {MAX_ROWS} 行，请分批导入。")
            rows.append((i, _row(row)))
        return rows
    except csv.Error as exc:
        raise RosterFileError("not_spreadsheet", f"CSV 文件格式有误：{exc}") from exc


# --- Parsing -------------------------------------------------------------------------------------


def _header_key(value) -> str:
    label = unicodedata.normalize("NFKC", rules.text(value))
    label = re.sub(r"\(.*?\)|\[.*?\]", "", label)
    return re.sub(r"[\s*:：★]", "", label)


def find_columns(cells: list) -> dict[str, int]:
    """Which column holds which field, from one row of header cells; {} when it is not a header."""
    keys = [_header_key(cell) for cell in cells]
    columns = {}
    for field_name, names in COLUMNS.items():
        for name in names:
            if name in keys:
                columns[field_name] = keys.index(name)
                break
    return columns if "name" in columns and len(columns) >= 2 else {}


def parse_sheets(sheets: list[Sheet]) -> RosterParse:
    """Find the header row by its Chinese column names, then normalise and validate every row.
    Every problem is listed with its row number; rows that are only notes are skipped."""
    for sheet in sheets:
        for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
            columns = find_columns(cells)
            if columns:
                return _parse_rows(sheet, number, columns)
    raise RosterFileError(
        "no_header",
        f"找不到表头：前{HEADER_SEARCH_ROWS}行中没有“姓名”列。请确认花名册有“姓名”“手机号码”等列名。",
    )


def _parse_rows(sheet: Sheet, header_row: int, columns: dict[str, int]) -> RosterParse:
    parse = RosterParse(sheet=sheet.name, header_row=header_row, columns=columns)
    if "phone" not in columns:
        parse.problems.append(
            Problem(header_row, "缺少“手机号码”列（也可写作“手机号”“联系电话”），学员要用手机号登录。", "phone")
        )
        return parse
    given = frozenset(columns)
    seen: dict[str, dict[str, int]] = {"phone": {}, "student_no": {}, "id_number": {}}
    for number, cells in sheet.rows:
        if number <= header_row:
            continue
        raw = {name: (cells[index] if index < len(cells) else None) for name, index in columns.items()}
        kind = _row_kind(cells, raw, columns)
        if kind == "blank":
            continue
        if kind in {"note", "header"}:
            note = "重复的表头" if kind == "header" else f"说明或合计行（{_first_text(cells)[:20]}）"
            parse.skipped.append(Problem(number, f"{note}，已忽略"))
            continue
        entry, problems = _parse_row(number, raw, given)
        parse.problems.extend(problems)
        if entry is None:
            continue
        for key in seen:
            value = getattr(entry, key)
            if value and value in seen[key]:
                label = LABELS[key]
                parse.problems.append(Problem(number, f"{label}与第{seen[key][value]}行重复", key, entry.name))
            elif value:
                seen[key][value] = number
        parse.entries.append(entry)
    if not parse.entries and not parse.problems:
        parse.problems.append(Problem(None, "表头下面没有学员数据。"))
    return parse


def _first_text(cells: list) -> str:
    return next((rules.text(c) for c in cells if rules.text(c)), "")


def _row_kind(cells: list, raw: dict, columns: dict) -> str:
    """'blank', 'header' (repeated on a printed roster's every page), 'note' (a remark or total
    under the table) or 'row'. A row with data but no name is a 'row', so it is reported."""
    texts = [rules.text(c) for c in cells]
    if not any(texts):
        return "blank"
    if find_columns(cells) == columns:
        return "header"
    if not any(rules.text(value) for value in raw.values()):
        return "note"  # text only outside the roster's columns, e.g. a remark merged across the row
    if _NOTE_START.match(_first_text(cells)):
        return "note"
    if not rules.text(raw.get("name")) and any(re.search(r"[:：]", t) for t in texts):
        return "note"  # “联系电话：…” under the phone column
    return "row"


def _parse_row(number: int, raw: dict, given: frozenset) -> tuple[RosterEntry | None, list[Problem]]:
    values, problems = {}, []
    written_name = rules.text(raw.get("name"))[:20]
    normalisers = {
        "name": rules.normalize_name,
        "phone": rules.normalize_phone,
        "gender": rules.normalize_gender,
        "ethnicity": rules.normalize_ethnicity,
        "political_status": rules.normalize_political_status,
        "group": rules.normalize_group,
        "id_number": rules.normalize_id_number,
    }
    limits = {"work_unit": 100, "position": 50, "student_no": 20}
    for key in given:
        value = raw.get(key)
        if key in normalisers:
            try:
                values[key] = normalisers[key](value)
            except ValueError as exc:
                problems.append(Problem(number, str(exc), key, written_name))
        else:
            values[key] = rules.text(value)
            if len(values[key]) > limits[key]:
                problems.append(Problem(number, f"{LABELS[key]}超过{limits[key]}个字", key, written_name))
    if values.get("id_number"):
        from_id = rules.gender_from_id_number(values["id_number"])
        if not values.get("gender"):
            values["gender"] = from_id
        elif values["gender"] != from_id:
            problems.append(Problem(number, "性别与身份证号码不符", "gender", written_name))
    if problems:
        return None, problems
    return RosterEntry(row=number, given=given, **values), []


def parse_entry(raw: dict, *, row: int = 0) -> tuple[RosterEntry | None, list[Problem]]:
    """One person typed into a form (e.g. a unit's 报名 on a phone) under exactly the rules of a
    roster row: the same normalisers, limits and checks; only the keys given are read."""
    return _parse_row(row, raw, frozenset(raw))


def parse_roster(content: bytes, filename: str) -> RosterParse:
    return parse_sheets(read_sheets(content, filename))


# --- Planning an import --------------------------------------------------------------------------

TRAINEE_FIELDS = ("name", "gender", "ethnicity", "political_status", "work_unit", "position", "id_number")
ENROLLMENT_FIELDS = ("group", "student_no")


@dataclass(frozen=True)
class Registered:
    """A trainee already registered in the course's organization, as an import compares them."""

    pk: int
    phone: str
    name: str
    gender: str = ""
    ethnicity: str = ""
    political_status: str = ""
    work_unit: str = ""
    position: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class Enrolled:
    """A place already on the course's roster."""

    pk: int
    trainee_pk: int
    phone: str
    student_no: str
    group: str = ""


@dataclass
class ImportLine:
    entry: RosterEntry
    action: str  # create: new trainee; enroll: known trainee, new to the course; update; unchanged
    changes: list[str] = field(default_factory=list)

    ACTION_LABELS = {"create": "新增", "enroll": "加入本班", "update": "更新", "unchanged": "无变化"}

    @property
    def action_label(self):
        return self.ACTION_LABELS[self.action]


@dataclass(frozen=True)
class NewEnrollment:
    phone: str  # of a registered trainee or of one this import creates
    student_no: str
    group: str


@dataclass
class ImportPlan:
    """What an import would write. With problems, nothing else is planned."""

    problems: list[Problem] = field(default_factory=list)
    lines: list[ImportLine] = field(default_factory=list)
    new_trainees: dict[str, dict[str, str]] = field(default_factory=dict)  # phone -> the given fields
    trainee_changes: dict[int, dict[str, str]] = field(default_factory=dict)  # trainee pk -> new values
    enrollment_changes: dict[int, dict[str, str]] = field(default_factory=dict)  # enrollment pk -> new values
    new_enrollments: list[NewEnrollment] = field(default_factory=list)


def _import_conflicts(
    entries: list[RosterEntry], by_phone: dict[str, Registered], id_owner: dict[str, str], student_no_owner: dict
) -> list[Problem]:
    """Rows that are valid on their own but clash with someone already registered."""
    problems = []
    for entry in entries:
        known = by_phone.get(entry.phone)
        if known and known.name != entry.name:
            problems.append(
                Problem(
                    entry.row,
                    f"手机号码 {rules.mask_phone(entry.phone)} 已登记为本单位另一位学员，姓名不同；"
                    "同一手机号只能对应一人（如是本人改名，请先在学员信息中修改姓名）",
                    "phone",
                    entry.name,
                )
            )
        if entry.id_number and id_owner.get(entry.id_number, entry.phone) != entry.phone:
            problems.append(Problem(entry.row, "身份证号码已登记在本单位另一位学员名下", "id_number", entry.name))
        holder = student_no_owner.get(entry.student_no)
        if entry.student_no and holder and holder != entry.phone:
            problems.append(
                Problem(entry.row, f"学号 {entry.student_no} 已属于本班另一位学员", "student_no", entry.name)
            )
    return problems


def plan_import(
    entries: list[RosterEntry], *, registered: list[Registered], id_owner: dict[str, str], enrolled: list[Enrolled]
) -> ImportPlan:
    """Who is new, what changed and who joins the course, for the valid `entries` of a roster.

    `registered` are the organization's trainees with the entries' phones, `id_owner` maps the
    entries' ID numbers to the phone of the organization's trainee holding each, `enrolled` is the
    course's roster. A known person's empty cell leaves what is known alone (a re-import never
    blanks data); a new place without a student number gets the next free one."""
    by_phone = {known.phone: known for known in registered}
    places = {place.trainee_pk: place for place in enrolled}
    student_no_owner = {place.student_no: place.phone for place in enrolled}
    plan = ImportPlan(problems=_import_conflicts(entries, by_phone, id_owner, student_no_owner))
    if plan.problems:
        return plan
    for entry in entries:
        known = by_phone.get(entry.phone)
        given = [name for name in TRAINEE_FIELDS if name in entry.given]
        if known is None:
            plan.new_trainees[entry.phone] = {name: getattr(entry, name) for name in given}
            line = ImportLine(entry, "create")
        else:
            changes = [name for name in given if getattr(entry, name) and getattr(entry, name) != getattr(known, name)]
            if changes:
                plan.trainee_changes[known.pk] = {name: getattr(entry, name) for name in changes}
            line = ImportLine(entry, "update" if changes else "unchanged", [LABELS[c] for c in changes])
        place = places.get(known.pk) if known else None
        if place is None:
            plan.new_enrollments.append(NewEnrollment(entry.phone, entry.student_no, entry.group))
            if line.action != "create":
                line.action = "enroll"
        else:
            changes = [
                name
                for name in ENROLLMENT_FIELDS
                if getattr(entry, name) and getattr(entry, name) != getattr(place, name)
            ]
            if changes:
                plan.enrollment_changes[place.pk] = {name: getattr(entry, name) for name in changes}
                line.action = "update"
                line.changes += [LABELS[c] for c in changes]
        plan.lines.append(line)
    used = list(student_no_owner) + [new.student_no for new in plan.new_enrollments if new.student_no]
    fresh = iter(rules.next_student_numbers(used, sum(1 for new in plan.new_enrollments if not new.student_no)))
    plan.new_enrollments = [
        new if new.student_no else NewEnrollment(new.phone, next(fresh), new.group) for new in plan.new_enrollments
    ]
    return plan
