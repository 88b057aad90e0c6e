from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共部分"

    def ready(self):
        from . import links  # noqa: F401  (registers the SITE_URL check)
