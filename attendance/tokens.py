"""Signed codes: the classroom QR (session, mode and time window) and the personal badge code.

Both are short HMACs keyed by SECRET_KEY, so a QR stays small enough for a projector across the
room, and neither carries a phone number or a name.
"""

import hmac

from django.utils.crypto import salted_hmac

from . import rules

_QR_SALT = "attendance.qr"
_BADGE_SALT = "attendance.badge"
MODES = ("in", "out")


def _mac(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:20]


def qr_token(session_id: int, mode: str, window: int) -> str:
    value = f"{session_id}.{mode}.{window}"
    return f"{value}.{_mac(_QR_SALT, value)}"


def scan_ticket(session_id: int, mode: str, now) -> str:
    """A code for the same session and mode that stays good for rules.TICKET_SECONDS: given to a
    trainee whose classroom code was valid when scanned, so logging in first does not expire it."""
    value = f"{session_id}.{mode}.t{int(now.timestamp())}"
    return f"{value}.{_mac(_QR_SALT, value)}"


def is_ticket(token: str) -> bool:
    """Whether `token` is a scan ticket (its time part starts with t), not a classroom code."""
    parts = token.split(".")
    return len(parts) == 4 and parts[2].startswith("t")


def ticket_for(token: str, session_id: int, mode: str, now) -> str:
    """The ticket that carries a valid scanned `token` through the login: a classroom code is
    exchanged for a new ticket; a ticket stays itself, so its two minutes run from the scan and
    a ticket never renews a ticket (a photographed code cannot be kept alive)."""
    return token if is_ticket(token) else scan_ticket(session_id, mode, now)


def qr_problem(token: str, *, session_id: int, now) -> tuple[str, str]:
    """Checks a scanned classroom code (or a ticket made from one) for the session in the URL.
    Returns (problem, mode) where problem is '' (accepted), 'forged', 'other_session', 'expired'
    or 'future'."""
    parts = token.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or parts[1] not in MODES:
        return "forged", ""
    ticket = parts[2].startswith("t")
    moment = parts[2][1:] if ticket else parts[2]
    if not moment.lstrip("-").isdigit():
        return "forged", ""
    value = ".".join(parts[:3])
    if not hmac.compare_digest(_mac(_QR_SALT, value), parts[3]):
        return "forged", ""
    if int(parts[0]) != session_id:
        return "other_session", parts[1]
    if ticket:
        return rules.ticket_problem(int(moment), now), parts[1]
    return rules.qr_window_problem(int(moment), now), parts[1]


def qr_mode(token: str) -> str:
    """'in' or 'out' as the code claims (unchecked: for wording the page before the POST)."""
    parts = token.split(".")
    return parts[1] if len(parts) == 4 and parts[1] in MODES else "in"


def badge_code(enrollment_id: int) -> str:
    """The code printed on a trainee's badge (胸牌) and shown on their phone."""
    value = f"B{enrollment_id}"
    return f"{value}-{_mac(_BADGE_SALT, value)[:12].upper()}"


def badge_enrollment_id(code: str) -> int | None:
    """The enrollment a badge code was made for, or None when it is not one of ours."""
    value, _, mac = code.strip().upper().partition("-")
    if not value.startswith("B") or not value[1:].isdigit():
        return None
    if not hmac.compare_digest(_mac(_BADGE_SALT, value)[:12].upper(), mac):
        return None
    return int(value[1:])


def badge_code_from_scan(text: str) -> str:
    """The badge code in what a scanner typed: the printed badge's QR holds a link ending in
    /b/<code>/, the text under it the bare code."""
    text = text.strip()
    if "/b/" in text:
        text = text.rsplit("/b/", 1)[1].strip("/").split("/")[0].split("?")[0]
    return text
