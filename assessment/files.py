"""Checks of an uploaded 学习心得 file: .docx, .txt or .pdf, at most 5 MB, and its content what its
name says. Pure: bytes in, a Chinese problem (or "") out."""

import io
import zipfile
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".docx", ".txt", ".pdf")


def essay_file_problem(content: bytes, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        return "只能上传 .docx、.txt 或 .pdf 文件（旧版 .doc 请另存为 .docx）。"
    if not content:
        return "文件是空的。"
    if len(content) > MAX_BYTES:
        return "文件超过 5 MB，请压缩图片或改为直接填写正文。"
    if suffix == ".pdf" and not content.startswith(b"%PDF-"):
        return "这个文件不是有效的 PDF。"
    if suffix == ".docx":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                archive.getinfo("word/document.xml")
        except (zipfile.BadZipFile, KeyError):
            return "无法读取这个 Word 文件，请确认是 .docx 格式（旧版 .doc 请先另存为 .docx）。"
    if suffix == ".txt":
        if b"\x00" in content:
            return "这不是文本文件，请上传 .txt、.docx 或 .pdf 文件。"
        for encoding in ("utf-8", "gb18030"):
            try:
                content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return "无法识别文件的文字编码，请另存为 UTF-8 编码后重试。"
    return ""
