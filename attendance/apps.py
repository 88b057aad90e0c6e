from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = "考勤"

    def ready(self):
        from core import audit

        from .models import DisciplineRecord, LeaveRequest

        audit.register_choices(LeaveRequest, LeaveRequest.Status, LeaveRequest.Kind)
        audit.register_choices(DisciplineRecord, DisciplineRecord.Kind)
