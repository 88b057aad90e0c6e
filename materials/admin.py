"""Materials in the admin: mainly to give a library material (imported from the command line
without a course) its course. Title and text are read-only here, since the search index follows
them; the course pages change the rest."""

from django.contrib import admin

from .models import Material, MaterialRead


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "speaker", "release_at", "created_at"]
    list_filter = ["course"]
    search_fields = ["title", "speaker"]
    list_select_related = ["course"]
    fields = ["course", "title", "speaker", "speaker_position", "occasion", "date", "release_at", "source_name", "body"]
    readonly_fields = ["title", "source_name", "body"]

    def has_add_permission(self, request):
        return False  # materials come in through the import, which cleans and indexes them


@admin.register(MaterialRead)
class MaterialReadAdmin(admin.ModelAdmin):
    list_display = ["material", "enrollment", "read_at"]
    list_select_related = ["material", "enrollment__trainee", "enrollment__course"]
    search_fields = ["material__title", "enrollment__trainee__name"]

    def has_change_permission(self, request, obj=None):
        return False
