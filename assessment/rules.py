"""结业考核 decisions as pure functions of plain values: the default items, the weights' check,
平时表现 from attendance figures, the weighted total with its reasons, and the reading of a score
file's rows."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TEST, ESSAY, SPEECH, DISCUSSION, EVERYDAY = "test", "essay", "speech", "discussion", "everyday"
KIND_LABELS = {
    TEST: "结业测试",
    ESSAY: "学习心得",
    SPEECH: "交流发言",
    DISCUSSION: "小组讨论",
    EVERYDAY: "平时表现",
}
KINDS = tuple(KIND_LABELS)
ENTERED = (TEST, SPEECH, DISCUSSION)  # marked by staff in the score grid (心得 is graded on its own page)
DEFAULT_PASS_MARK = Decimal("60")
# 党校 style: 考试成绩 60% (here the test 40 and the essay 20) and 平时成绩 40%.
DEFAULT_WEIGHTS = {TEST: 40, ESSAY: 20, SPEECH: 0, DISCUSSION: 0, EVERYDAY: 40}
MAX_SCORE = Decimal("100")
ONE_PLACE = Decimal("0.1")

# 平时表现: what each fact takes off the attendance share (points of 100).
LATE_POINTS = Decimal("2")
EARLY_POINTS = Decimal("2")
ABSENCE_POINTS = Decimal("5")
DISCIPLINE_FACTOR = Decimal("2")  # per 违纪扣分 point


@dataclass(frozen=True)
class Item:
    """One assessment item as the rule reads it: its kind, weight (percent of the total) and its
    own pass mark (None: only the total counts)."""

    kind: str
    weight: int
    pass_mark: Decimal | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Assessment:
    """The result: `total` the weighted sum of the items graded so far (the final total once
    nothing is pending); `passed` only when every item is graded and no rule fails; `reasons` why
    not; `lasting` the reasons no pending grade can mend; `pending` the labels of the items not yet
    graded; `still_possible` whether grading them could still bring a pass."""

    total: Decimal
    passed: bool
    reasons: tuple[str, ...]
    pending: tuple[str, ...]
    still_possible: bool
    lasting: tuple[str, ...] = ()


def fmt(value: Decimal) -> str:
    """57.5 → "57.5", 60.0 → "60"."""
    text = f"{value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP):f}"
    return text.removesuffix(".0")


def weights_problem(weights: Mapping[str, int]) -> str:
    """Why a set of weights cannot stand ("" when it can): they add up to 100, or all are 0 (the
    course is not assessed)."""
    total = sum(weights.values())
    if total in (0, 100):
        return ""
    return f"各考核项目的权重合计须为 100%，现在是 {total}%。不设考核时请全部填 0。"


def everyday_score(
    *,
    attended_hours: Decimal,
    total_hours: Decimal,
    lates: int,
    early_leaves: int,
    absences: int,
    discipline_points: int,
) -> Decimal:
    """平时表现 (0–100, one decimal): 100 × the share of the course's 学时 attended (100 when the
    course has none yet), minus 2 per 迟到, 2 per 早退, 5 per 缺勤 and 2 per 违纪扣分 point;
    never below 0. Approved leave costs only its hours."""
    share = attended_hours / total_hours if total_hours else Decimal("1")
    score = MAX_SCORE * min(share, Decimal("1"))
    score -= LATE_POINTS * lates + EARLY_POINTS * early_leaves + ABSENCE_POINTS * absences
    score -= DISCIPLINE_FACTOR * discipline_points
    return max(Decimal("0"), score).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def assess(items: Sequence[Item], scores: Mapping[str, Decimal | None], pass_mark: Decimal) -> Assessment:
    """The weighted total of `scores` (kind → 0–100, None or missing: not graded yet) and whether it
    passes: every graded item at or above its own pass mark, and, once all are graded, the total at
    or above `pass_mark`. Ungraded items make the result pending, not failed; `still_possible` says
    whether full marks on them could still bring a pass."""
    total, best = Decimal("0"), Decimal("0")
    reasons, lasting, pending = [], [], []
    for item in items:
        score = scores.get(item.kind)
        if score is None:
            pending.append(item.label)
            reasons.append(f"{item.label}尚未评分")
            best += item.weight * MAX_SCORE / 100
            continue
        total += item.weight * score / 100
        best += item.weight * score / 100
        if item.pass_mark is not None and score < item.pass_mark:
            lasting.append(f"{item.label} {fmt(score)} 分，低于及格线 {fmt(item.pass_mark)} 分")
    total = total.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    if not pending and total < pass_mark:
        lasting.append(f"考核总评 {fmt(total)} 分，不足 {fmt(pass_mark)} 分")
    elif pending and best < pass_mark:
        lasting.append(f"即使{'、'.join(pending)}满分，考核总评也不足 {fmt(pass_mark)} 分")
    reasons = lasting + reasons
    return Assessment(total, not reasons, tuple(reasons), tuple(pending), not lasting, tuple(lasting))


def assessment_words(items: Sequence[Item], scores: Mapping[str, Decimal | None], result: Assessment) -> str:
    """The assessment in one line for paper (the 结业鉴定表, the 总结): every item's score, then the
    total and the outcome — "结业测试 86 分，学习心得 90 分，平时表现 95 分；考核总评 89.4 分，合格"."""
    marks = "，".join(
        f"{item.label} {fmt(scores[item.kind])} 分" if scores.get(item.kind) is not None else f"{item.label}尚未评分"
        for item in items
    )
    if result.pending and result.still_possible:
        outcome = "待全部评分后确定"
    else:
        outcome = "合格" if result.passed else "不合格"
    return f"{marks}；考核总评 {fmt(result.total)} 分，{outcome}"


# --- Score files ----------------------------------------------------------------------------------

HEADERS = {
    "name": ("姓名", "学员姓名", "名字"),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "电话"),
    "student_no": ("学号", "编号"),
    "score": ("成绩", "分数", "得分", "测试成绩", "结业测试", "考试成绩"),
}


@dataclass(frozen=True)
class Person:
    """Someone on the roster as a score file may name them."""

    key: int  # the enrollment
    name: str
    phone: str
    student_no: str


@dataclass
class ScoreParse:
    scores: dict[int, Decimal] = field(default_factory=dict)  # enrollment → score
    problems: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def score_value(text: str) -> Decimal | None:
    """A score as typed (0–100, at most one decimal), or None when it is not one."""
    try:
        value = Decimal(text.replace("分", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value > MAX_SCORE or value != value.quantize(ONE_PLACE):
        return None
    return value


def header_columns(cells: Sequence) -> dict[str, int]:
    """Which column holds what, from a header row; {} when the row is not a header."""
    found = {}
    for index, cell in enumerate(cells):
        text = _text(cell).replace(" ", "").replace("\u3000", "")
        for key, names in HEADERS.items():
            if text in names and key not in found:
                found[key] = index
    return found if "score" in found and len(found) > 1 else {}


def parse_scores(rows: Iterable[tuple[int, Sequence]], people: Sequence[Person]) -> ScoreParse:
    """Reads a score file's rows ((row number, cells)): a header row with 成绩 and 姓名, 手机号 or 学号,
    then one person per row. A row is matched by 学号, else 手机号, else a name unique on the roster.
    Every problem names the row and the person; the caller writes nothing while there are any."""
    result = ScoreParse()
    rows = list(rows)
    columns, start = {}, 0
    for position, (_, cells) in enumerate(rows[:20]):
        columns = header_columns(cells)
        if columns:
            start = position + 1
            break
    if not columns:
        result.problems.append("文件中找不到表头：需要“成绩”一列，以及“姓名”“手机号”或“学号”中的至少一列。")
        return result
    by_no = {p.student_no: p for p in people if p.student_no}
    by_phone = {p.phone: p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(p.name, []).append(p)
    seen: dict[int, int] = {}

    def cell(cells, key):
        index = columns.get(key)
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in rows[start:]:
        name, phone, no, raw = (cell(cells, k) for k in ("name", "phone", "student_no", "score"))
        if not any((name, phone, no, raw)):
            continue
        where = f"第{number}行（{name or phone or no}）"
        person = None
        if no:
            person = by_no.get(no)
            if person is None:
                result.problems.append(f"{where}：学号 {no} 不在本班花名册中。")
                continue
        elif phone:
            person = by_phone.get(phone.replace(" ", "").replace("-", ""))
            if person is None:
                result.problems.append(f"{where}：手机号 {phone} 不在本班花名册中。")
                continue
        elif name:
            matches = by_name.get(name, [])
            if len(matches) != 1:
                result.problems.append(
                    f"{where}：花名册中{'没有' if not matches else '有不止一位'}叫“{name}”的学员，请填写学号或手机号。"
                )
                continue
            person = matches[0]
        else:
            result.problems.append(f"第{number}行：没有姓名、手机号或学号，无法知道是谁的成绩。")
            continue
        if name and person.name != name:
            result.problems.append(f"{where}：姓名与花名册不符（花名册中是“{person.name}”）。")
            continue
        score = score_value(raw)
        if score is None:
            message = "没有填写成绩" if not raw else f"成绩“{raw}”不是 0 到 100 之间的分数（最多一位小数）"
            result.problems.append(f"{where}：{message}。")
            continue
        if person.key in seen:
            result.problems.append(f"{where}：与第{seen[person.key]}行是同一位学员，成绩重复。")
            continue
        seen[person.key] = number
        result.scores[person.key] = score
    if not result.scores and not result.problems:
        result.problems.append("文件中没有成绩。")
    return result
