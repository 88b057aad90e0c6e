"""Materials in the admin: mainly to give a library material (imported from the command line
without a course) its course, once. Title and text are read-only here, since the search index follows
them; the course pages change the rest."""

from django import forms
from django.contrib import admin

from .models import Material, MaterialRead


class MaterialAdminForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["course", "speaker", "speaker_position", "occasion", "date", "release_at"]

    def clean_course(self):
        course = self.cleaned_data["course"]
        if course is not None and course.pk != self.instance.course_id:
            same = Material.objects.filter(course=course, fingerprint=self.instance.fingerprint)
            if same.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("这个培训班已有相同正文的材料。")
        return course


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    form = MaterialAdminForm
    list_display = ["title", "course", "speaker", "release_at", "created_at"]
    list_filter = ["course"]
    search_fields = ["title", "speaker"]
    list_select_related = ["course"]
    fields = ["course", "title", "speaker", "speaker_position", "occasion", "date", "release_at", "source_name", "body"]
    readonly_fields = ["title", "source_name", "body"]

    def get_readonly_fields(self, request, obj=None):
        # Only a library material gets its course here: moving one between courses would leave
        # sessions and reads of the old course behind.
        if obj is not None and obj.course_id is not None:
            return [*self.readonly_fields, "course"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # materials come in through the import, which cleans and indexes them


@admin.register(MaterialRead)
class MaterialReadAdmin(admin.ModelAdmin):
    list_display = ["material", "enrollment", "read_at"]
    list_select_related = ["material", "enrollment__trainee", "enrollment__course"]
    search_fields = ["material__title", "enrollment__trainee__name"]

    def has_change_permission(self, request, obj=None):
        return False
