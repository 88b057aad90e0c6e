"""Pure decisions of the paper side: how dates, lecturers and completion read on paper, and the
sizes that make names, titles and tables fit an A4 page. Plain values in, plain values out, so the
selectors stay plain and the tests need no database and no PDF.

Sizes are in millimetres and points (1 pt = 0.3528 mm). CJK characters are one em wide; counting
every character of a name as one em (the middle dot and Latin letters are narrower) errs on the
side of room.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from completion.rules import Completion
from core import formats

PT_MM = 0.3528
WEEKDAYS = "一二三四五六日"


def text_mm(chars: int, pt: float) -> float:
    """The width of `chars` full-width characters at `pt` points."""
    return chars * pt * PT_MM


def fit_pt(chars: int, width_mm: float, *, largest: float, lines: int = 1, slack: float = 1.0) -> float:
    """The largest size up to `largest` at which `chars` characters fit `width_mm` in `lines`
    lines; `slack` above 1 leaves room for a line that breaks early (before a closing bracket,
    between Latin letters). Rounded down to a tenth of a point."""
    if chars <= 0:
        return largest
    size = width_mm * lines / (chars * PT_MM * slack)
    return min(largest, int(size * 10) / 10)


# --- Dates and times ------------------------------------------------------------------------------


def weekday(day: date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def session_when(day: date, start: time, end: time) -> str:
    """2026年4月14日（星期二）上午 08:30–10:30, for the head of a sign-in sheet."""
    return f"{formats.document_date(day)}（{weekday(day)}）{formats.day_part(start)} {start:%H:%M}–{end:%H:%M}"


# --- Lecturers --------------------------------------------------------------------------------------

# Words a bare title ends with, so "李明 教授" is read as name then title, not the other way round.
_TITLE_ENDINGS = (
    "教授",
    "讲师",
    "老师",
    "主席",
    "书记",
    "主任",
    "局长",
    "部长",
    "处长",
    "科长",
    "院长",
    "校长",
    "会长",
    "组长",
    "委员",
    "经理",
    "干事",
    "律师",
    "研究员",
    "专家",
    "同志",
)
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]+(?:·[\u3400-\u9fff]+)+")


def _is_name(token: str) -> bool:
    return bool(_NAME.fullmatch(token)) and len(token) <= 15 and not token.endswith(_TITLE_ENDINGS)


def lecturer_label(lecturer: str) -> str:
    """授课人 as 姓名（职务）: sessions store “县总工会党组书记 王建国” (title, space, name) as the form
    asks, sometimes “王建国 教授”. A bare name, several people or anything else not made of a title
    and one name is left as typed."""
    parts = lecturer.split()
    if len(parts) < 2:
        return lecturer.strip()
    if _is_name(parts[-1]):
        return f"{parts[-1]}（{' '.join(parts[:-1])}）"
    if _is_name(parts[0]):
        return f"{parts[0]}（{' '.join(parts[1:])}）"
    return " ".join(parts)


# --- Lecture fees (讲课费签收单) ----------------------------------------------------------------------

TAX_NONE, TAX_LABOR = "none", "labor"  # training.Organization.lecture_tax_rule
CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def labor_tax(amount: Decimal) -> Decimal:
    """个人所得税 withheld from one payment of 劳务报酬 (预扣率表二): up to 800 元 nothing; up to
    4000 元, (amount − 800) × 20%; above, amount × 80% is taxable at 20% — 30% less 2000 above
    20000 taxable, 40% less 7000 above 50000. One payment is everything one lecturer is paid for
    one course."""
    if amount <= 800:
        return Decimal("0.00")
    taxable = amount - 800 if amount <= 4000 else amount * Decimal("0.8")
    if taxable > 50000:
        return _cents(taxable * Decimal("0.4") - 7000)
    if taxable > 20000:
        return _cents(taxable * Decimal("0.3") - 2000)
    return _cents(taxable * Decimal("0.2"))


@dataclass(frozen=True)
class Fee:
    """One lecturer's line of the fee sheet. Without a rate, amount, tax and net are None (left
    blank to fill in by hand); without a tax rule, tax and net are None."""

    hours: Decimal
    rate: Decimal | None
    amount: Decimal | None
    tax: Decimal | None
    net: Decimal | None
    over_cap: bool


def lecture_fee(*, hours: Decimal, rate: Decimal | None, cap: Decimal | None, tax_rule: str) -> Fee:
    """The fee of `hours` 学时 at `rate` 元/学时, rounded to the fen; flagged when the rate is above
    `cap`; tax withheld by `tax_rule` (TAX_NONE leaves tax and net blank)."""
    over = rate is not None and cap is not None and rate > cap
    if rate is None:
        return Fee(hours, None, None, None, None, over)
    amount = _cents(hours * rate)
    if tax_rule != TAX_LABOR:
        return Fee(hours, rate, amount, None, None, over)
    tax = labor_tax(amount)
    return Fee(hours, rate, amount, tax, amount - tax, over)


def money(value: Decimal | None) -> str:
    """An amount as the sheet prints it: 1,000.00; blank for None."""
    return "" if value is None else f"{value:,.2f}"


# --- Completion on paper ------------------------------------------------------------------------------

ELIGIBLE, NOT_ELIGIBLE, POSSIBLE, LOST = "eligible", "not_eligible", "possible", "lost"


@dataclass(frozen=True)
class Outlook:
    kind: str  # ELIGIBLE, NOT_ELIGIBLE (the course is over, or an organizer decided), POSSIBLE, LOST
    label: str
    reasons: str


def completion_outlook(completion: Completion, *, finished: bool, override: tuple[bool, str] | None = None) -> Outlook:
    """How a trainee's completion reads in the report. Once every session has ended: 可结业 or
    不可结业 with every reason. While the course runs, sessions still ahead are not a reason:
    进行中（仍可结业）, or 已无法结业 with only the reasons attending the rest cannot mend. An
    organizer's decision (eligible, reason) stands either way."""
    if override is not None:
        eligible, reason = override
        return Outlook(
            ELIGIBLE if eligible else NOT_ELIGIBLE, "可结业" if eligible else "不可结业", f"组织者认定：{reason}"
        )
    if finished:
        if completion.eligible:
            return Outlook(ELIGIBLE, "可结业", "")
        return Outlook(NOT_ELIGIBLE, "不可结业", "；".join(completion.reasons))
    if completion.still_possible:
        return Outlook(POSSIBLE, "进行中（仍可结业）", "")
    return Outlook(LOST, "已无法结业", "；".join(completion.lasting))


def outlook_totals(kinds: list[str], *, finished: bool) -> list[tuple[str, int]]:
    """The report's head count: 可结业 / 不可结业 once the course is over; while it runs, 仍可结业
    (an organizer's yes included) / 已无法结业 (an organizer's no included)."""
    yes = sum(1 for k in kinds if k in (ELIGIBLE, POSSIBLE))
    if finished:
        return [("可结业", yes), ("不可结业", len(kinds) - yes)]
    return [("仍可结业", yes), ("已无法结业", len(kinds) - yes)]


# --- Tables across pages ---------------------------------------------------------------------------------

KEEP_ROWS = 5


def row_bands(count: int, keep: int = KEEP_ROWS) -> list[tuple[int, int, bool]]:
    """A table's rows as (start, stop, keep together) bands so that no page holds fewer than `keep`
    of its rows: the first and the last `keep` rows each stay together (WeasyPrint honours
    break-inside: avoid on a row group, not orphans and widows on rows), so the table's first page
    and its last page hold at least `keep`; a page in between is full. A table of fewer than
    2 × `keep` rows stays whole."""
    if count < 2 * keep:
        return [(0, count, True)] if count else []
    bands = [(0, keep, True)]
    if count > 2 * keep:
        bands.append((keep, count - keep, False))
    bands.append((count - keep, count, True))
    return bands


# --- Sign-in sheet ----------------------------------------------------------------------------------------

SIGNIN_ONE_PAGE = 30  # trainees a sheet holds on one A4 page
# The rows' share of the first page: A4 less the margins (8 + 10 mm), the head with a one-line course
# name and three lines of particulars beside the 22 mm QR (27.5 mm), the column titles (6.5 mm), the
# foot (13 mm) and 2 mm to spare. Each further line of the head takes SIGNIN_HEAD_LINE_MM from it.
SIGNIN_BODY_MM = 230.0
SIGNIN_HEAD_LINE_MM = 4.6
SIGNIN_ROW_BORDER_MM = 0.15


def lines(chars: int, width_mm: float, pt: float) -> int:
    """How many lines `chars` characters take in `width_mm` at `pt`, with a little room for a
    line that breaks early."""
    return max(1, math.ceil(text_mm(chars, pt) * 1.05 / width_mm))


def signin_row_mm(rows: int, *, extra_head_lines: int = 0) -> float:
    """Row height of the sign-in sheet: roomy for a small class (9.5 mm), at least 8 mm up to 28
    rows, shrunk so that up to SIGNIN_ONE_PAGE rows fill one page (7.5 mm for 30), 8.5 mm when the
    sheet runs over pages anyway. A head that wraps (a 60-character course name) leaves less."""
    if rows > SIGNIN_ONE_PAGE:
        return 8.5
    body = SIGNIN_BODY_MM - SIGNIN_HEAD_LINE_MM * extra_head_lines
    return math.floor(min(9.5, body / max(rows, 1) - SIGNIN_ROW_BORDER_MM) * 100) / 100


@dataclass(frozen=True)
class SigninColumns:
    """Column widths of the sign-in sheet in mm (A4 portrait, 10 mm side margins: 190 mm). The
    signature columns are at least 35 mm; 工作单位 takes what is left."""

    no: float
    name: float
    unit: float
    group: float
    sign: float
    checkout: float  # 0 without a 签退 column
    note: float


SIGNIN_WIDTH_MM = 190.0
CELL_PADDING_MM = 2.4  # 1.2 mm each side (templates/pdf/_base.html)
NAME_PT = 10.0
ONE_LINE_PT = 7.0


def signin_columns(*, longest_name: int, checkout: bool) -> SigninColumns:
    name = min(30.0, max(16.0, text_mm(longest_name, NAME_PT) + CELL_PADDING_MM + 0.6))
    no = 12.0
    group, sign, out, note = (12.0, 35.5, 35.5, 12.0) if checkout else (12.0, 46.0, 0.0, 18.0)
    unit = SIGNIN_WIDTH_MM - 8.0 - no - name - group - sign - out - note  # 8 mm: 序号
    return SigninColumns(no, round(name, 1), round(unit, 1), group, sign, out, note)


def cell_pt(chars: int, width_mm: float, *, largest: float, lines: int = 1, smallest: float = 6.5) -> float:
    """Font size for a table cell: `largest` when the text fits one line; a little smaller (down to
    ONE_LINE_PT) to keep it on one line; else small enough to fit `lines` lines, never below
    `smallest` (the row then grows a line rather than overflow)."""
    inner = width_mm - CELL_PADDING_MM - 0.8  # 0.8 mm for the borders and rounding
    one_line = fit_pt(chars, inner, largest=largest)
    if lines == 1 or one_line >= min(largest, ONE_LINE_PT):
        return max(smallest, one_line)
    return max(smallest, fit_pt(chars, inner, largest=largest, lines=lines, slack=1.08))


# --- Titles and desk cards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """A title as printed: its lines (a <br> between them), then `suffix` (考勤报告, 课程表), which is
    never split, at `size` points."""

    lines: tuple[str, ...]
    suffix: str
    size: float


_BREAK_AFTER = "、，,；：）"
_BREAK_BEFORE = ("暨", "（")
TITLE_SLACK = 1.15  # the titles' letter-spacing (0.1 em, templates/pdf/report.html, timetable.html) and room to spare


def title_lines(
    text: str, width_mm: float, *, suffix: str = "", largest: float = 17.0, smallest: float = 12.0
) -> Title:
    """A document title that fits the type area: one line at `largest` when it can; otherwise two
    lines split by meaning, after a 、 or ，, or before 暨 or （, where the two lines come out most
    even, at the size at which the longer fits one line; failing that (no such place, or the lines
    too uneven), one text wrapping over two lines, small enough to fit them. Never below
    `smallest`: a title longer than the form allows wraps to a third line rather than overflow."""
    full = len(text) + len(suffix)
    if text_mm(full, largest) * TITLE_SLACK <= width_mm:
        return Title((text,), suffix, largest)
    splits = [
        i
        for i in range(1, len(text))
        if text[i - 1] in _BREAK_AFTER or (text.startswith(_BREAK_BEFORE, i) and text[i - 1] != "（")
    ]
    if splits:
        split = min(splits, key=lambda i: max(i, full - i))
        longer = max(split, full - split)
        size = fit_pt(longer, width_mm, largest=largest, slack=TITLE_SLACK)
        if longer <= 0.7 * full and size >= smallest:
            return Title((text[:split], text[split:]), suffix, size)
    return Title((text,), suffix, max(smallest, fit_pt(full, width_mm, largest=largest, lines=2, slack=TITLE_SLACK)))


ISSUER_WIDTH_MM = 156  # the 公文 type area
ISSUER_SLACK = 1.2  # the organ name's letter-spacing (0.19 em, templates/pdf/bulletin.html) and room to spare
_REGION_ENDS = "省市区州县盟旗"


def issuer_lines(name: str, *, largest: float = 42.0, smallest: float = 26.0) -> Title:
    """The 发文机关标志 in red over the type area's width: one line when it fits at `smallest` or
    larger; else two lines, split after a region (…自治区 / …自治州总工会) nearest the middle, or in
    the middle, each as large as the longer allows."""
    one = fit_pt(len(name), ISSUER_WIDTH_MM, largest=largest, slack=ISSUER_SLACK)
    if one >= smallest or len(name) < 2:
        return Title((name,), "", one)
    middle = len(name) / 2
    ends = [i for i in range(2, len(name) - 1) if name[i - 1] in _REGION_ENDS]
    split = min(ends, key=lambda i: abs(i - middle)) if ends else round(middle)
    if ends and max(split, len(name) - split) > 0.7 * len(name):
        split = round(middle)
    longer = max(split, len(name) - split)
    return Title((name[:split], name[split:]), "", fit_pt(longer, ISSUER_WIDTH_MM, largest=largest, slack=ISSUER_SLACK))


DESK_WIDTH_MM = 210 - 2 * 8  # A4 portrait less 8 mm each side, which every printer prints


def desk_name_style(chars: int) -> tuple[float, float]:
    """(font size, letter spacing) in points for a desk card name: 80 pt spaced out for a short
    name; a long one (阿卜杜热合曼·买买提) shrinks to the width between the 8 mm margins, its
    spacing shrinking with it."""
    chars = max(chars, 1)
    size = fit_pt(chars, DESK_WIDTH_MM, largest=80.0, slack=1.05)
    room = DESK_WIDTH_MM / PT_MM / chars - size  # what is left per character
    spacing = min(12.0, room * 0.8)
    return size, round(max(0.0, spacing), 1)


def duplex_sheets(items: list, *, per_row: int, per_page: int) -> list[tuple[list, list]]:
    """Cards printed on both sides of the paper, turned over on the long edge: each sheet's fronts
    in reading order and its backs in the order that puts each back behind its front — every row
    read right to left, with a blank (None) where the front row has no card."""
    sheets = []
    for start in range(0, len(items), per_page):
        fronts = items[start : start + per_page]
        backs = []
        for row in range(0, len(fronts), per_row):
            cells = fronts[row : row + per_row]
            backs += [None] * (per_row - len(cells)) + cells[::-1]
        sheets.append((fronts, backs))
    return sheets


def hours_proof_text(
    *,
    name: str,
    gender: str,
    id_number: str,
    unit: str,
    dates: str,
    organization: str,
    venue: str,
    course: str,
    total: str,
    hours: str,
    result: str,
) -> str:
    """The body of a 学时证明 from plain words: who (with gender, unit and ID number where known),
    when, where and what, the hours due and earned, and the result — 结业 ("经考核合格，准予结业"),
    未结业, or 培训中 (the hours so far)."""
    who = "，".join(part for part in (gender, unit, f"身份证号码 {id_number}" if id_number else "") if part)
    held = f"在{venue}" if venue else ""
    text = f"兹证明{name}同志{f'（{who}）' if who else ''}于{dates}参加{organization}{held}举办的{course}"
    if result == "培训中":
        return f"{text}，培训尚未结束，至今已修{hours}学时（应修{total}学时）。"
    closing = "经考核合格，准予结业" if result == "结业" else "未达到结业要求，未结业"
    return f"{text}，应修{total}学时，实修{hours}学时，{closing}。"


def birth_month(id_number: str) -> str:
    """出生年月 from an 18-digit 居民身份证号码 (1994年12月), or "" when there is none to read."""
    digits = id_number.strip()
    if len(digits) != 18 or not digits[:17].isdigit():
        return ""
    year, month = int(digits[6:10]), int(digits[10:12])
    return f"{year}年{month}月" if 1900 <= year <= 2100 and 1 <= month <= 12 else ""


def box_text_size(text: str, *, width_mm: float, height_mm: float, sizes=(11, 10, 9, 8), leading=1.4) -> float:
    """The largest type size (pt) at which `text` surely fits a fixed box of a printed form (every
    character a full em, each line break starting a new line), else the smallest."""
    for size in sizes:
        per_line = max(1, int(width_mm / (size * PT_MM)) - 2)  # the indent of the first line
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.splitlines() or [""])
        if lines * size * PT_MM * leading <= height_mm:
            return size
    return sizes[-1]


_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def summary_parts(body: str) -> list[tuple[str, str]]:
    """The edited text of a 总结 as ('heading', …) for a line starting 一、 (set in 黑体) and
    ('paragraph', …) for every other line that is not blank."""
    return [
        ("heading" if _HEADING.match(line) else "paragraph", line) for line in map(str.strip, body.splitlines()) if line
    ]


def quoted(text: str, outer: str = "“”", inner: str = "‘’") -> str:
    """Text in quotation (or book-title) marks, the marks inside it turned into the inner kind as
    Chinese nests them: “青山经济开发区‘职工之家’建设”, 《〈中华人民共和国工会法〉解读》."""
    return f"{outer[0]}{text.replace(outer[0], inner[0]).replace(outer[1], inner[1])}{outer[1]}"


def assessment_sentence(*, assessed: int, graded: list[Decimal], passed: int) -> str:
    """The 总结's line on the assessment: how many were fully graded, the mean total and how many
    passed; "" when the course is not assessed."""
    if not assessed:
        return ""
    if not graded:
        return "结业考核尚未评分。"
    mean = (sum(graded) / len(graded)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    waiting = f"，{assessed - len(graded)}人尚有考核项目未评分" if assessed > len(graded) else ""
    return f"结业考核总评平均{formats.hours(mean)}分，{passed}人考核合格，{len(graded) - passed}人不合格{waiting}。"


def _programme_item(title: str, lecturer: str) -> str:
    """《〈工会法〉解读》（孙立新主讲）: the title in book-title marks, and who taught it."""
    title = quoted(title, "《》", "〈〉")
    label = lecturer_label(lecturer)
    name = label.split("（")[0] if label else ""
    return f"{title}（{name}主讲）" if name and _is_name(name) else title


def summary_draft(facts: dict) -> str:
    """The first draft of the 培训班总结 from the course's figures, in the parts a federation's
    总结 has: 基本情况, 培训内容, 出勤和纪律, 考核和结业, 教学评估, 问题和建议. What only the organizer
    knows (the theme, the highlights, the problems) is left as a bracketed prompt to replace."""
    kinds = "、".join(f"{label}{count}个" for label, count in facts["kinds"])
    lines = [
        "一、基本情况",
        f"{facts['dates']}，{facts['organization']}{'在' + facts['venue'] if facts['venue'] else ''}举办{facts['course']}。"
        f"来自{len(facts['units'])}个单位的{facts['enrolled']}名学员参加培训。培训共安排{facts['sessions']}个课次、"
        f"{facts['hours']}学时{'，其中' + kinds if kinds else ''}。",
        "二、培训内容",
        "（请补充本期培训的主题和安排思路。）课程包括："
        + "；".join(_programme_item(title, lecturer) for title, lecturer in facts["programme"])
        + "。",
        "三、学员出勤和纪律情况",
        f"全班到课率{facts['rate']}，迟到{facts['late']}人次，早退{facts['early']}人次，缺勤{facts['absent']}人次，"
        f"请假{facts['leave']}人次。培训期间记录违纪{facts['records']}起，发布纪律通报{facts['bulletins']}期。",
        "四、考核和结业情况",
        "，".join(f"{label}{count}人" for label, count in facts["outcome"])
        + (f"，颁发结业证书{facts['certificates']}本。" if facts["certificates"] else "。")
        + facts.get("assessment", ""),
        "五、教学评估情况",
    ]
    if facts["evaluation_overall"] != "—":
        evaluation = (
            f"学员对培训班的总体评价均分{facts['evaluation_overall']}分（满分{facts['evaluation_scale']}分），"
            f"各课次参评率{facts['evaluation_rate']}"
            + (f"，课次评价平均{facts['sessions_overall']}分" if facts["sessions_overall"] != "—" else "")
            + "。"
        )
        for label, texts in facts["comments"]:
            if texts:
                said = "、".join(quoted(text.rstrip("。；;.")) + (f"（{n}人）" if n > 1 else "") for text, n in texts)
                evaluation += f"{label}：{said}。"
    else:
        evaluation = "本期培训未开展评教，或评教尚未截止。"
    lines += [
        evaluation,
        "六、存在的问题和建议",
        "（请根据实际情况填写培训中存在的问题和下一步改进的建议。）",
    ]
    return "\n".join(lines)
