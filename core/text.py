"""Characters that have no place in what people type: control characters (NUL breaks PostgreSQL
text; the others are invisible and break printing and exports) and the bidirectional overrides
that reorder what is shown. Pure; used by the forms' base and by the middleware for addresses."""

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_MESSAGE = "含有不可见的控制字符，请删除后重新输入。"


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether `value` holds such a character; line breaks and tabs pass in `multiline` text."""
    allowed = "\n\r\t" if multiline else ""
    return any(
        char in BIDI_CONTROLS or (unicodedata.category(char) in ("Cc", "Cs") and char not in allowed) for char in value
    )
