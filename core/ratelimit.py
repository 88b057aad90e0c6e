"""A small fixed-window rate limit on Django's cache (Redis when CACHE_URL is set, so every web
process counts together; otherwise per process): the public verify page, check-ins per trainee,
failed logins per network."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind our own reverse proxy (DJANGO_BEHIND_PROXY)
    the address that proxy saw, the last one it appended to X-Forwarded-For (earlier entries are
    the visitor's to forge)."""
    if request is None:
        return ""
    if settings.BEHIND_PROXY and (forwarded := request.META.get("HTTP_X_FORWARDED_FOR", "")):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(key: str, *, seconds: int) -> int:
    """Counts one more for `key` in the current window of `seconds` and returns the count."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def count(key: str) -> int:
    return cache.get(key, 0)


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """True while `key` has been seen at most `limit` times in the current window."""
    return hit(key, seconds=seconds) <= limit
