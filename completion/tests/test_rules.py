"""The completion decision, from plain figures."""

from decimal import Decimal

from completion import rules


def decide(**figures):
    base = {
        "rules": rules.CompletionRules(90, 2, Decimal("14.3"), 5),
        "total_hours": Decimal("17"),
        "attended_hours": Decimal("17"),
        "absences": 0,
        "leave_hours": Decimal("0"),
        "discipline_points": 0,
    }
    return rules.completion(**{**base, **figures})


def test_completion_with_everything_attended():
    assert decide() == rules.Completion(True, (), True, ())


def test_limits_left_empty_do_not_count():
    unlimited = rules.CompletionRules(90, None, None, None)
    assert decide(rules=unlimited, absences=9, leave_hours=Decimal("1"), discipline_points=50).eligible


def test_completion_names_every_reason():
    result = decide(
        attended_hours=Decimal("14"),
        absences=3,
        leave_hours=Decimal("3"),
        discipline_points=6,
        missed_required=("结业测试（闭卷）",),
    )
    assert not result.eligible and not result.still_possible
    assert result.reasons == (
        "到课学时 14，不足总学时 17 的 90%（15.3）",
        "缺勤 3 次，超过 2 次",
        "请假 3 学时，超过总学时的 14.3%",
        "违纪扣分 6 分，超过 5 分",
        "未参加必修课次“结业测试（闭卷）”",
    )


def test_completion_while_the_course_runs():
    running = decide(attended_hours=Decimal("6"), remaining_hours=Decimal("11"), remaining_required=("结业式",))
    assert (running.eligible, running.still_possible) == (False, True)
    assert running.reasons[-1] == "必修课次“结业式”尚未进行" and running.lasting == ()
    hopeless = decide(attended_hours=Decimal("4"), remaining_hours=Decimal("11"))
    assert not hopeless.still_possible  # 15 < 15.3 even attending everything left
    assert hopeless.lasting == ("到课学时 4，不足总学时 17 的 90%（15.3）",)
    absent_too_often = decide(attended_hours=Decimal("6"), remaining_hours=Decimal("11"), absences=3)
    assert not absent_too_often.still_possible
