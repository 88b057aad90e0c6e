"""System checks for settings that a deployment gets wrong quietly."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from . import outbound


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """The login limits (per account and for the whole network) count in the cache: in each
    process's memory, each gunicorn worker counts alone, and the network-wide cap of 200 failures
    becomes 200 per worker."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "未设置 CACHE_URL：登录失败次数等限流计数在每个 web 进程内各自计算，多进程部署时限制会被放大。",
                hint="设置 CACHE_URL=redis://127.0.0.1:6379/1（与 Celery 用同一个 Redis 的另一个库）。",
                id="core.W002",
            )
        ]
    return []


@register()
def sms_gateway_check(app_configs, **kwargs):
    """An SMS gateway on this machine or the intranet must be allowed by name."""
    problem = settings.SMS_GATEWAY_URL and outbound.address_problem(settings.SMS_GATEWAY_URL)
    if problem:
        return [Warning(f"SMS_GATEWAY_URL 不可用：{problem}；短信将发送失败。", id="core.W003")]
    return []


@register()
def secret_key_check(app_configs, **kwargs):
    """Without a key the site does not start (config/wsgi.py); commands that sign nothing still
    run, and say so here."""
    try:
        settings.SECRET_KEY  # noqa: B018 — Django refuses an empty key when it is read
    except ImproperlyConfigured:
        return [Warning(settings.SECRET_KEY_MISSING + "；网站在设置密钥之前不会启动。", id="core.W004")]
    return []
