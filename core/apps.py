from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共部分"

    def ready(self):
        from . import checks, links  # noqa: F401  (register the system checks)
