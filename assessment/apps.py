from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "结业考核"

    def ready(self):
        from core import audit

        from .models import AssessmentItem, Kind, Score

        audit.register_choices(AssessmentItem, Kind)
        audit.register_choices(Score, Kind)
