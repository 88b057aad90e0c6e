from django.apps import AppConfig


class LodgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lodging"
    verbose_name = "报到、住宿和就餐"
