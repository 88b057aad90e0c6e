from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
import segno

from core import formats, qr

UTC8 = timezone(timedelta(hours=8))


def test_dates_are_written_in_chinese_numerals_with_ling():
    assert formats.chinese_date(date(2026, 4, 16)) == "二〇二六年四月十六日"
    assert formats.chinese_date(date(2030, 10, 1)) == "二〇三〇年十月一日"
    assert formats.chinese_date(date(2026, 12, 31)) == "二〇二六年十二月三十一日"


def test_a_date_range_does_not_repeat_what_the_end_shares_with_the_start():
    assert formats.chinese_date_range(date(2026, 4, 14), date(2026, 4, 16)) == "二〇二六年四月十四日至十六日"
    assert formats.chinese_date_range(date(2026, 4, 30), date(2026, 5, 2)) == "二〇二六年四月三十日至五月二日"
    assert (
        formats.chinese_date_range(date(2026, 12, 30), date(2027, 1, 1)) == "二〇二六年十二月三十日至二〇二七年一月一日"
    )
    assert formats.chinese_date_range(date(2026, 4, 14), date(2026, 4, 14)) == "二〇二六年四月十四日"


def test_hours_print_without_trailing_zeros():
    assert [formats.hours(Decimal(v)) for v in ("6.0", "1.5", "10", "0.50")] == ["6", "1.5", "10", "0.5"]


def test_short_data_still_makes_a_standard_qr_code_with_a_quiet_zone():
    """segno picks Micro QR for short data when asked with make(); phones do not read it."""
    assert segno.make("B12-3F9A").is_micro  # what went wrong before
    svg = qr.qr_svg("B12-3F9A")
    # A version 1 code is 21 modules wide; with four modules of quiet zone on each side, 29.
    assert 'viewBox="0 0 29 29"' in svg
    assert "width=" not in svg.split(">")[0]  # sized by the page, not by the SVG


def test_document_numbers_have_the_year_in_full_and_no_leading_zeros_or_di():
    assert formats.document_number("县工培通", year=2026, number=3) == "县工培通〔2026〕3号"
    assert formats.document_number("县工培通", year=2027, number=12) == "县工培通〔2027〕12号"
    with pytest.raises(ValueError):
        formats.document_number("县工培通", year=2026, number=0)


def test_document_dates_are_arabic_without_leading_zeros():
    assert formats.document_date(date(2026, 4, 6)) == "2026年4月6日"
    assert formats.document_date(date(2026, 11, 20)) == "2026年11月20日"
    assert formats.month_day(date(2026, 12, 4)) == "12月4日"  # session choices, as the pages write dates


@pytest.mark.parametrize(
    ("clock", "part"),
    [
        ((0, 0), "上午"),
        ((8, 30), "上午"),
        ((11, 59), "上午"),
        ((12, 0), "下午"),
        ((14, 30), "下午"),
        ((17, 59), "下午"),
        ((18, 0), "晚上"),
        ((19, 30), "晚上"),
        ((23, 59), "晚上"),
    ],
)
def test_the_part_of_the_day(clock, part):
    assert formats.day_part(datetime(2026, 4, 14, *clock, tzinfo=UTC8)) == part


def test_moments_read_as_chinese_words():
    morning = datetime(2026, 4, 14, 8, 5, tzinfo=UTC8)
    afternoon = datetime(2026, 4, 14, 14, 30, tzinfo=UTC8)
    assert formats.moment_words(morning) == "4月14日上午"
    assert formats.moment_words(afternoon, clock=True) == "4月14日下午 14:30"
    assert formats.moment_words(morning, clock=True) == "4月14日上午 8:05"
    assert formats.moment_words(datetime(2026, 11, 2, 19, 0, tzinfo=UTC8), clock=True) == "11月2日晚上 19:00"
    assert formats.clock_words(morning) == "8:05"


def test_date_ranges_name_the_month_once():
    assert formats.date_range_words(date(2026, 4, 14), date(2026, 4, 14)) == "4月14日"
    assert formats.date_range_words(date(2026, 4, 14), date(2026, 4, 16)) == "4月14日至16日"
    assert formats.date_range_words(date(2026, 4, 30), date(2026, 5, 2)) == "4月30日至5月2日"
    assert formats.date_range_words(date(2026, 12, 31), date(2027, 1, 2)) == "2026年12月31日至2027年1月2日"


def test_date_ranges_repeat_only_what_changes_and_have_no_leading_zeros():
    assert formats.document_date_range(date(2026, 4, 14), date(2026, 4, 16)) == "2026年4月14日至16日"
    assert formats.document_date_range(date(2026, 4, 30), date(2026, 5, 2)) == "2026年4月30日至5月2日"
    assert formats.document_date_range(date(2026, 12, 30), date(2027, 1, 1)) == "2026年12月30日至2027年1月1日"
    assert formats.document_date_range(date(2026, 4, 14), date(2026, 4, 14)) == "2026年4月14日"


@pytest.mark.parametrize(
    ("start", "part"),
    [("08:30", "上午"), ("11:59", "上午"), ("12:00", "下午"), ("14:30", "下午"), ("17:59", "下午"), ("19:00", "晚上")],
)
def test_half_day_by_start(start, part):
    assert formats.day_part(time.fromisoformat(start)) == part
