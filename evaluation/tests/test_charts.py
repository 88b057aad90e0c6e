"""The bar charts' geometry without a database or a browser: heights follow the counts on a scale
shared by a session's items, and the numbers are said in words for screen readers."""

import pytest

from evaluation import charts


def test_bars_stand_on_the_baseline_and_grow_with_the_counts():
    chart = charts.item_chart("针对性", [0, 1, 2, 4, 8], 4.25)
    full = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert [bar.score for bar in chart.bars] == [1, 2, 3, 4, 5]
    assert [bar.height for bar in chart.bars] == pytest.approx([0, full / 8, full / 4, full / 2, full], abs=0.01)
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.baseline, abs=0.01)
        assert bar.count_y < bar.y  # the number sits above its bar
        assert chart.left <= bar.x and bar.x + bar.width <= chart.right
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs) and all(b.x - a.x > a.width for a, b in zip(chart.bars, chart.bars[1:], strict=False))
    assert [bar.score_label for bar in chart.bars] == ["1分", "2分", "3分", "4分", "5分"]


def test_the_description_reads_the_counts_from_the_highest_score():
    chart = charts.item_chart("教风教态", [0, 0, 2, 11, 7], 4.25)
    assert chart.description == "教风教态评分分布：5分7人，4分11人，3分2人，2分0人，1分0人；均分4.25"
    assert charts.describe("信息量", [1, 0], None) == "信息量评分分布：2分0人，1分1人"


def test_a_sessions_charts_share_one_scale():
    first, second = charts.item_charts([("甲", [0, 0, 0, 2, 8], 4.8), ("乙", [0, 0, 0, 5, 5], 4.5)])
    assert first.bars[4].height == charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert second.bars[4].height == pytest.approx(first.bars[4].height / 8 * 5, abs=0.01)  # 5 of 8, not the full height
    assert (first.mean, second.label) == (4.8, "乙")


def test_nobody_scored_gives_flat_bars_and_ten_points_fit():
    flat = charts.item_chart("甲", [0, 0, 0, 0, 0])
    assert all(bar.height == 0 for bar in flat.bars) and flat.mean is None
    ten = charts.item_chart("乙", [1] * 10)
    assert len(ten.bars) == 10 and ten.bars[-1].score_label == "10"
    assert ten.bars[-1].x + ten.bars[-1].width <= ten.right
