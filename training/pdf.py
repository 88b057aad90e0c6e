"""The one way PDFs are made: a template under templates/pdf/, a context of plain values, WeasyPrint
with one FontConfiguration per process (without it memory grows with every render), and a URL
fetcher that serves only our own static files, so a document never reaches the network."""

import base64
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
    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf(font_config=_font_config())


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


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
