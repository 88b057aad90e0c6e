"""The geometry of the 评教 bar charts as plain numbers, and the inline SVG drawn from it
(`Chart.html`) on the results page and in the 评估报告 PDF alike (no script, no library: courses
run on intranets and WeasyPrint runs none). The SVG is written here rather than by a template:
a course of 30 sessions has 150 charts, and the template loop took half a second to draw them.

One small chart per scored item: a bar per score 1..scale, its height the number of answers that
gave that score, the number written above it, the score below. The charts of one session share
their vertical scale, so that bars can be compared across items at a glance."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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

    def html(self) -> SafeString:
        """The chart as a <figure> with its label and mean and an inline SVG (role="img", the
        numbers in words as its label and <title>). Numbers are written as plain decimals,
        whatever the page's locale."""
        mean = f' <strong class="eval-chart-mean">{_number(self.mean)}</strong>' if self.mean is not None else ""
        described = escape(self.description)
        parts = [
            '<figure class="eval-chart">',
            f'<figcaption><span class="eval-chart-label">{escape(self.label)}</span>{mean}</figcaption>',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}"'
            f' height="{self.height}" role="img" aria-label="{described}" class="eval-chart-svg">',
            f"<title>{described}</title>",
            f'<line x1="{self.left}" y1="{self.baseline}" x2="{self.right}" y2="{self.baseline}" stroke="#8a8f96"'
            ' stroke-width="0.8"/>',
        ]
        for bar in self.bars:
            parts.append(f'<g class="bar" data-score="{bar.score}" data-count="{bar.count}">')
            if bar.count:
                parts.append(
                    f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" fill="#2f6db5"/>'
                )
            colour = "#1b2a3a" if bar.count else "#8a8f96"
            parts.append(
                f'<text x="{bar.center}" y="{bar.count_y}" text-anchor="middle" font-size="10.5" font-weight="bold"'
                f' fill="{colour}">{bar.count}</text>'
                f'<text x="{bar.center}" y="{self.score_y}" text-anchor="middle" font-size="9.5"'
                f' fill="#555b63">{escape(bar.score_label)}</text></g>'
            )
        parts.append("</svg></figure>")
        return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped, the rest are numbers


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
