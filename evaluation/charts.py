"""The geometry of the 评教 bar charts as plain numbers, drawn as inline SVG by
templates/evaluation/_chart.html on the results page and in the 评估报告 PDF alike (no script, no
library: courses run on intranets and WeasyPrint runs none).

One small chart per scored item: a bar per score 1..scale, its height the number of answers that
gave that score, the number written above it, the score below. The charts of one session share
their vertical scale, so that bars can be compared across items at a glance."""

from dataclasses import dataclass

# In SVG user units; the template scales the whole drawing to the space it gets.
WIDTH = 150
HEIGHT = 88
LEFT = RIGHT = 4
TOP = 14  # room for the number above the tallest bar
BOTTOM = 15  # room for the scores under the axis
BAR_SHARE = 0.64  # of each score's slot


@dataclass(frozen=True)
class Bar:
    score: int
    count: int
    x: float
    y: float
    width: float
    height: float
    center: float  # where the count and the score are written
    count_y: float
    score_label: str  # “5分”; the bare number on a 10-point scale, where “10分” would not fit


@dataclass(frozen=True)
class Chart:
    label: str  # the item
    mean: float | None
    bars: tuple[Bar, ...]
    description: str  # the numbers in words, for screen readers and the SVG <title>
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    score_y: int = HEIGHT - 3


def _number(value: float) -> str:
    return f"{value:.2f}"


def describe(label: str, counts: list[int], mean: float | None) -> str:
    """“针对性评分分布：5分12人，4分8人，…，1分0人；均分4.45”: highest score first, as reports read."""
    parts = "，".join(f"{score}分{counts[score - 1]}人" for score in range(len(counts), 0, -1))
    tail = f"；均分{_number(mean)}" if mean is not None else ""
    return f"{label}评分分布：{parts}{tail}"


def item_chart(label: str, counts: list[int], mean: float | None = None, *, top: int | None = None) -> Chart:
    """One item's chart; `top` is the count that reaches the full height (the largest count of
    the item when not given; at least 1, so an item nobody scored has flat bars)."""
    top = max(top if top is not None else max(counts, default=0), 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(counts), 1)
    bar_width = round(slot * BAR_SHARE, 2)
    bars = []
    for index, count in enumerate(counts):
        height = round(plot_height * count / top, 2)
        x = round(LEFT + index * slot + (slot - bar_width) / 2, 2)
        y = round(HEIGHT - BOTTOM - height, 2)
        score = index + 1
        bars.append(
            Bar(
                score,
                count,
                x,
                y,
                bar_width,
                height,
                center=round(x + bar_width / 2, 2),
                count_y=round(y - 2.5, 2),
                score_label=f"{score}分" if len(counts) <= 5 else str(score),
            )
        )
    return Chart(label, mean, tuple(bars), describe(label, counts, mean))


def item_charts(rows: list[tuple[str, list[int], float | None]]) -> list[Chart]:
    """The charts of one session's (or the course form's) items, (label, counts, mean) each, on a
    common scale: the largest count of any item reaches the full height."""
    top = max((max(counts, default=0) for _, counts, _ in rows), default=0)
    return [item_chart(label, counts, mean, top=top) for label, counts, mean in rows]
