"""评教 decisions as pure functions of plain values: the default forms, which form a session gets,
when an evaluation is open, what a valid answer is, per-item means, and how an organizer's lines
become items."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import methodcaller

from core.errors import DomainError
from core.text import has_control_characters

COMMENT_MAX = 500
ITEM_LABEL_MAX = 30
MAX_ITEMS = 12
MAX_QUESTIONS = 4

# --- The default forms (data: the organizer adjusts them per course) -----------------------------------


@dataclass(frozen=True)
class Template:
    title: str
    items: tuple[tuple[str, str], ...]
    questions: tuple[tuple[str, str], ...]


TEMPLATES = {
    # The five items Party schools score a lecture on.
    "lecture": Template(
        "专题讲座评价表",
        (
            ("targeted", "针对性"),
            ("theory", "理论性"),
            ("information", "信息量"),
            ("language", "语言表达"),
            ("manner", "教风教态"),
        ),
        (("comment", "意见和建议"),),
    ),
    "field": Template(
        "现场教学评价表",
        (
            ("site", "教学点典型性"),
            ("explanation", "讲解清晰度"),
            ("interaction", "互动交流"),
            ("organization", "组织安排"),
            ("gain", "收获与启发"),
        ),
        (("comment", "意见和建议"),),
    ),
    "course": Template(
        "培训班总体评价表",
        (
            ("curriculum", "课程设置"),
            ("teachers", "师资水平"),
            ("management", "组织管理"),
            ("logistics", "食宿等后勤服务"),
            ("overall", "总体满意度"),
        ),
        (("best_course", "收获最大的课程"), ("suggestions", "意见建议")),
    ),
}

# Which form a session of each kind is evaluated with; other kinds (开班式, 分组讨论, 考试, 结业式)
# are not evaluated on their own: the course form covers them.
FORM_FOR_SESSION = {"lecture": "lecture", "site_visit": "field"}


def template_rows(kind: str) -> dict:
    """The default form of a kind as the model's field values."""
    template = TEMPLATES[kind]
    return {
        "title": template.title,
        "scale": 5,
        "items": [{"key": k, "label": label} for k, label in template.items],
        "questions": [{"key": k, "label": label} for k, label in template.questions],
    }


def form_kind_for_session(session_kind: str) -> str | None:
    return FORM_FOR_SESSION.get(session_kind)


# --- When an evaluation is open ------------------------------------------------------------------------

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


def session_window(*, ends_at: datetime, opens_before_minutes: int, close_hours: int) -> tuple[datetime, datetime]:
    """A session's evaluation opens in its last minutes (the classroom screen may switch to the
    evaluation QR) and closes a fixed number of hours after it ends: a fixed span rather than a
    clock time, so that an evening session gets as long as a morning one."""
    return ends_at - timedelta(minutes=opens_before_minutes), ends_at + timedelta(hours=close_hours)


def course_window(*, last_day_starts: datetime, last_session_ends: datetime, close_hours: int):
    """The course form opens at the start of the last day and closes with the last session's
    (counted from the start of the last day when no session is on it, so it is never closed
    before it opens)."""
    return last_day_starts, max(last_session_ends, last_day_starts) + timedelta(hours=close_hours)


def window_state(now: datetime, opens: datetime, closes: datetime) -> str:
    if now < opens:
        return UPCOMING
    return OPEN if now < closes else CLOSED


def reopens(now: datetime, before: tuple[datetime, datetime], after: tuple[datetime, datetime]) -> bool:
    """Whether moving an evaluation's window from `before` to `after` (opens, closes) would open
    again one that has closed."""
    return window_state(now, *before) == CLOSED and window_state(now, *after) != CLOSED


def window_problem(now: datetime, opens: datetime, closes: datetime) -> DomainError | None:
    state = window_state(now, opens, closes)
    if state == UPCOMING:
        return DomainError("not_open", f"评价还没有开始，{opens.month}月{opens.day}日 {opens:%H:%M} 起可以评价。")
    if state == CLOSED:
        return DomainError("closed", "评价已经截止，不能再提交。")
    return None


# --- What a valid answer is ----------------------------------------------------------------------------


def clean_answer(*, items: list[dict], questions: list[dict], scale: int, scores: dict, comments: dict):
    """(scores, comments) as stored: every item scored with a whole number 1..scale, nothing else;
    comments only for the form's questions, stripped, at most 500 characters, no control
    characters, empty ones left out. Raises DomainError with the first problem."""
    labels = {item["key"]: item["label"] for item in items}
    unknown = set(scores) - set(labels)
    if unknown:
        raise DomainError("unknown_item", "评价表中没有这个项目，请刷新页面后重新填写。")
    missing = [item["label"] for item in items if scores.get(item["key"]) in (None, "")]
    if missing:
        raise DomainError("incomplete", f"请为“{'、'.join(missing)}”打分。", field=f"s_{items[0]['key']}")
    clean_scores = {}
    for item in items:
        value = scores[item["key"]]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= scale:
            raise DomainError(
                "out_of_range", f"“{item['label']}”的分数须为 1 到 {scale} 之间的整数。", field=f"s_{item['key']}"
            )
        clean_scores[item["key"]] = value
    keys = {q["key"]: q["label"] for q in questions}
    if set(comments) - set(keys):
        raise DomainError("unknown_question", "评价表中没有这个问题，请刷新页面后重新填写。")
    clean_comments = {}
    for key, label in keys.items():
        text = (comments.get(key) or "").strip()
        if len(text) > COMMENT_MAX:
            raise DomainError("too_long", f"“{label}”不能超过 {COMMENT_MAX} 字。", field=f"c_{key}")
        if has_control_characters(text, multiline=True):
            raise DomainError(
                "control_character", f"“{label}”含有不可见的控制字符，请删除后重新输入。", field=f"c_{key}"
            )
        if text:
            clean_comments[key] = text
    return clean_scores, clean_comments


# --- Results -------------------------------------------------------------------------------------------


def item_means(items: list[dict], answers: list[dict]) -> dict[str, float | None]:
    """Item key → mean score over the answers' scores (None without any), to two decimals."""
    means = {}
    for item in items:
        values = [a[item["key"]] for a in answers if isinstance(a.get(item["key"]), int)]
        means[item["key"]] = round(sum(values) / len(values), 2) if values else None
    return means


def distribution(items: list[dict], answers: list[dict], scale: int) -> dict[str, list[int]]:
    """Item key → how many answers gave each score: [count of 1, count of 2, …, count of `scale`].
    A score that is not a whole number 1..scale (none can be stored) is not counted. Counted by
    (type, value), so that True is not taken for 1; in C (map, zip, Counter), since a large course
    has 15,000 answers of five items on its results page."""
    counts = {}
    for item in items:
        values = list(map(methodcaller("get", item["key"]), answers))
        seen = Counter(zip(map(type, values), values, strict=True))
        counts[item["key"]] = [seen[(int, score)] for score in range(1, scale + 1)]
    return counts


def means_of(distribution: dict[str, list[int]]) -> dict[str, float | None]:
    """Item key → the mean of the scores a distribution counts (as `item_means` gives it from the
    answers themselves, without going over them again), None where nobody scored."""
    means = {}
    for key, counts in distribution.items():
        given = sum(counts)
        total = sum(score * count for score, count in enumerate(counts, start=1))
        means[key] = round(total / given, 2) if given else None
    return means


def overall_mean(means: dict[str, float | None]) -> float | None:
    values = [m for m in means.values() if m is not None]
    return round(sum(values) / len(values), 2) if values else None


def shown(count: int, threshold: int, state: str) -> bool:
    """Whether means and comments may be shown: only once the evaluation has closed (while it is
    open, staff refreshing between two submissions could read one person's scores off the change)
    and only from `threshold` answers up (with fewer they would point at people)."""
    return state == CLOSED and count >= threshold


def settings_problem(*, old: dict, new: dict, answered: bool, closed_with_answers: bool) -> DomainError | None:
    """Why a change of the evaluation settings would let someone tell answers apart, or None.
    Once answers exist the threshold may not go down (results hidden for too few would appear);
    once an evaluation with answers has closed (its results may have been read) the close may not
    move later, which would reopen it and let the next answer be read off the difference."""
    if answered and new["comment_threshold"] < old["comment_threshold"]:
        return DomainError(
            "threshold_lowered",
            f"已经有学员评价，显示均分和意见的最少人数不能再调低（现为 {old['comment_threshold']} 人）。",
            field="comment_threshold",
        )
    if closed_with_answers and new["close_hours"] > old["close_hours"]:
        return DomainError(
            "close_extended",
            f"已有评价截止并可能已被查看，截止时间不能再延后（现为下课后 {old['close_hours']} 小时）。",
            field="close_hours",
        )
    return None


# --- Editing the items --------------------------------------------------------------------------------


def items_from_lines(text: str, *, existing: list[dict], prefix: str, field: str, least: int, most: int):
    """The organizer's lines (one label each) as [{"key", "label"}]: a label that was there keeps
    its key (reports can follow an item across edits), a new one gets `prefix` and a number."""
    labels = [line.strip() for line in text.splitlines() if line.strip()]
    if len(labels) < least:
        raise DomainError("too_few", f"至少需要 {least} 项。", field=field)
    if len(labels) > most:
        raise DomainError("too_many", f"最多 {most} 项。", field=field)
    for label in labels:
        if len(label) > ITEM_LABEL_MAX:
            raise DomainError("too_long", f"“{label[:10]}…”超过 {ITEM_LABEL_MAX} 字。", field=field)
    duplicated = sorted({label for label in labels if labels.count(label) > 1})
    if duplicated:
        raise DomainError("duplicate", f"“{'、'.join(duplicated)}”重复了。", field=field)
    keys = {item["label"]: item["key"] for item in existing}
    taken = set(keys.values())
    result, number = [], 1
    for label in labels:
        key = keys.get(label)
        if key is None:
            while f"{prefix}{number}" in taken:
                number += 1
            key = f"{prefix}{number}"
            taken.add(key)
        result.append({"key": key, "label": label})
    return result


def lines_of(items: list[dict]) -> str:
    return "\n".join(item["label"] for item in items)
