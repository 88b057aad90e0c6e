"""Horizontal bar charts as inline SVG, for pages and PDFs alike (no script, no library: courses
run on intranets and WeasyPrint runs none): a row per item — its label, a bar as long as its
value against `maximum`, and the value in words at the bar's end."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480  # SVG user units; the page scales the drawing to the space it gets
ROW = 20
LABEL = 170  # room for the labels left of the bars
VALUE = 64  # room for the value right of the longest bar


def hbars(rows: list[tuple[str, float, str]], *, maximum: float, title: str, colour: str = "#2f6db5") -> SafeString:
    """`rows` are (label, value, value in words). The chart is labelled with `title` and every
    value, for screen readers and the SVG <title>."""
    height = ROW * len(rows) + 6
    plot = WIDTH - LABEL - VALUE
    described = escape(f"{title}：" + "，".join(f"{label} {words}" for label, _, words in rows))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-label="{described}" class="hbar-chart">',
        f"<title>{described}</title>",
        f'<line x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height}" stroke="#8a8f96" stroke-width="0.8"/>',
    ]
    for index, (label, value, words) in enumerate(rows):
        y = 3 + index * ROW
        length = round(plot * value / maximum, 2) if maximum else 0
        short = label if len(label) <= 13 else f"{label[:12]}…"
        parts.append(
            f'<text x="{LABEL - 5}" y="{y + 13}" text-anchor="end" font-size="11" fill="#1b2a3a">{escape(short)}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{length}" height="{ROW - 7}" fill="{colour}"/>'
            f'<text x="{LABEL + length + 4}" y="{y + 13}" font-size="10.5" fill="#1b2a3a">{escape(words)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped, the rest are numbers
