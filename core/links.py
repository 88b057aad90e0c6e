"""The address phones reach the system at. Printed QR codes must hold an absolute URL: a bare
path makes a phone camera show text, not a link. SITE_URL names the public address; without it a
page can fall back to the address it was opened with, and paper that outlives the request
(certificates) cannot be made outside DEBUG."""

from django.conf import settings
from django.core.checks import Warning, register

SITE_URL_HINT = "请在环境变量或 .env 中设置 SITE_URL（学员手机能打开的地址，如 http://10.20.1.5:8000）。"


def site_url() -> str:
    return settings.SITE_URL


def public_base(request=None) -> str:
    """SITE_URL, or, when that is unset, the address the request came in on ('' when there is
    neither: the caller must refuse or warn)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def public_url(path: str, *, request=None) -> str:
    """`path` as an absolute URL under `public_base`."""
    return f"{public_base(request)}{path}"


@register()
def site_url_check(app_configs, **kwargs):
    """Printed QR codes (certificates, badges, sign-in sheets) need the public address."""
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "未设置 SITE_URL：打印的证书、胸牌和签到表上的二维码无法确定网址（不设置时不能颁发证书）。",
            hint=SITE_URL_HINT,
            id="core.W001",
        )
    ]
