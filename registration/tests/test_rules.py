from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from registration import rules
from training import rules as training_rules

NOW = datetime(2026, 4, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_unit_may_change_until_the_deadline_and_never_once_locked():
    assert rules.unit_may_change(now=NOW, deadline=None, locked_at=None) is None
    assert rules.unit_may_change(now=NOW, deadline=NOW + timedelta(minutes=1), locked_at=None) is None
    assert rules.unit_may_change(now=NOW, deadline=NOW, locked_at=None).code == "closed"
    assert rules.unit_may_change(now=NOW, deadline=NOW + timedelta(days=1), locked_at=NOW).code == "locked"
    assert "报名已截止" in rules.CLOSED


def test_places_count_the_extra_and_never_fall_below_what_is_held():
    assert rules.places_left(places=2, extra=1, taken=2) == 1
    assert rules.places_left(places=2, extra=0, taken=3) == 0
    assert rules.quota_problem(places=1, extra=1, taken=2) is None
    assert "不能少于 3" in rules.quota_problem(places=2, extra=0, taken=3)


def test_other_diet_needs_words():
    assert (
        training_rules.diet_problem(diet="other", note=" ")
        and training_rules.diet_problem(diet="halal", note="") is None
    )


def test_totals_count_units_that_answered():
    row = dict(contact="", phone="", places=3, extra=1, approved=1, pending=1, returned=0)
    rows = [
        rules.UnitProgress(quota_pk=1, unit="甲", submitted=2, **row),
        rules.UnitProgress(quota_pk=2, unit="乙", submitted=0, **{**row, "approved": 0, "pending": 0}),
    ]
    totals = rules.progress_totals(rows)
    assert totals["answered"] == 1 and totals["places"] == 8 and totals["submitted"] == 2
    assert not rows[0].full and not rows[1].answered


def test_after_a_withdrawal_the_unit_or_the_roster_fills_the_place():
    now = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert rules.after_withdrawal(None) == "单位可以在报名链接上另报一人。"
    locked = rules.unit_may_change(now=now, deadline=None, locked_at=now)
    closed = rules.unit_may_change(now=now, deadline=now - timedelta(hours=1), locked_at=None)
    assert rules.after_withdrawal(locked).startswith("名单已锁定，如需补人，可在花名册中直接添加")
    assert rules.after_withdrawal(closed).startswith("报名已截止")
