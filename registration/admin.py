from django.contrib import admin

from .models import Nominee, Quota, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "contact", "phone", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["name", "contact"]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["course", "unit", "places", "extra"]
    list_filter = ["course"]
    exclude = ["nonce"]


@admin.register(Nominee)
class NomineeAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "quota", "status", "created_at"]
    list_filter = ["course", "status"]
    search_fields = ["name", "phone"]
    readonly_fields = ["replaces", "enrollment", "decided_by"]
