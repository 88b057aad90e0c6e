"""评教 decisions without a database: the default forms, the windows, a valid answer, the means and
the organizer's lines."""

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import DomainError
from evaluation import rules

ENDS = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
LECTURE = rules.template_rows("lecture")


def test_the_lecture_form_has_the_five_party_school_items_and_one_comment():
    assert [i["label"] for i in LECTURE["items"]] == ["针对性", "理论性", "信息量", "语言表达", "教风教态"]
    assert [q["label"] for q in LECTURE["questions"]] == ["意见和建议"]
    course = rules.template_rows("course")
    assert [i["label"] for i in course["items"]] == ["课程设置", "师资水平", "组织管理", "食宿等后勤服务", "总体满意度"]
    assert [q["label"] for q in course["questions"]] == ["收获最大的课程", "意见建议"]
    assert rules.template_rows("field")["title"] == "现场教学评价表"


def test_lectures_and_field_teaching_are_evaluated_other_kinds_are_not():
    assert rules.form_kind_for_session("lecture") == "lecture"
    assert rules.form_kind_for_session("site_visit") == "field"
    for kind in ("opening", "discussion", "exam", "closing", "other"):
        assert rules.form_kind_for_session(kind) is None


def test_a_session_opens_in_its_last_minutes_and_closes_hours_after_it_ends():
    opens, closes = rules.session_window(ends_at=ENDS, opens_before_minutes=10, close_hours=24)
    assert opens == ENDS - timedelta(minutes=10) and closes == ENDS + timedelta(hours=24)
    assert rules.window_state(opens - timedelta(seconds=1), opens, closes) == rules.UPCOMING
    assert rules.window_state(opens, opens, closes) == rules.OPEN
    assert rules.window_state(closes - timedelta(seconds=1), opens, closes) == rules.OPEN
    assert rules.window_state(closes, opens, closes) == rules.CLOSED
    assert rules.window_problem(closes, opens, closes).code == "closed"
    assert rules.window_problem(opens - timedelta(minutes=1), opens, closes).code == "not_open"
    assert rules.window_problem(opens, opens, closes) is None


def test_the_course_form_opens_on_the_last_day():
    day = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    opens, closes = rules.course_window(
        last_day_starts=day, last_session_ends=day + timedelta(hours=17), close_hours=24
    )
    assert opens == day and closes == day + timedelta(hours=41)
    # no session on the last day (the timetable ends early): still open for the close hours
    opens, closes = rules.course_window(last_day_starts=day, last_session_ends=day - timedelta(hours=7), close_hours=24)
    assert opens == day and closes == day + timedelta(hours=24)


def clean(scores, comments=None, scale=5):
    return rules.clean_answer(
        items=LECTURE["items"], questions=LECTURE["questions"], scale=scale, scores=scores, comments=comments or {}
    )


def full(value):
    return {i["key"]: value for i in LECTURE["items"]}


def test_a_complete_answer_is_kept_and_empty_comments_left_out():
    assert clean(full(5), {"comment": "  讲得好 "}) == (full(5), {"comment": "讲得好"})
    assert clean(full(1), {"comment": "  "}) == (full(1), {})
    assert clean(full(10), scale=10)[0] == full(10)


@pytest.mark.parametrize(
    ("scores", "comments", "code"),
    [
        ({"targeted": 5}, {}, "incomplete"),
        ({**full(5), "theory": 6}, {}, "out_of_range"),
        ({**full(5), "theory": 0}, {}, "out_of_range"),
        ({**full(5), "theory": "5"}, {}, "out_of_range"),
        ({**full(5), "theory": True}, {}, "out_of_range"),
        ({**full(5), "extra": 3}, {}, "unknown_item"),
        (full(5), {"comment": "长" * 501}, "too_long"),
        (full(5), {"comment": "好\x00"}, "control_character"),
        (full(5), {"other": "好"}, "unknown_question"),
    ],
)
def test_an_invalid_answer_is_refused(scores, comments, code):
    with pytest.raises(DomainError) as error:
        clean(scores, comments)
    assert error.value.code == code


def test_a_comment_of_500_characters_with_line_breaks_passes():
    assert clean(full(3), {"comment": "长" * 499 + "\n"})[1]["comment"] == "长" * 499


def test_means_per_item_and_overall():
    items = LECTURE["items"][:2]
    means = rules.item_means(items, [{"targeted": 5, "theory": 4}, {"targeted": 4, "theory": 4}, {"targeted": 4}])
    assert means == {"targeted": 4.33, "theory": 4.0}
    assert rules.overall_mean(means) == 4.17
    assert rules.item_means(items, []) == {"targeted": None, "theory": None}
    assert rules.overall_mean({"a": None}) is None


def test_means_and_comments_are_shown_once_closed_and_from_the_threshold_up():
    assert rules.shown(5, 5, rules.CLOSED) and rules.shown(9, 5, rules.CLOSED)
    assert not rules.shown(4, 5, rules.CLOSED)
    assert not rules.shown(9, 5, rules.OPEN) and not rules.shown(9, 5, rules.UPCOMING)


@pytest.mark.parametrize(
    "new, answered, closed, code",
    [
        ({"comment_threshold": 4, "close_hours": 24}, True, False, "threshold_lowered"),
        ({"comment_threshold": 5, "close_hours": 48}, True, True, "close_extended"),
    ],
)
def test_changes_that_would_let_answers_be_told_apart_are_refused(new, answered, closed, code):
    problem = rules.settings_problem(
        old={"comment_threshold": 5, "close_hours": 24}, new=new, answered=answered, closed_with_answers=closed
    )
    assert problem.code == code and problem.field in new


@pytest.mark.parametrize(
    "new, answered, closed",
    [
        ({"comment_threshold": 3, "close_hours": 48}, False, False),  # nothing answered yet
        ({"comment_threshold": 8, "close_hours": 48}, True, False),  # raised; still open: extended
        ({"comment_threshold": 5, "close_hours": 12}, True, True),  # closing earlier is fine
    ],
)
def test_other_changes_pass(new, answered, closed):
    old = {"comment_threshold": 5, "close_hours": 24}
    assert rules.settings_problem(old=old, new=new, answered=answered, closed_with_answers=closed) is None


def test_lines_keep_the_keys_of_labels_that_stay_and_number_new_ones():
    items = rules.items_from_lines(
        "针对性\n 实用性 \n\n语言表达", existing=LECTURE["items"], prefix="item", field="items", least=1, most=12
    )
    assert items == [
        {"key": "targeted", "label": "针对性"},
        {"key": "item1", "label": "实用性"},
        {"key": "language", "label": "语言表达"},
    ]
    assert rules.lines_of(items) == "针对性\n实用性\n语言表达"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "too_few"),
        ("\n".join(f"项{n}" for n in range(13)), "too_many"),
        ("长" * 31, "too_long"),
        ("甲\n甲", "duplicate"),
    ],
)
def test_bad_lines_are_refused_on_their_field(text, code):
    with pytest.raises(DomainError) as error:
        rules.items_from_lines(text, existing=[], prefix="item", field="items", least=1, most=12)
    assert error.value.code == code and error.value.field == "items"


def test_the_distribution_counts_each_score_per_item():
    items = LECTURE["items"][:2]
    answers = [{"targeted": 5, "theory": 4}, {"targeted": 5, "theory": 1}, {"targeted": 3}, {"targeted": True}]
    assert rules.distribution(items, answers, 5) == {"targeted": [0, 0, 1, 0, 2], "theory": [1, 0, 0, 1, 0]}
    assert rules.distribution(items, [{"targeted": 10}], 10)["targeted"] == [0] * 9 + [1]
    assert rules.distribution(items, [{"targeted": 6}, {"targeted": 0}], 5)["targeted"] == [0] * 5  # out of range
    assert rules.distribution(items, [], 5) == {"targeted": [0] * 5, "theory": [0] * 5}


def test_means_from_a_distribution_are_the_means_of_the_answers():
    items = [{"key": "targeted"}, {"key": "theory"}, {"key": "manner"}]
    answers = [{"targeted": 5, "theory": 4, "manner": 3}, {"targeted": 4, "theory": 4}, {"targeted": 4, "theory": 1}]
    counted = rules.distribution(items, answers, 5)
    assert (
        rules.means_of(counted)
        == rules.item_means(items, answers)
        == {
            "targeted": 4.33,
            "theory": 3.0,
            "manner": 3.0,
        }
    )
    assert rules.means_of({"targeted": [0, 0, 0, 0, 0]}) == {"targeted": None}
