from django.apps import AppConfig


class CompletionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "completion"
    verbose_name = "结业"

    def ready(self):
        from core import audit

        from .models import Certificate

        audit.register_choices(Certificate, Certificate.Status)
