from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "评教"

    def ready(self):
        from training import services as training_services

        from . import selectors

        training_services.register_session_time_check(selectors.session_time_problem)
