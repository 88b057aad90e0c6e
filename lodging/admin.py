from django.contrib import admin

from .models import Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["organization", "building", "floor", "number", "beds", "gender", "is_active"]
    list_filter = ["organization", "building"]
