from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "公共部分"

    def ready(self):
        from . import checks, links, pdf  # noqa: F401  (register the system checks)
