import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

try:
    settings.SECRET_KEY  # noqa: B018 — Django refuses an empty key when it is read
except ImproperlyConfigured:
    raise ImproperlyConfigured(settings.SECRET_KEY_MISSING) from None  # no site without a key

application = get_wsgi_application()
