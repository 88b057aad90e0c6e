"""How numbers and dates are written on pages and paper, one way everywhere."""

from datetime import date, datetime
from decimal import Decimal

_DIGITS = "〇一二三四五六七八九"
_NUMBERS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 31 → 三十一 (months, days, groups)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMBERS[ones]
    return ("" if tens == 1 else _NUMBERS[tens]) + "十" + (_NUMBERS[ones] if ones else "")


def chinese_year(year: int) -> str:
    """2026 → 二〇二六 (digit by digit, with 〇)."""
    return "".join(_DIGITS[int(d)] for d in str(year))


def chinese_date(day: date) -> str:
    """二〇二六年十一月二十日, as certificates are dated."""
    return f"{chinese_year(day.year)}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def chinese_date_range(start: date, end: date) -> str:
    """二〇二六年四月十四日至十六日: what the end shares with the start is not repeated."""
    if start == end:
        return chinese_date(start)
    if start.year != end.year:
        return f"{chinese_date(start)}至{chinese_date(end)}"
    if start.month != end.month:
        return f"{chinese_date(start)}至{chinese_number(end.month)}月{chinese_number(end.day)}日"
    return f"{chinese_date(start)}至{chinese_number(end.day)}日"


def hours(value: Decimal) -> str:
    """学时 as printed: 6, 1.5 (no trailing zeros, never an exponent)."""
    return f"{value.normalize():f}"


# --- Dates and times in figures (GB/T 9704-2012 for 公文; pages; sign-in sheets) ----------------------


def document_number(prefix: str, *, year: int, number: int) -> str:
    """发文字号 such as 县工培通〔2026〕3号: the organ code, the year in full in 六角括号, the number
    without leading zeros and without 第."""
    if number < 1:
        raise ValueError("发文顺序号从 1 开始")
    return f"{prefix}〔{year}〕{number}号"


def document_date(day: date) -> str:
    """成文日期 in Arabic numerals, the year in full and no leading zeros: 2026年4月16日."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day(day: date) -> str:
    """12月4日: a date within the year, without leading zeros."""
    return f"{day.month}月{day.day}日"


def day_part(moment: datetime) -> str:
    """上午 before 12:00, 下午 from 12:00 until 18:00, 晚上 from 18:00 (of a local time)."""
    if moment.hour < 12:
        return "上午"
    return "下午" if moment.hour < 18 else "晚上"


def clock_words(moment: datetime) -> str:
    """8:30, 14:05: the hour without a leading zero, as times are written in Chinese text."""
    return f"{moment.hour}:{moment.minute:02d}"


def moment_words(moment: datetime, *, clock: bool = False) -> str:
    """4月14日上午, or with the clock 4月14日下午 14:30 (of a local time)."""
    words = f"{moment.month}月{moment.day}日{day_part(moment)}"
    return f"{words} {clock_words(moment)}" if clock else words


def date_range_words(start: date, end: date) -> str:
    """4月14日至16日, 4月30日至5月2日, 2026年12月31日至2027年1月2日; a single day is 4月14日."""
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.year != end.year:
        return f"{document_date(start)}至{document_date(end)}"
    tail = f"{end.day}日" if start.month == end.month else f"{end.month}月{end.day}日"
    return f"{start.month}月{start.day}日至{tail}"


def document_date_range(start: date, end: date) -> str:
    """2026年4月14日至16日; the month or year is repeated only when it changes."""
    if start == end:
        return document_date(start)
    if start.year != end.year:
        return f"{document_date(start)}至{document_date(end)}"
    if start.month != end.month:
        return f"{document_date(start)}至{end.month}月{end.day}日"
    return f"{document_date(start)}至{end.day}日"
