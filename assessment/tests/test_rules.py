"""The assessment's pure rules: the weighted total with its reasons, 平时表现, the weights' check and
the reading of a score file."""

from decimal import Decimal

import pytest

from assessment import rules
from assessment.rules import ESSAY, EVERYDAY, TEST, Item, Person, assess, everyday_score, parse_scores

D = Decimal
DEFAULT = [Item(TEST, 40), Item(ESSAY, 20), Item(EVERYDAY, 40)]


def test_all_graded_above_the_mark_passes_with_the_weighted_total():
    result = assess(DEFAULT, {TEST: D(80), ESSAY: D(90), EVERYDAY: D(95)}, D(60))
    assert result == rules.Assessment(D("88.0"), True, (), (), True, ())


def test_a_total_below_the_mark_fails_with_its_reason():
    result = assess(DEFAULT, {TEST: D(45), ESSAY: D(60), EVERYDAY: D(65)}, D(60))
    # 0.4 × 45 + 0.2 × 60 + 0.4 × 65 = 18 + 12 + 26 = 56
    assert result.total == D("56.0") and not result.passed and not result.still_possible
    assert result.reasons == ("考核总评 56 分，不足 60 分",)
    assert result.lasting == result.reasons


def test_the_total_is_shown_with_its_half_point():
    result = assess(DEFAULT, {TEST: D("52.5"), ESSAY: D(60), EVERYDAY: D(60)}, D(60))
    assert result.reasons == ("考核总评 57 分，不足 60 分",)
    result = assess([Item(TEST, 50), Item(EVERYDAY, 50)], {TEST: D(55), EVERYDAY: D(60)}, D(60))
    assert result.reasons == ("考核总评 57.5 分，不足 60 分",)


def test_an_item_below_its_own_pass_mark_fails_even_when_the_total_passes():
    items = [Item(TEST, 40, D(60)), Item(ESSAY, 20), Item(EVERYDAY, 40)]
    result = assess(items, {TEST: D(52), ESSAY: D(95), EVERYDAY: D(100)}, D(60))
    assert result.total == D("79.8")
    assert not result.passed and not result.still_possible
    assert result.reasons == ("结业测试 52 分，低于及格线 60 分",)


def test_an_ungraded_item_makes_it_pending_not_failed():
    result = assess(DEFAULT, {TEST: D(70), EVERYDAY: D(90)}, D(60))
    assert not result.passed and result.still_possible
    assert result.pending == ("学习心得",)
    assert result.reasons == ("学习心得尚未评分",) and result.lasting == ()
    assert result.total == D("64.0")  # what is graded so far


def test_pending_but_no_longer_possible_when_full_marks_would_not_reach_the_mark():
    # 0.4 × 30 + 0.4 × 40 = 28; the essay's 20 at most brings 48 < 60
    result = assess(DEFAULT, {TEST: D(30), EVERYDAY: D(40)}, D(60))
    assert not result.passed and not result.still_possible
    assert result.lasting == ("即使学习心得满分，考核总评也不足 60 分",)
    assert result.reasons == ("即使学习心得满分，考核总评也不足 60 分", "学习心得尚未评分")


def test_pending_with_a_failed_item_is_no_longer_possible():
    items = [Item(TEST, 40, D(60)), Item(ESSAY, 20), Item(EVERYDAY, 40)]
    result = assess(items, {TEST: D(50), EVERYDAY: D(100)}, D(60))
    assert not result.still_possible and result.pending == ("学习心得",)
    assert result.lasting == ("结业测试 50 分，低于及格线 60 分",)


def test_exactly_the_pass_mark_passes():
    assert assess(DEFAULT, {TEST: D(60), ESSAY: D(60), EVERYDAY: D(60)}, D(60)).passed
    items = [Item(TEST, 100, D(60))]
    assert assess(items, {TEST: D(60)}, D(60)).passed


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({}, D("100.0")),
        ({"attended_hours": D(18)}, D("90.0")),
        ({"lates": 1, "early_leaves": 1}, D("96.0")),
        ({"attended_hours": D(17), "absences": 1}, D("80.0")),  # 85 − 5
        ({"discipline_points": 3}, D("94.0")),
        ({"attended_hours": D(2), "absences": 5, "discipline_points": 10}, D("0.0")),  # never below 0
        ({"total_hours": D(0), "attended_hours": D(0)}, D("100.0")),
    ],
)
def test_everyday_score(figures, expected):
    base = {
        "attended_hours": D(20),
        "total_hours": D(20),
        "lates": 0,
        "early_leaves": 0,
        "absences": 0,
        "discipline_points": 0,
    }
    assert everyday_score(**(base | figures)) == expected


def test_weights_add_up_to_100_or_are_all_zero():
    assert rules.weights_problem(rules.DEFAULT_WEIGHTS) == ""
    assert rules.weights_problem(dict.fromkeys(rules.KINDS, 0)) == ""
    assert "现在是 90%" in rules.weights_problem({TEST: 50, EVERYDAY: 40})


PEOPLE = [
    Person(1, "张丽华", "13900000001", "001"),
    Person(2, "李强", "13900000002", "002"),
    Person(3, "王芳", "13900000003", "003"),
    Person(4, "王芳", "13900000004", "004"),
]


def test_a_score_file_is_read_by_student_number_phone_or_unique_name():
    rows = [
        (1, ["2026年工会干部培训班结业测试成绩", None, None]),
        (2, ["学号", "姓名", "手机号", "成绩"]),
        (3, ["001", "张丽华", None, 86]),
        (4, [None, "李强", None, "72.5"]),
        (5, [None, None, "13900000004", 91.0]),
        (6, [None, None, None, None]),
    ]
    parsed = parse_scores(rows, PEOPLE)
    assert parsed.problems == []
    assert parsed.scores == {1: D(86), 2: D("72.5"), 4: D(91)}


def test_every_bad_row_is_named_by_row_and_person():
    rows = [
        (1, ["姓名", "学号", "成绩"]),
        (2, ["张丽华", "001", "优秀"]),
        (3, ["李强", "099", 70]),
        (4, ["王芳", None, 80]),
        (5, ["李强", "002", 101]),
        (6, ["张丽", "001", 70]),
        (7, ["李强", "002", 60]),
        (8, ["李强", "002", 65]),
        (9, [None, None, 60]),
        (10, ["李强", "002", None]),
    ]
    parsed = parse_scores(rows, PEOPLE)
    assert parsed.problems == [
        "第2行（张丽华）：成绩“优秀”不是 0 到 100 之间的分数（最多一位小数）。",
        "第3行（李强）：学号 099 不在本班花名册中。",
        "第4行（王芳）：花名册中有不止一位叫“王芳”的学员，请填写学号或手机号。",
        "第5行（李强）：成绩“101”不是 0 到 100 之间的分数（最多一位小数）。",
        "第6行（张丽）：姓名与花名册不符（花名册中是“张丽华”）。",
        "第8行（李强）：与第7行是同一位学员，成绩重复。",
        "第9行：没有姓名、手机号或学号，无法知道是谁的成绩。",
        "第10行（李强）：没有填写成绩。",
    ]


def test_a_file_without_a_header_says_what_it_needs():
    parsed = parse_scores([(1, ["张丽华", 86])], PEOPLE)
    assert parsed.scores == {} and "找不到表头" in parsed.problems[0]


def test_the_assessment_reads_in_one_line_on_paper():
    passed = {TEST: D(86), ESSAY: D(90), EVERYDAY: D("95.5")}
    assert rules.assessment_words(DEFAULT, passed, assess(DEFAULT, passed, D(60))) == (
        "结业测试 86 分，学习心得 90 分，平时表现 95.5 分；考核总评 90.6 分，合格"
    )
    waiting = {TEST: D(86), EVERYDAY: D(95)}
    assert rules.assessment_words(DEFAULT, waiting, assess(DEFAULT, waiting, D(60))).endswith(
        "学习心得尚未评分，平时表现 95 分；考核总评 72.4 分，待全部评分后确定"
    )
    failed = {TEST: D(20), ESSAY: D(40), EVERYDAY: D(60)}
    assert rules.assessment_words(DEFAULT, failed, assess(DEFAULT, failed, D(60))).endswith("考核总评 40 分，不合格")
