"""Looking inside PDFs in tests with poppler-utils (installed by `make test`): the text layer,
the fonts, and the pages as pixels."""

import html
import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest


def _poppler(tool: str, pdf: bytes, *args: str) -> bytes:
    """Runs a poppler tool with the PDF on stdin ("-" in args) and returns what it writes to stdout."""
    if not shutil.which(tool):
        pytest.skip(f"{tool} (poppler-utils) is missing")
    return subprocess.run([tool, *args], input=pdf, capture_output=True, check=True).stdout


def text_of(pdf: bytes) -> str:
    """The text layer, with poppler's layout spaces and line breaks removed."""
    return re.sub(r"\s+", "", _poppler("pdftotext", pdf, "-", "-").decode())


def page_texts(pdf: bytes) -> list[str]:
    """The text layer page by page (poppler ends each page with a form feed), whitespace removed
    as in text_of."""
    pages = _poppler("pdftotext", pdf, "-", "-").decode().split("\f")
    return [re.sub(r"\s+", "", page) for page in pages[: pages_of(pdf)]]


@dataclass(frozen=True)
class Word:
    """A word of the text layer and its box in points from the page's top left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words_of(pdf: bytes, page: int = 1) -> list[Word]:
    """The words of one page as poppler's `pdftotext -bbox` finds them: a run of text without a gap
    or line break, so a word split over two lines comes out as two."""
    xhtml = _poppler("pdftotext", pdf, "-bbox", "-f", str(page), "-l", str(page), "-", "-").decode()
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in re.findall(pattern, xhtml)
    ]


def fonts_of(pdf: bytes) -> list[dict]:
    """pdffonts' table as dicts: name, type, emb, sub, uni."""
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is missing")
    lines = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode().splitlines()
    rows = []
    for line in lines[2:]:
        name, *middle, emb, sub, uni, _obj, _gen = line.split()
        rows.append({"name": name, "type": " ".join(middle[:-1]), "emb": emb, "sub": sub, "uni": uni})
    return rows


def assert_fonts_embedded_and_subset(pdf: bytes) -> list[dict]:
    fonts = fonts_of(pdf)
    assert fonts, "no fonts: the text would not be text"
    for font in fonts:
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font
    return fonts


def pages_of(pdf: bytes) -> int:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is missing")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def first_page_pixels(pdf: bytes, dpi: int = 40):
    """The first page rendered by poppler, as a greyscale PIL image."""
    from PIL import Image

    png = _poppler("pdftoppm", pdf, "-png", "-gray", "-r", str(dpi), "-singlefile", "-")
    return Image.open(io.BytesIO(png))


def worst_tile_change(before: bytes, after: bytes, *, dpi: int = 40, tile: int = 24) -> float:
    """How differently poppler draws two PDFs' first pages where the first has ink: both are blurred
    a little (so anti-aliasing on edges counts for little), cut into tiles, and the tile with the
    largest difference relative to its ink decides. Identical glyphs score about 0.25 at most; a
    wrong glyph under a tile scores near 1."""
    from PIL import ImageChops, ImageFilter, ImageStat

    def draw(pdf):
        return first_page_pixels(pdf, dpi).convert("L").filter(ImageFilter.GaussianBlur(1.5))

    a, b = draw(before), draw(after)
    worst = 0.0
    for left in range(0, a.width, tile):
        for top in range(0, a.height, tile):
            here, there = a.crop((left, top, left + tile, top + tile)), b.crop((left, top, left + tile, top + tile))
            ink = 255 * here.width * here.height - ImageStat.Stat(here).sum[0]
            if ink >= 255 * 20:  # at least some twenty dark pixels' worth
                worst = max(worst, ImageStat.Stat(ImageChops.difference(here, there)).sum[0] / ink)
    return worst
