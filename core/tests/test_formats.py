from datetime import date
from decimal import Decimal

import segno

from core import formats, qr


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
