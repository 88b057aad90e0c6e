"""Reading the files organizers receive: .txt in UTF-8 (with or without BOM), GB18030/GBK or
UTF-16, CRLF or LF; .docx (Word, read as XML with defusedxml and a size guard); .md (the marks
removed). Pure: bytes in, text out, or a `MaterialFileError` with a Chinese message.
"""

import io
import re
import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCX_XML_BYTES = 40 * 1024 * 1024  # uncompressed document.xml: a zip bomb stops here
# A speech runs to some 20,000 characters; a file of a hundred times that is no material. Checked
# while reading, so neither a long .txt nor a .docx of countless tiny paragraphs costs more than
# this much text (and a .docx is streamed, never held as a whole tree).
MAX_TEXT_CHARS = 2_000_000
MAX_PARAGRAPHS = 100_000
_TOO_LONG = "文件中的文字超过 200 万字（或超过 10 万段），不像是一篇讲稿，请拆分后分别导入。"
SUFFIXES = (".txt", ".docx", ".md")
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_UNDECODABLE = "无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的文本文件后重试。"
_BAD_DOCX = "无法读取这个 Word 文件，请确认是 .docx 格式（旧版 .doc 请先另存为 .docx）。"


class MaterialFileError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def decode(content: bytes) -> str:
    """Text of a .txt file in whatever encoding Chinese offices save it in."""
    try:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            return content.decode("utf-16")
        if content.startswith(b"\xef\xbb\xbf"):
            return content[3:].decode("utf-8")
    except UnicodeDecodeError:
        raise MaterialFileError("encoding", _UNDECODABLE) from None
    if b"\x00" in content:
        raise MaterialFileError("binary", "这不是文本文件（含有二进制内容），请上传 .txt、.docx 或 .md 文件。")
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MaterialFileError("encoding", _UNDECODABLE)


def read_docx(content: bytes) -> str:
    """The paragraphs of a Word document, one per line."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise MaterialFileError("bad_docx", _BAD_DOCX) from None
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise MaterialFileError("too_large", "这个 Word 文件解压后过大，无法读取。")
    lines, size = [], 0
    try:
        with archive.open(info) as stream:
            # Streamed: each paragraph is read, its text kept, and the element dropped.
            open_elements = []
            for event, node in ElementTree.iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    open_elements.append(node)
                    continue
                open_elements.pop()
                if node.tag == f"{_WORD}p":
                    line = _paragraph_text(node)
                    lines.append(line)
                    size += len(line) + 1
                    if size > MAX_TEXT_CHARS or len(lines) > MAX_PARAGRAPHS:
                        raise MaterialFileError("too_long", _TOO_LONG)
                    if open_elements:
                        open_elements[-1].remove(node)
    except (ElementTree.ParseError, DefusedXmlException, zipfile.BadZipFile, zlib.error, EOFError):
        # Broken XML, entities or a DTD (refused by defusedxml), or a damaged archive.
        raise MaterialFileError("bad_docx", _BAD_DOCX) from None
    return "\n".join(lines)


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_WORD}t":
            parts.append(node.text or "")
        elif node.tag == f"{_WORD}tab":
            parts.append(" ")
        elif node.tag in (f"{_WORD}br", f"{_WORD}cr"):
            parts.append("\n")
    return "".join(parts)


_MD_MARKS = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # quotes
    (re.compile(r"^\s*[-*+]\s+(?=\S)", re.M), ""),  # bullets
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images
    (re.compile(r"^\s*([-*_]\s*){3,}$", re.M), ""),  # rules
]


def strip_markdown(text: str) -> str:
    for pattern, replacement in _MD_MARKS:
        text = pattern.sub(replacement, text)
    return text


def read(content: bytes, filename: str) -> str:
    """The text of an uploaded material file, or MaterialFileError naming what is wrong."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise MaterialFileError("unsupported", f"不支持 {suffix or '无扩展名'} 文件，请上传 .txt、.docx 或 .md 文件。")
    if not content:
        raise MaterialFileError("empty", "文件是空的。")
    if len(content) > MAX_BYTES:
        raise MaterialFileError("too_large", "文件超过 10 MB，无法导入。")
    if suffix == ".docx":
        text = read_docx(content)
    else:
        text = decode(content)
        if len(text) > MAX_TEXT_CHARS:
            raise MaterialFileError("too_long", _TOO_LONG)
        if suffix == ".md":
            text = strip_markdown(text)
    if not text.strip():
        raise MaterialFileError("empty", "文件中没有文字。")
    return text
