from django.apps import AppConfig


class CompletionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "completion"
    verbose_name = "结业"

    def ready(self):
        from attendance.services import leave_projector_register
        from core import audit

        from . import selectors
        from .models import Certificate

        audit.register_choices(Certificate, Certificate.Status)
        leave_projector_register(selectors.leave_projection)
