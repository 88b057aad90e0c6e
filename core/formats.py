"""How numbers and dates are written on pages and paper, one way everywhere."""

from datetime import date
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
