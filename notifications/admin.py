from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: resend and cancel are on the course's outbox page, through the services."""

    list_display = ["kind", "recipient", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "channel", "course"]
    search_fields = ["recipient", "title", "dedupe_key"]
    list_select_related = ["course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted row would be planned and sent again
