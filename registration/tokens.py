"""The private link of a unit for one course: the quota's id and its nonce, signed (no timestamp: one link per quota and nonce, the same each time it is shown). Revoking the
link draws a new nonce (`services.link_revoke`), so the old signature still verifies but no
longer matches; the deadline is checked against the course's settings, not the signature, so the
organizer may move it."""

from django.core import signing
from django.urls import reverse

from core.links import public_url

SALT = "registration.unit-link"


def link_token(quota) -> str:
    return signing.Signer(salt=SALT).sign_object([quota.pk, quota.nonce])


def read_link(token: str) -> tuple[int, str] | None:
    """(quota id, nonce) from a token, or None when it was not signed by us."""
    try:
        pk, nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    return pk, nonce


def link_url(quota, *, request=None) -> str:
    return public_url(reverse("registration:unit-home", args=[link_token(quota)]), request=request)
