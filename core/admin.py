from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through services (with their rules and trails): looking, no writing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only: readable here, never added, changed or deleted."""

    list_display = ["at", "course", "actor_name", "action", "label"]
    list_filter = ["action"]
    search_fields = ["label", "actor_name"]
    date_hierarchy = "at"
