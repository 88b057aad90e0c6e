from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = "培训班"

    def ready(self):
        from core import audit

        from .models import Enrollment

        audit.register_choices(Enrollment, Enrollment.Status)
