from django.conf import settings


def site(request):
    """Whether the public address is missing, for the warning on pages that print QR codes."""
    return {"site_url_missing": not settings.SITE_URL, "site_debug": settings.DEBUG}
