"""Pure decisions of the training domain: normalising what people type, validating it, laying out
a timetable. Plain values in, plain values out; no database, so pages, imports, exports and tasks
share one answer and the tests need no fixtures.

Normalisers raise `ValueError` with a Chinese message meant for the person who typed the value.
"""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.formats import chinese_date, chinese_number  # noqa: F401  (chinese_date: callers moving to core)

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACES_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
# Every dot that people and input methods put between the parts of a minority name.
_NAME_DOTS = re.compile(r"\s*[·・•‧∙⋅･．.。﹒●]\s*")
_WHITESPACE = re.compile(r"\s+")


def diet_problem(*, diet: str, note: str) -> str | None:
    """What is wrong with a dietary need as typed: "其他" says nothing without a note."""
    if diet == "other" and not note.strip():
        return "选择“其他”时请写明饮食要求"
    return None


def text(value) -> str:
    """A cell or form value as clean text: full-width spaces and runs of whitespace become one
    space, ends are trimmed. Numbers stored by Excel lose the ".0" it adds to whole numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WHITESPACE.sub(" ", str(value).replace("\u3000", " ")).strip()


def normalize_name(value) -> str:
    """A person's name as it should be printed: no padding (“张　三” → “张三”), one middle dot for
    minority names (“阿依古丽・买买提” → “阿依古丽·买买提”)."""
    name = text(value)
    if not name:
        raise ValueError("姓名为空")
    name = _NAME_DOTS.sub("·", name).strip("·")
    name = _SPACES_BETWEEN_CJK.sub("", name)
    if len(name) > 40:
        raise ValueError(f"姓名“{name[:12]}…”过长（超过40个字）")
    if re.search(r"[\d:：/\\@#]", name):
        raise ValueError(f"姓名“{name}”含有数字或符号")
    return name


def normalize_phone(value) -> str:
    """An 11-digit mainland mobile number from whatever a roster holds: a number cell (or its float
    text, 13800138000.0, in a CSV saved by Excel), spaces or dashes, full-width digits, a +86/0086
    prefix. Scientific notation (1.38001E+10) has lost digits and is refused as such."""
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"手机号码“{value}”不是整数")
    raw = text(value)
    if not raw:
        raise ValueError("手机号码为空")
    if re.search(r"\d[.,]?\d*[eE][+]?\d+", raw):
        raise ValueError(f"手机号码“{raw}”是科学计数法，末几位已丢失；请在 Excel 中把该列设为文本后重新填写")
    whole = re.fullmatch(r"(\d+)\.0+", raw)  # a number cell as a CSV saved by Excel holds it: 13800138000.0
    digits = unicodedata.normalize("NFKC", whole.group(1) if whole else raw)
    digits = re.sub(r"[\s\-—–_()（）.·]", "", digits)
    if re.search(r"[/、,，;；]", digits):
        raise ValueError(f"手机号码“{raw}”填写了多个号码，只能填一个")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not MOBILE_RE.fullmatch(digits):
        raise ValueError(f"手机号码“{raw}”不是有效的11位手机号码")
    return digits


GENDER_WORDS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}


def normalize_gender(value) -> str:
    """'M', 'F' or '' (not given)."""
    raw = text(value)
    if not raw:
        return ""
    try:
        return GENDER_WORDS[raw.lower()]
    except KeyError:
        raise ValueError(f"性别“{raw}”应填写“男”或“女”") from None


ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
    "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()


def normalize_ethnicity(value) -> str:
    """“汉” → “汉族”; anything else is kept as written."""
    raw = text(value).replace(" ", "")
    if raw in ETHNIC_GROUPS:
        return raw + "族"
    if len(raw) > 20:
        raise ValueError(f"民族“{raw[:10]}…”过长")
    return raw


POLITICAL_STATUS_WORDS = {
    "党员": "中共党员",
    "共产党员": "中共党员",
    "中共党员": "中共党员",
    "中国共产党党员": "中共党员",
    "预备党员": "中共预备党员",
    "中共预备党员": "中共预备党员",
    "团员": "共青团员",
    "共青团员": "共青团员",
    "群众": "群众",
    "无党派": "无党派人士",
    "无党派人士": "无党派人士",
}


def normalize_political_status(value) -> str:
    raw = text(value).replace(" ", "")
    if len(raw) > 20:
        raise ValueError(f"政治面貌“{raw[:10]}…”过长")
    return POLITICAL_STATUS_WORDS.get(raw, raw)


_CN_DIGITS = "零一二三四五六七八九"


def parse_chinese_number(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    if not value or any(ch not in _CN_DIGITS + "十" for ch in value):
        return None
    if "十" not in value:
        return _CN_DIGITS.index(value) if len(value) == 1 else None
    tens, _, ones = value.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(ones) if ones else 0)


_GROUP_RE = re.compile(r"第?([0-9一二三四五六七八九十]+)(?:小组|组)?")


def normalize_group(value) -> str:
    """Numbered groups in one spelling: “1”, “1组”, “第1组”, “一组”, “第一小组” → “第一组”.
    Named groups (“机关组”) are kept."""
    raw = unicodedata.normalize("NFKC", text(value)).replace(" ", "")
    if not raw:
        return ""
    match = _GROUP_RE.fullmatch(raw)
    if match:
        number = parse_chinese_number(match.group(1))
        if number:
            return f"第{chinese_number(number)}组"
    if len(raw) > 20:
        raise ValueError(f"小组“{raw[:10]}…”过长")
    return raw


def group_sort_key(group: str) -> tuple:
    """Numbered groups in number order, then named groups, then trainees without a group."""
    match = _GROUP_RE.fullmatch(group or "")
    number = parse_chinese_number(match.group(1)) if match else None
    if number:
        return (0, number, group)
    return (1 if group else 2, 0, group)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643), from the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value) -> str:
    """An 18-character resident ID number with a valid check digit, or '' when not given."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 10**14:
        raise ValueError("身份证号码被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写")
    raw = unicodedata.normalize("NFKC", text(value)).replace(" ", "").upper()
    if not raw:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", raw):
        raise ValueError("身份证号码应为18位（最后一位可为X）")
    if raw[17] != id_check_digit(raw[:17]):
        raise ValueError("身份证号码校验位不正确，请核对")
    try:
        date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise ValueError("身份证号码中的出生日期不正确") from None
    return raw


def gender_from_id_number(id_number: str) -> str:
    """The 17th character of a resident ID is odd for men and even for women."""
    return ("M" if int(id_number[16]) % 2 else "F") if len(id_number) == 18 else ""


def mask_id_number(id_number: str) -> str:
    """Never shown in full: 110101199003071234 → 1101**********1234."""
    if not id_number:
        return ""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone


def next_student_numbers(existing: list[str], count: int) -> list[str]:
    """`count` new student numbers after the highest numeric one, zero-padded to at least three
    digits (001, 002, …); numbers already used are never given again."""
    numeric = [int(s) for s in existing if s.isdigit()]
    width = max([3, *(len(s) for s in existing if s.isdigit())])
    start = max(numeric, default=0) + 1
    taken = set(existing)
    result, n = [], start
    while len(result) < count:
        candidate = str(n).zfill(width)
        if candidate not in taken:
            result.append(candidate)
        n += 1
    return result


# --- Courses and timetables -------------------------------------------------------------------


def course_date_problems(start_date: date, end_date: date, certificate_date: date | None = None) -> dict[str, str]:
    if end_date < start_date:
        return {"end_date": "结束日期不能早于开始日期"}
    if (end_date - start_date).days > 366:
        return {"end_date": "培训班不能超过一年"}
    if certificate_date is not None and not end_date <= certificate_date <= end_date + timedelta(days=366):
        return {"certificate_date": "证书落款日期应在培训班结束之日或之后（一年以内）"}
    return {}


def session_problems(
    *,
    course_start: date,
    course_end: date,
    starts_at: datetime,
    ends_at: datetime,
    credit_hours: Decimal,
    local_date,
) -> dict[str, str]:
    """What is wrong with a timetable slot, by form field. `local_date` turns an aware datetime
    into the course's calendar date (Asia/Shanghai)."""
    problems = {}
    if ends_at <= starts_at:
        problems["ends_at"] = "结束时间必须晚于开始时间"
    elif ends_at - starts_at > timedelta(hours=12):
        problems["ends_at"] = "一个课次不能超过12小时"
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        day = local_date(moment)
        if not course_start <= day <= course_end and field not in problems:
            problems[field] = f"{day:%Y-%m-%d} 不在培训班日期（{course_start:%Y-%m-%d} 至 {course_end:%Y-%m-%d}）之内"
    if credit_hours_problem(credit_hours):
        problems["credit_hours"] = credit_hours_problem(credit_hours)
    return problems


def credit_hours_problem(credit_hours: Decimal) -> str:
    return "学时应在 0 到 12 之间" if credit_hours < 0 or credit_hours > 12 else ""


def course_days(start_date: date, end_date: date) -> list[date]:
    return [start_date + timedelta(days=i) for i in range((end_date - start_date).days + 1)]


@dataclass(frozen=True)
class TimetableDay:
    day: date
    number: int  # 第几天, from 1
    sessions: list


def timetable_days(start_date: date, end_date: date, sessions, local_date) -> list[TimetableDay]:
    """Every day of the course with its sessions in time order; days without sessions stay, so a
    desktop shows the three days side by side even before the timetable is complete."""
    by_day: dict[date, list] = {day: [] for day in course_days(start_date, end_date)}
    for session in sorted(sessions, key=lambda s: s.starts_at):
        by_day.setdefault(local_date(session.starts_at), []).append(session)
    return [TimetableDay(day, i, items) for i, (day, items) in enumerate(sorted(by_day.items()), start=1)]


@dataclass(frozen=True)
class Agenda:
    today: list
    upcoming: list
    past: list


def trainee_agenda(sessions, *, today: date, local_date) -> Agenda:
    """The trainee's phone home: today's sessions first, then the days to come, then what is over
    (most recent first)."""
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    return Agenda(
        today=[s for s in ordered if local_date(s.starts_at) == today],
        upcoming=[s for s in ordered if local_date(s.starts_at) > today],
        past=[s for s in reversed(ordered) if local_date(s.starts_at) < today],
    )


def after_login_failure(
    *,
    failures: int,
    last_failure_at: datetime | None,
    locked_until: datetime | None,
    now: datetime,
    max_failures: int,
    lock_minutes: int,
) -> tuple[int, datetime | None]:
    """The account's failure count and lock after one more wrong password. Failures older than the
    lock period are forgotten; the `max_failures`-th within it locks the account for
    `lock_minutes`."""
    window = timedelta(minutes=lock_minutes)
    if (locked_until and locked_until <= now) or (last_failure_at and now - last_failure_at > window):
        failures, locked_until = 0, None
    failures += 1
    if failures >= max_failures and locked_until is None:
        locked_until = now + window
    return failures, locked_until


def parse_networks(value: str) -> list:
    """The allowed networks of a course, one CIDR per line (commas and spaces also separate them).
    Raises ValueError naming the first bad entry."""
    networks = []
    for entry in re.split(r"[\s,，;；]+", value or ""):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"“{entry}”不是有效的网段，请写成 10.20.0.0/16 这样的形式") from None
    return networks


def overlapping(sessions, *, starts_at: datetime, ends_at: datetime, exclude=None) -> list:
    """The sessions (of one course) whose time overlaps [starts_at, ends_at), other than `exclude`.
    Two things at once may be intended (parallel group discussions), so callers warn, not refuse."""
    return [
        s
        for s in sessions
        if s is not exclude
        and getattr(s, "pk", None) != getattr(exclude, "pk", object())
        and s.starts_at < ends_at
        and starts_at < s.ends_at
    ]


# --- Lecturers ---------------------------------------------------------------------------------------

LECTURER_LABEL_MAX = 100  # Session.lecturer


def lecturer_label(*, name: str, title: str = "", unit: str = "") -> str:
    """授课人 as the timetable prints it: unit and title, a space, the name (“县人民法院四级高级法官
    孙立新”); a title that already names the unit is not given it twice."""
    prefix = title if unit and title.startswith(unit) else f"{unit}{title}"
    return f"{prefix} {name}".strip()


def session_lecturer_label(lecturers: list[tuple[str, str]]) -> str:
    """The 授课人 text of a session given by `lecturers`, (label, name) pairs in order: one
    lecturer's full label; several people by name only (“周国栋、刘文华”), since titles with their
    own “、” would run together. Never longer than the field."""
    if not lecturers:
        return ""
    if len(lecturers) == 1:
        label = lecturers[0][0]
        return label if len(label) <= LECTURER_LABEL_MAX else lecturers[0][1]
    return "、".join(name for _, name in lecturers)[:LECTURER_LABEL_MAX]


def fee_over_cap(rate: Decimal | None, cap: Decimal | None) -> bool:
    """A 讲课费 rate above the organization's cap for the lecturer's rank (no rate or no cap: never)."""
    return rate is not None and cap is not None and rate > cap
