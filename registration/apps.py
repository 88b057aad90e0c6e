from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registration"
    verbose_name = "报名"

    def ready(self):
        from core import audit

        from .models import Nominee

        audit.register_choices(Nominee, Nominee.Status)
