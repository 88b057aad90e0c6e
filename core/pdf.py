"""The one way PDFs are made: a template under templates/pdf/, a context of plain values, WeasyPrint
with one FontConfiguration per process (without it memory grows with every render), a URL
fetcher that serves only our own static files, so a document never reaches the network, and a
finisher that shrinks the embedded CJK fonts to the glyphs the document shows."""

import base64
import io
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, register
from django.template.loader import render_to_string

_fonts = None
CJK_FONT_HINT = "请安装中文字体：apt-get install fonts-noto-cjk（make run、make test 和 Dockerfile 会自动安装）"


def _font_config():
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serves data: URIs and /static/… from our static files; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = f"file://{settings.STATIC_URL}"
            path = finders.find(url[len(prefix) :]) if url.startswith(prefix) else None
            if path:
                return super().fetch(Path(path).as_uri(), headers)
            raise ValueError(f"PDF 只能引用本系统的静态文件：{url}")

    return StaticOnlyFetcher(allowed_protocols={"data", "file"})


def render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
    return document.write_pdf(font_config=_font_config(), finisher=compact_fonts)


def render_in_parts(template: str, context: dict, *, key: str, size: int) -> bytes:
    """A long document of one-page-per-item sheets (no page counter across them), rendered
    `size` items at a time and joined: WeasyPrint keeps a whole document's boxes in memory, so
    500 结业鉴定表 in one go peak above 900 MB; in parts of 50 the pages are the same and memory
    stays that of one part. Each part embeds its own font subset."""
    from pypdf import PdfReader, PdfWriter

    items = context[key]
    if len(items) <= size:
        return render(template, context)
    writer = PdfWriter()
    for start in range(0, len(items), size):
        reader = PdfReader(io.BytesIO(render(template, {**context, key: items[start : start + size]})))
        if not start:
            writer.add_metadata(reader.metadata)  # the title and creator the single render gives
        writer.append(reader, import_outline=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _used_cids(widths) -> set[int]:
    """The CIDs a CIDFont's /W array lists (WeasyPrint writes `start [w w …]` runs for the glyphs
    the document shows)."""
    cids, items = set(), list(widths)
    for start, run in zip(items[::2], items[1::2], strict=True):
        cids.update(range(start, start + len(run)))
    return cids


def compact_fonts(document, pdf) -> None:
    """A WeasyPrint finisher. WeasyPrint subsets fonts keeping their original glyph numbers, so a
    Noto CJK face stays ≈145 KB with some 62,000 empty slots however few characters it shows.
    Here each embedded font is subset again to the glyphs used, renumbered: a TrueType face gets a
    /CIDToGIDMap from the old numbers (still the codes in the page content) to the new ones; a
    CID-keyed CFF face becomes a bare CFF (/CIDFontType0C), whose charset keeps each glyph's old
    number as its CID, which is how PDF readers select CFF glyphs. Checked with poppler, pdfium and
    MuPDF. Anything else (bitmap faces, non-CID CFF) is left as WeasyPrint wrote it."""
    import pydyf
    from fontTools import subset
    from fontTools.ttLib import TTFont

    objects = {obj.reference: obj for obj in pdf.objects[1:]}
    cid_fonts = {}  # font file reference → the CIDFont dictionaries drawing with it
    for obj in pdf.objects[1:]:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") in ("/CIDFontType0", "/CIDFontType2"):
            descriptor = objects[obj["FontDescriptor"]]
            file_ref = descriptor.get("FontFile2") or descriptor.get("FontFile3")
            if file_ref:
                cid_fonts.setdefault(file_ref, []).append(obj)
    for file_ref, dictionaries in cid_fonts.items():
        stream = objects[file_ref]
        font = TTFont(io.BytesIO(b"".join(stream.stream)))
        cff = font["CFF "].cff if "CFF " in font else None
        if (cff is None and "glyf" not in font) or (cff is not None and not hasattr(cff.topDictIndex[0], "ROS")):
            continue  # CFF2, bitmap or name-keyed CFF faces: left as WeasyPrint wrote them
        old_order = font.getGlyphOrder()
        cids = sorted({cid for d in dictionaries for cid in _used_cids(d["W"]) if cid < len(old_order)})
        options = subset.Options(
            retain_gids=False, notdef_outline=True, hinting=True, desubroutinize=True, layout_features=[]
        )
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(glyphs=[old_order[cid] for cid in cids])
        subsetter.subset(font)
        out = io.BytesIO()
        if cff is not None:
            font["CFF "].cff.compile(out, font)
            stream.extra["Subtype"] = "/CIDFontType0C"
        else:
            font.save(out)
            stream.extra["Length1"] = len(out.getvalue())
            new_gid = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
            cid_to_gid = bytearray(2 * (cids[-1] + 1 if cids else 1))
            for cid in cids:
                cid_to_gid[2 * cid : 2 * cid + 2] = new_gid[old_order[cid]].to_bytes(2, "big")
            map_stream = pydyf.Stream([bytes(cid_to_gid)], compress=True)
            pdf.add_object(map_stream)
            for dictionary in dictionaries:
                dictionary["CIDToGIDMap"] = map_stream.reference
        stream.stream = [out.getvalue()]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(content: bytes, filename: str, *, inline: bool = True, content_type: str = "application/pdf"):
    """An HTTP response with a document, its Chinese file name encoded for every browser."""
    from urllib.parse import quote

    from django.http import HttpResponse

    answer = HttpResponse(content, content_type=content_type)
    answer["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"
    return answer


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def file_uri(field_file, mime: str = "image/png") -> str:
    """A stored file (an organization's seal) as a data: URI for a PDF, or "" when there is none."""
    if not field_file:
        return ""
    with field_file.open("rb") as handle:
        return data_uri(handle.read(), mime)


def cjk_fonts() -> list[str]:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


@register()
def cjk_font_check(app_configs, **kwargs):
    """PDFs without a Chinese font show empty boxes: refuse to start instead of failing silently."""
    if cjk_fonts():
        return []
    return [Error("没有找到中文字体，证书和报表 PDF 会显示成方框。", hint=CJK_FONT_HINT, id="training.E001")]
