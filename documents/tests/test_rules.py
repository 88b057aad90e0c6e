"""The paper side's pure decisions: dates and lecturers as printed, completion while a course runs
and after, bands that keep table rows together, and the sizes that make sheets, names and titles
fit. No database, no PDF."""

from datetime import date, time
from decimal import Decimal

import pytest

from completion.rules import Completion, CompletionRules, completion
from documents import rules


def test_a_session_reads_with_date_weekday_and_half_day():
    assert rules.session_when(date(2026, 4, 14), time(8, 30), time(10, 30)) == "2026年4月14日（星期二）上午 08:30–10:30"
    assert rules.session_when(date(2026, 4, 16), time(19), time(20, 30)) == "2026年4月16日（星期四）晚上 19:00–20:30"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("县总工会党组书记 王建国", "王建国（县总工会党组书记）"),
        ("市委党校教授 李明", "李明（市委党校教授）"),
        ("县总工会党组书记、常务副主席 周国栋", "周国栋（县总工会党组书记、常务副主席）"),
        ("县总工会党组书记\u3000王建国", "王建国（县总工会党组书记）"),  # a full-width space
        ("县委党校  副校长   刘文华", "刘文华（县委党校 副校长）"),
        ("李明 教授", "李明（教授）"),  # name first, a bare title after
        ("新疆大学教授 阿卜杜热合曼·买买提", "阿卜杜热合曼·买买提（新疆大学教授）"),
        ("王建国", "王建国"),
        ("  王建国 ", "王建国"),
        ("各小组组长", "各小组组长"),
        ("", ""),
        ("王建国（县总工会主席）", "王建国（县总工会主席）"),  # already in the printed form
        ("Dr. Smith", "Dr. Smith"),
    ],
)
def test_lecturers_read_name_then_title(typed, printed):
    assert rules.lecturer_label(typed) == printed


def _completion(**figures) -> Completion:
    values = {
        "rules": CompletionRules(min_hours_percent=90, max_absences=1),
        "total_hours": Decimal("16"),
        "attended_hours": Decimal("8"),
        "absences": 0,
        "leave_hours": Decimal("0"),
        "discipline_points": 0,
        "remaining_hours": Decimal("8"),
        "remaining_required": ("结业式",),
    }
    return completion(**{**values, **figures})


def test_while_the_course_runs_sessions_ahead_are_no_reason():
    outlook = rules.completion_outlook(_completion(), finished=False)
    assert (outlook.kind, outlook.label, outlook.reasons) == (rules.POSSIBLE, "进行中（仍可结业）", "")


def test_while_the_course_runs_only_lasting_reasons_are_printed():
    outlook = rules.completion_outlook(
        _completion(absences=2, attended_hours=Decimal("6"), remaining_hours=Decimal("6")), finished=False
    )
    assert (outlook.kind, outlook.label) == (rules.LOST, "已无法结业")
    assert "缺勤 2 次，超过 1 次" in outlook.reasons and "到课学时 6" in outlook.reasons
    assert "尚未进行" not in outlook.reasons


def test_after_the_course_every_reason_counts():
    done = _completion(attended_hours=Decimal("16"), remaining_hours=Decimal("0"), remaining_required=())
    assert rules.completion_outlook(done, finished=True) == rules.Outlook(rules.ELIGIBLE, "可结业", "")
    short = _completion(attended_hours=Decimal("12"), remaining_hours=Decimal("0"), remaining_required=())
    outlook = rules.completion_outlook(short, finished=True)
    assert (outlook.kind, outlook.label) == (rules.NOT_ELIGIBLE, "不可结业") and "到课学时 12" in outlook.reasons


def test_an_organizers_decision_stands():
    outlook = rules.completion_outlook(_completion(absences=3), finished=False, override=(True, "因公缺勤"))
    assert (outlook.kind, outlook.label, outlook.reasons) == (rules.ELIGIBLE, "可结业", "组织者认定：因公缺勤")


def test_totals_are_projections_until_the_course_is_over():
    kinds = [rules.POSSIBLE, rules.POSSIBLE, rules.LOST, rules.ELIGIBLE, rules.NOT_ELIGIBLE]
    assert rules.outlook_totals(kinds, finished=False) == [("仍可结业", 3), ("已无法结业", 2)]
    assert rules.outlook_totals([rules.ELIGIBLE, rules.NOT_ELIGIBLE], finished=True) == [("可结业", 1), ("不可结业", 1)]


@pytest.mark.parametrize("count", [0, 1, 4, 5, 9, 10, 11, 24, 57])
def test_bands_keep_the_first_and_last_five_rows_together(count):
    bands = rules.row_bands(count)
    assert [i for start, stop, _ in bands for i in range(start, stop)] == list(range(count))  # every row, once
    if count >= 10:
        assert bands[0] == (0, 5, True) and bands[-1] == (count - 5, count, True)
        assert all(not keep for _, _, keep in bands[1:-1])
    else:
        assert bands == ([(0, count, True)] if count else [])


def test_sign_in_rows_are_8_mm_up_to_28_and_30_fit_one_page():
    assert rules.signin_row_mm(24) >= 9
    assert rules.signin_row_mm(28) >= 8
    assert 7.5 <= rules.signin_row_mm(30) < 8
    assert 30 * (rules.signin_row_mm(30) + rules.SIGNIN_ROW_BORDER_MM) <= rules.SIGNIN_BODY_MM
    assert rules.signin_row_mm(30, extra_head_lines=1) < rules.signin_row_mm(30)
    assert rules.signin_row_mm(31) == rules.signin_row_mm(60) == 8.5  # over two pages anyway


@pytest.mark.parametrize("checkout", [False, True])
def test_sign_in_columns_fill_the_page_with_signatures_of_35_mm(checkout):
    columns = rules.signin_columns(longest_name=10, checkout=checkout)
    widths = [8, columns.no, columns.name, columns.unit, columns.group, columns.sign, columns.checkout, columns.note]
    assert sum(widths) == pytest.approx(rules.SIGNIN_WIDTH_MM)
    assert columns.sign >= 35 and (columns.checkout >= 35 if checkout else columns.checkout == 0)
    # the longest realistic name in one line, a 30-character unit in two, legible
    assert rules.text_mm(10, rules.cell_pt(10, columns.name, largest=10, smallest=5)) <= columns.name - 2.4
    unit_pt = rules.cell_pt(30, columns.unit, largest=8.5, lines=2)
    assert unit_pt >= 7 and rules.text_mm(30, unit_pt) <= 2 * (columns.unit - 2.4)


def test_short_names_keep_the_full_size():
    columns = rules.signin_columns(longest_name=3, checkout=False)
    assert columns.name == 16 and rules.cell_pt(3, columns.name, largest=10) == 10


def test_a_unit_shrinks_a_little_to_stay_on_one_line_before_it_wraps():
    one_line = rules.cell_pt(14, 43, largest=8.5, lines=2)
    assert 7.5 <= one_line < 8.5 and rules.text_mm(14, one_line) <= 43 - 2.4
    two_lines = rules.cell_pt(28, 43, largest=8.5, lines=2)
    assert rules.text_mm(28, two_lines) > 43 - 2.4 and rules.text_mm(28, two_lines) * 1.08 <= 2 * (43 - 2.4)


@pytest.mark.parametrize("chars", [1, 2, 3, 4, 5, 8, 10, 15])
def test_desk_card_names_fit_between_8_mm_margins(chars):
    size, spacing = rules.desk_name_style(chars)
    # letter-spacing follows every character, and the template pads the left by as much to centre
    assert chars * (size + spacing) * rules.PT_MM + spacing * rules.PT_MM <= rules.DESK_WIDTH_MM
    assert size <= 80


def test_desk_card_short_names_stay_large_and_long_ones_close_up():
    assert rules.desk_name_style(3) == (80.0, 12.0)
    size, spacing = rules.desk_name_style(10)
    assert 50 <= size < 80 and spacing < 4


LONG_COURSE = "2026年青山县基层工会主席、工会经费审查委员会主任暨劳模工匠能力提升与新时代产业工人队伍建设改革专题示范培训班（一期）"


def test_a_short_title_stays_on_one_line_at_full_size():
    assert rules.title_lines("2026年全县基层工会干部培训班", 273, suffix="考勤报告") == rules.Title(
        ("2026年全县基层工会干部培训班",), "考勤报告", 17.0
    )


@pytest.mark.parametrize(("width", "largest"), [(273, 17.0), (186, 17.0), (136, 10.0)])
def test_a_60_character_title_splits_by_meaning_and_fits_two_lines(width, largest):
    title = rules.title_lines(LONG_COURSE, width, suffix="课程表", largest=largest, smallest=largest * 0.7)
    assert title.lines == (
        "2026年青山县基层工会主席、工会经费审查委员会主任",
        "暨劳模工匠能力提升与新时代产业工人队伍建设改革专题示范培训班（一期）",
    )
    longer = len(title.lines[1]) + len(title.suffix)
    assert rules.text_mm(longer, title.size) * rules.TITLE_SLACK <= width and title.size <= largest


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("全县工会财务、经审、女职工、劳动保护、法律援助与基层工会规范化建设专题培训班", 2),  # splits after a 、
        ("全县基层工会主席能力提升与新时代产业工人队伍建设改革专题培训班第一期学员培训", 1),  # nowhere to split: wraps
        ("（一期）全县基层工会主席能力提升与新时代产业工人队伍建设改革专题培训班第一期学员", 1),  # too uneven
    ],
)
def test_a_title_without_a_good_place_to_split_wraps_at_a_size_for_two_lines(text, lines):
    title = rules.title_lines(text, 186, suffix="课程表")
    assert len(title.lines) == lines and "".join(title.lines) == text
    if lines == 1:
        assert 12 <= title.size <= 17 and rules.text_mm(len(text) + 3, title.size) * rules.TITLE_SLACK <= 2 * 186


def test_a_long_organ_name_takes_two_lines_split_after_a_region():
    short = rules.issuer_lines("青山县总工会")
    assert short.lines == ("青山县总工会",) and short.size == 42
    one = rules.issuer_lines("青山市经济技术开发区总工会")
    assert len(one.lines) == 1 and 26 <= one.size < 42
    two = rules.issuer_lines("新疆维吾尔自治区伊犁哈萨克自治州总工会")
    assert two.lines == ("新疆维吾尔自治区", "伊犁哈萨克自治州总工会") and two.size >= 26


def test_the_backs_of_duplex_cards_read_each_row_right_to_left():
    sheets = rules.duplex_sheets(list("abcdefghij"), per_row=2, per_page=8)
    assert sheets == [
        (list("abcdefgh"), ["b", "a", "d", "c", "f", "e", "h", "g"]),
        (["i", "j"], ["j", "i"]),
    ]
    assert rules.duplex_sheets(list("abc"), per_row=2, per_page=8) == [(list("abc"), ["b", "a", None, "c"])]
    assert rules.duplex_sheets([], per_row=2, per_page=8) == []
