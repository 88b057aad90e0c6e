"""Pure decisions about speech texts: cleaning what organizers paste or receive, splitting a
compilation into its articles, finding title, speaker and occasion, the outline, and the passages
a search hits. Plain strings in, plain values out.

A cleaned text has one paragraph per line.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef“”‘’—…·"
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) (?=[{_CJK}{_CJK_PUNCT}])")
_ENDS_SENTENCE = tuple("。！？!?…；;：:")
_CLOSERS = "”’」』）)》】"
_CONTINUES = tuple("，,、—-－")  # a line ending in these is cut mid-sentence
_HAS_CJK = re.compile(f"[{_CJK}]")
_INNER_PUNCT = re.compile(r"[，,。；;、！？]")
_SCRAPED_TAIL = re.compile(r"(\.{3,}|…+)$")
_SALUTATION = re.compile(r"^(同志们|各位[^，。]{0,20}同志们|各位[^，。]{0,10})[：:，,]")

_NUM = "一二三四五六七八九十"
# Numbering styles, highest first: 一、 > （一） > 第一， > 一是/一要 > 1、
_STYLES = (
    ("chinese_comma", re.compile(rf"^[{_NUM}]{{1,3}}、")),
    ("paren", re.compile(rf"^[（(][{_NUM}]{{1,3}}[）)]")),
    ("ordinal", re.compile(rf"^第[{_NUM}]{{1,3}}[，,、：:是]")),
    ("is_must", re.compile(rf"^[{_NUM}]{{1,3}}(?:是|要|则|来)")),
    ("arabic", re.compile(r"^\d{1,2}[、.．]\s*(?!\d)")),
)
_BYLINE = re.compile(rf"^([{_CJK}·]{{2,6}})\s*(?:观点|文|撰文|/文)$")
_END_MARK = re.compile(rf"^[■□◆▲●]\s*([{_CJK}·]{{2,6}})$")
_AUTHOR_NOTE = re.compile(r"^[（(]\s*作者(?:系|为|是)(.+?)\s*[）)]$")
_OCCASION = re.compile(r"^在(.{2,60}?)上的(?:[^，。]{0,6})?(?:讲话|发言|报告|致辞)")
_HELD = re.compile(r"举办(?:了)?(?:为期[^的，。]{1,6}的)?([^，。；、]{2,30}?(?:培训班|研讨班|学习班|座谈会|大会|会议))")


# --- Cleaning ---------------------------------------------------------------------------------------------


def _normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", unicodedata.normalize("NFC", line))
    line = _SPACES.sub(" ", line).strip()
    return _SPACE_BETWEEN_CJK.sub("", line)


def _ends_sentence(first: str, tail: str) -> bool:
    """ends_sentence from the first character and the last three of a line."""
    if tail.endswith(_ENDS_SENTENCE) or tail.endswith("..."):
        return True
    return len(tail) >= 2 and tail[-1] in _CLOSERS and (tail[-2] in "。！？!?…" or first in "（(“")


def ends_sentence(line: str) -> bool:
    return _ends_sentence(line[:1], line[-3:])


def style_of(paragraph: str) -> str | None:
    for name, pattern in _STYLES:
        if pattern.match(paragraph):
            return name
    return None


MARKER_MAX = 120  # a byline, an end mark or an author's note is a short line


def _is_marker(line: str) -> bool:
    return len(line) <= MARKER_MAX and bool(_BYLINE.match(line) or _END_MARK.match(line) or _AUTHOR_NOTE.match(line))


class _Paragraph:
    """A paragraph being assembled from the lines a page break cut, keeping up to date what the
    joining rules ask of it (its head, its last characters, whether punctuation occurs before its
    last character, its length), so that joining n lines costs O(n), not O(n²): a 30 KB file of
    13,000 short lines once took a worker minutes."""

    HEAD = 64  # enough for every numbering style, salutation and marker pattern

    def __init__(self, line: str):
        self.parts, self.length = [line], len(line)
        self.head, self.tail = line[: self.HEAD], line[-3:]
        self.inner = bool(_INNER_PUNCT.search(line[:-1]))

    def add(self, line: str) -> None:
        glue = (
            " "
            if self.tail[-1:].isascii() and self.tail[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
            else ""
        )
        self.inner = self.inner or bool(_INNER_PUNCT.search(self.tail[-1:] + glue + line[:-1]))
        self.parts += [glue, line]
        self.length += len(glue) + len(line)
        if len(self.head) < self.HEAD:
            self.head = (self.head + glue + line)[: self.HEAD]
        self.tail = (self.tail + glue + line)[-3:]

    def text(self) -> str:
        return "".join(self.parts)

    def cut_mid_sentence(self) -> bool:
        """A line that a page break cut: it does not end a sentence, and it is prose (it has
        punctuation inside, ends with a comma, or is too long for a heading), not a heading."""
        if _ends_sentence(self.head[:1], self.tail):
            return False
        if self.length <= MARKER_MAX and _is_marker(self.text()):
            return False
        if style_of(self.head) and self.length <= 40:
            return False
        return self.tail.endswith(_CONTINUES) or self.inner or self.length > 40


def _continues(previous: _Paragraph, line: str, *, first: bool) -> bool:
    """Whether `line` is the rest of a sentence a page break cut from `previous`. Never when
    `line` starts something of its own (a numbered heading, a salutation, a byline); the first
    line of a text (usually its title) only when it plainly stops mid-sentence."""
    if _is_marker(line) or _SALUTATION.match(line) or (style_of(line) and len(line) <= 60):
        return False
    if first and not (previous.tail.endswith(_CONTINUES) or previous.length > 50):
        return False
    return previous.cut_mid_sentence()


def _is_scraped_summary(first: str, rest: list[str]) -> bool:
    """A web page's summary line pasted above the text: it ends in '...' and repeats the opening."""
    if len(first) > 300 or not _SCRAPED_TAIL.search(first) or not rest:
        return False
    head = re.sub(r"\s", "", _SCRAPED_TAIL.sub("", first))
    opening = re.sub(r"\s", "", "".join(rest))[: len(head)]
    return len(head) >= 10 and SequenceMatcher(None, head, opening, autojunk=False).ratio() >= 0.8


def _fullwidth_punctuation(text: str) -> str:
    """ASCII punctuation written inside Chinese text becomes the full-width mark (1,000 stays)."""
    near = rf"[{_CJK}{_CJK_PUNCT}]"
    for ascii_mark, wide in ((",", "，"), (";", "；"), (":", "："), ("?", "？"), ("!", "！")):
        text = re.sub(rf"(?<={near}){re.escape(ascii_mark)}|{re.escape(ascii_mark)}(?={near})", wide, text)
    # One pass over the brackets, then a look inside each: a pattern asking for a CJK character
    # between two unbounded runs backtracks quadratically on a long line with an unclosed "(".
    return re.sub(r"\(([^()]*)\)", lambda m: f"（{m.group(1)}）" if _HAS_CJK.search(m.group(1)) else m.group(0), text)


def clean(raw_text: str) -> str:
    """The text as a reader should see it, one paragraph per line: whitespace and full-width
    spaces normalised, a scraped summary line that repeats the opening dropped, lines broken in
    mid-sentence (page breaks) joined, ASCII punctuation inside Chinese made full-width. Redaction
    marks (×, *) stay as they are."""
    lines = [_normalise_line(line) for line in raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and _is_scraped_summary(lines[0], lines[1:6]):
        lines = lines[1:]
    paragraphs: list[_Paragraph] = []
    for line in lines:
        if paragraphs and _continues(paragraphs[-1], line, first=len(paragraphs) == 1):
            paragraphs[-1].add(line)
        else:
            paragraphs.append(_Paragraph(line))
    return "\n".join(_fullwidth_punctuation(p.text()) for p in paragraphs)


# --- Articles -------------------------------------------------------------------------------------------------


@dataclass
class Article:
    title: str
    speaker: str
    speaker_position: str
    occasion: str
    body: str


def _is_title(paragraph: str) -> bool:
    return (
        len(paragraph) <= 50
        and not ends_sentence(paragraph)
        and not _SALUTATION.match(paragraph)
        and not style_of(paragraph)
        and not _is_marker(paragraph)
    )


def occasion_of(title: str, body: str) -> str:
    """'全市工会工作' from '在全市工会工作上的讲话', else what the opening says was held."""
    match = _OCCASION.match(title)
    if match:
        return match.group(1)
    match = _HELD.search(body[:400])
    return match.group(1) if match else ""


def _article(paragraphs: list[str], fallback_title: str) -> Article:
    title_lines, speaker, position = [], "", ""
    byline = next((i for i, p in enumerate(paragraphs[:4]) if _BYLINE.match(p)), None)
    if byline is not None:  # a kicker and the title above the byline; a masthead above them is dropped
        title_lines, speaker = paragraphs[max(0, byline - 2) : byline], _BYLINE.match(paragraphs[byline]).group(1)
        paragraphs = paragraphs[byline + 1 :]
    elif paragraphs and _is_title(paragraphs[0]):
        title_lines, paragraphs = paragraphs[:1], paragraphs[1:]
    body = []
    for paragraph in paragraphs:
        if note := _AUTHOR_NOTE.match(paragraph):
            position = position or note.group(1)
        elif end := _END_MARK.match(paragraph):
            speaker = speaker or end.group(1)
        else:
            body.append(paragraph)
    text = "\n".join(body)
    title = "——".join(title_lines)
    if not title:
        occasion = occasion_of("", text)
        title = f"在{occasion}上的讲话" if occasion else fallback_title
    return Article(title, speaker, position, occasion_of(title, text), text)


def split(cleaned: str, *, fallback_title: str = "") -> list[Article]:
    """One article per piece of a compilation (pieces end with a '■ name' line), else one. Each
    with its title (the first line when it is one; lines above a byline), speaker (from '杨忠林
    观点', '■ 杨忠林'), the speaker's position (from '（作者为…）') and occasion."""
    paragraphs = [p for p in cleaned.split("\n") if p]
    ends = [i for i, p in enumerate(paragraphs) if _END_MARK.match(p)]
    if len(ends) < 2:
        return [_article(paragraphs, fallback_title)] if paragraphs else []
    pieces, start = [], 0
    for end in ends:
        pieces.append(paragraphs[start : end + 1])
        start = end + 1
    rest = paragraphs[start:]
    if any(_BYLINE.match(p) for p in rest[:4]):  # a last article without its closing ■ line
        pieces.append(rest)
    elif rest:
        pieces[-1].extend(rest)
    return [_article(piece, fallback_title) for piece in pieces]


def parse(raw_text: str, *, fallback_title: str = "") -> list[Article]:
    return split(clean(raw_text), fallback_title=fallback_title)


# --- Outline --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineEntry:
    """One line of a table of contents: `level` 1 or 2, `title`, and the index of the paragraph
    it points at (the anchor on the reading page). Readable as entry.level or entry["level"]."""

    level: int
    title: str
    paragraph: int

    def __getitem__(self, key):
        return getattr(self, key)

    def as_dict(self) -> dict:
        return asdict(self)


def _heading_title(paragraph: str, limit: int = 40) -> str:
    if len(paragraph) > limit or re.search(r"[。！？；]", paragraph[:-1]):
        lead = re.split(r"(?<=[。！？；])", paragraph, maxsplit=1)[0]
        paragraph = lead
    paragraph = paragraph.rstrip("。；;：:")
    return paragraph if len(paragraph) <= limit else paragraph[: limit - 1] + "…"


def outline(body: str) -> list[OutlineEntry]:
    """The table of contents. Level 1 is the highest numbering style the text uses (一、 in most
    speeches; 一是… where there is no 一、), level 2 the numbered points under it (（一）, 第一,
    一是/一要). A text without numbering gets its short heading lines as level 1."""
    paragraphs = body.split("\n")
    styles = [style_of(p) for p in paragraphs]
    used = [name for name, _ in _STYLES if _counts(name, paragraphs, styles)]
    styles = [style if style in used else None for style in styles]
    entries = []
    if used:
        top = used[0]
        seen_top = False
        for index, (paragraph, style) in enumerate(zip(paragraphs, styles, strict=True)):
            if style == top:
                seen_top = True
                entries.append(OutlineEntry(1, _heading_title(paragraph), index))
            elif style and seen_top:
                entries.append(OutlineEntry(2, _heading_title(paragraph), index))
        return entries
    for index, paragraph in enumerate(paragraphs[:-1]):
        cjk = len(re.findall(rf"[{_CJK}]", paragraph))
        if 6 <= cjk and len(paragraph) <= 30 and not ends_sentence(paragraph) and not _INNER_PUNCT.search(paragraph):
            entries.append(OutlineEntry(1, paragraph, index))
    return entries


def _counts(style: str, paragraphs: list[str], styles: list[str | None]) -> bool:
    """A numbering style is in use when its first and second items both start a paragraph (so a
    sentence that happens to begin with 一是 does not make an outline)."""
    starts = {p[:3] for p, s in zip(paragraphs, styles, strict=True) if s == style}
    firsts = {
        "chinese_comma": ("一、",),
        "paren": ("（一", "(一"),
        "ordinal": ("第一",),
        "is_must": ("一",),
        "arabic": ("1",),
    }
    seconds = {
        "chinese_comma": ("二、",),
        "paren": ("（二", "(二"),
        "ordinal": ("第二",),
        "is_must": ("二",),
        "arabic": ("2",),
    }
    return any(a.startswith(firsts[style]) for a in starts) and any(a.startswith(seconds[style]) for a in starts)


# --- Search ---------------------------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """The words of a query: split on spaces (half- or full-width), duplicates dropped."""
    terms = []
    for term in _SPACES.split(query.replace("，", " ").replace(",", " ")):
        term = _INVISIBLE.sub("", term).strip()
        if term and term not in terms:
            terms.append(term)
    return terms[:5]


_WORD_CHAR = re.compile(rf"[{_CJK}0-9a-z]")


def grams(text: str) -> Counter:
    """Adjacent pairs of word characters (Chinese, letters, digits; case folded) and how often
    each occurs: what the search index stores and what a query looks up."""
    text = text.lower()
    return Counter(
        text[i : i + 2] for i in range(len(text) - 1) if _WORD_CHAR.match(text[i]) and _WORD_CHAR.match(text[i + 1])
    )


@dataclass(frozen=True)
class Passage:
    paragraph: int
    parts: tuple[tuple[str, bool], ...]  # (text, is_hit) in order, for <mark> on the page


def passages(body: str, terms: list[str], *, limit: int = 3, width: int = 60) -> list[Passage]:
    """The paragraphs where the terms occur, most hits first, each cut to a window around its
    first hit and split into plain and hit parts."""
    if not terms:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    found = []
    for index, paragraph in enumerate(body.split("\n")):
        hits = list(pattern.finditer(paragraph))
        if hits:
            found.append((-len(hits), index, paragraph, hits))
    result = []
    for _, index, paragraph, hits in sorted(found)[:limit]:
        start = max(0, hits[0].start() - width // 3)
        end = min(len(paragraph), start + width)
        window = paragraph[start:end]
        parts, cursor = [], 0
        for hit in pattern.finditer(window):
            if hit.start() > cursor:
                parts.append((window[cursor : hit.start()], False))
            parts.append((hit.group(), True))
            cursor = hit.end()
        if cursor < len(window):
            parts.append((window[cursor:], False))
        if start > 0:
            parts.insert(0, ("…", False))
        if end < len(paragraph):
            parts.append(("…", False))
        result.append(Passage(index, tuple(parts)))
    return result
