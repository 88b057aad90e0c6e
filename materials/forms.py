"""Forms check the shape of what was sent; materials.services decides what is written."""

from django import forms
from django.utils import timezone

from core.formats import month_day
from core.forms import Form, ModelForm
from training.models import Course

from . import files
from .models import Material


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        uploads = (
            [single(item, initial) for item in data] if isinstance(data, list | tuple) else [single(data, initial)]
        )
        uploads = [upload for upload in uploads if upload]
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return uploads


def session_choices(course: Course):
    sessions = course.sessions.order_by("starts_at")
    return (
        sessions,
        lambda s: f"{month_day(timezone.localtime(s.starts_at))} {timezone.localtime(s.starts_at):%H:%M} {s.title}",
    )


class MaterialUploadForm(Form):
    files = MultipleFileField(
        label="材料文件",
        widget=MultipleFileInput(attrs={"accept": ",".join(files.SUFFIXES)}),
        help_text="可一次选择多个文件：.txt（UTF-8 或 GBK）、.docx、.md；一个文件含多篇文章时会自动拆分",
        error_messages={"required": "请选择要导入的文件。"},
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > 20:
            raise forms.ValidationError("一次最多导入 20 个文件。")
        for upload in uploads:
            if upload.size > files.MAX_BYTES:
                raise forms.ValidationError(f"“{upload.name}”超过 10 MB。")
        return uploads


class SessionsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MaterialForm(ModelForm):
    sessions = SessionsField(label="相关课次", queryset=None, required=False)

    class Meta:
        model = Material
        fields = ["title", "speaker", "speaker_position", "occasion", "date", "release_at"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "release_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        queryset, label = session_choices(course)
        self.fields["sessions"].queryset = queryset
        self.fields["sessions"].label_from_instance = label
        if self.instance.pk:
            self.fields["sessions"].initial = list(self.instance.sessions.all())


class ImportSessionsForm(Form):
    sessions = SessionsField(label="关联到课次（可不选，导入后也可设置）", queryset=None, required=False)

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        queryset, label = session_choices(course)
        self.fields["sessions"].queryset = queryset
        self.fields["sessions"].label_from_instance = label
