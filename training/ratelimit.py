"""A small fixed-window rate limit on Django's cache, for public pages (certificate verification)."""

from django.core.cache import cache


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """True while `key` has been seen at most `limit` times in the current window."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit
