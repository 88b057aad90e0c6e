"""Attendance in the admin is for looking, not for changing: every write carries a rule and a trail,
so it goes through the pages and attendance.services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AttendanceChange, AttendanceRecord, Bulletin, DeviceBinding, DisciplineRecord, LeaveRequest


class AttendanceChangeInline(admin.TabularInline):
    model = AttendanceChange
    extra = 0
    fields = ["field", "before", "after", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    list_display = ["session", "enrollment", "checked_in_at", "checkin_method", "checked_out_at", "flagged"]
    list_filter = ["flagged", "checkin_method", "session__course"]
    search_fields = ["enrollment__trainee__name", "enrollment__student_no", "session__title"]
    list_select_related = ["session", "enrollment__course", "enrollment__trainee"]
    inlines = [AttendanceChangeInline]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "kind", "hours", "status", "late_filed", "requested_at"]
    list_filter = ["status", "kind", "enrollment__course"]
    search_fields = ["enrollment__trainee__name"]
    list_select_related = ["enrollment__course", "enrollment__trainee"]


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "kind", "points", "session", "recorded_at", "voided_at"]
    list_filter = ["kind", "enrollment__course"]
    search_fields = ["enrollment__trainee__name"]
    list_select_related = ["enrollment__course", "enrollment__trainee", "session"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["doc_number", "title", "version", "published_by", "published_at"]
    list_filter = ["course"]
    search_fields = ["title", "doc_number"]


@admin.register(DeviceBinding)
class DeviceBindingAdmin(ReadOnlyAdmin):
    list_display = ["course", "enrollment", "created_at"]
    list_filter = ["course"]
    list_select_related = ["course", "enrollment__trainee", "enrollment__course"]
