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


@dataclass
class Code:
    """A barcode found on a rendered page: its text, its symbology (zxing's name, e.g. QRCode or
    MicroQRCode), the page (from 1) and its box in millimetres from the page's top left corner."""

    text: str
    format: str
    page: int
    box: tuple[float, float, float, float]  # left, top, right, bottom


def codes_of(pdf: bytes, *, dpi: int = 150) -> list[Code]:
    """Every barcode a real decoder (zxing-cpp) reads off each page as poppler draws it at `dpi`:
    proof that a printed code scans, which reading the template is not."""
    import tempfile
    from pathlib import Path

    import zxingcpp
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is missing")
    found = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-", f"{folder}/p"], input=pdf, check=True)
        pages = sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        mm = 25.4 / dpi
        for number, path in enumerate(pages, start=1):
            for code in zxingcpp.read_barcodes(Image.open(path)):
                corners = [code.position.top_left, code.position.top_right]
                corners += [code.position.bottom_left, code.position.bottom_right]
                xs, ys = [c.x * mm for c in corners], [c.y * mm for c in corners]
                found.append(Code(code.text, code.format.name, number, (min(xs), min(ys), max(xs), max(ys))))
    return found


def decoded_qr_codes(pdf: bytes) -> list[str]:
    """The texts of the standard QR codes on the pages (a Micro QR code fails the test here)."""
    codes = codes_of(pdf)
    assert all(code.format == "QRCode" for code in codes), [c.format for c in codes]
    return [code.text for code in codes]


@dataclass
class PlacedWord:
    text: str
    page: int
    box: tuple[float, float, float, float]  # left, top, right, bottom, millimetres


def placed_words_of(pdf: bytes) -> list[PlacedWord]:
    """The text layer's words with their boxes (pdftotext -bbox), in millimetres from each page's
    top left corner."""
    from html import unescape

    html = _poppler("pdftotext", pdf, "-bbox", "-", "-").decode()
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            left, top, right, bottom = (float(match.group(i)) * 25.4 / 72 for i in range(1, 5))
            words.append(PlacedWord(unescape(match.group(5)), page, (left, top, right, bottom)))
    return words
