from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = "培训班"

    def ready(self):
        from . import pdf  # noqa: F401  (registers the CJK font system check)
