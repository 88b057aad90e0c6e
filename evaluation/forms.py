"""Forms of 评教: a trainee's answer (built from the form's items), the organizer's edit of a form,
and the course's evaluation settings."""

from django import forms

from core.forms import Form, ModelForm

from . import rules
from .models import EvaluationSettings


class AnswerForm(Form):
    """One radio group 1..scale per item (required), one textarea per open question (optional)."""

    def __init__(self, *args, evaluation_form, **kwargs):
        super().__init__(*args, **kwargs)
        scale = evaluation_form.scale
        choices = [(n, str(n)) for n in range(1, scale + 1)]
        for item in evaluation_form.items:
            self.fields[f"s_{item['key']}"] = forms.TypedChoiceField(
                label=item["label"],
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"请为“{item['label']}”打分。",
                    "invalid_choice": f"请选择 1 到 {scale} 之间的分数。",
                },
            )
        for question in evaluation_form.questions:
            self.fields[f"c_{question['key']}"] = forms.CharField(
                label=question["label"],
                required=False,
                max_length=rules.COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.COMMENT_MAX}),
            )
        self.items = [self[f"s_{item['key']}"] for item in evaluation_form.items]
        self.texts = [self[f"c_{q['key']}"] for q in evaluation_form.questions]

    def answer(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        return (
            {name[2:]: value for name, value in data.items() if name.startswith("s_")},
            {name[2:]: value for name, value in data.items() if name.startswith("c_")},
        )


class FormEditForm(Form):
    title = forms.CharField(label="标题", max_length=60)
    scale = forms.TypedChoiceField(
        label="分制", choices=[(5, "5 分制（1–5 分）"), (10, "10 分制（1–10 分）")], coerce=int
    )
    items = forms.CharField(
        label="打分项目（每行一项）",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=600,
        help_text=f"1 到 {rules.MAX_ITEMS} 项，每项不超过 {rules.ITEM_LABEL_MAX} 字",
    )
    questions = forms.CharField(
        label="开放式问题（每行一个，可不填）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        help_text=f"最多 {rules.MAX_QUESTIONS} 个，学员可选填，每个回答不超过 {rules.COMMENT_MAX} 字",
    )


class SettingsForm(ModelForm):
    class Meta:
        model = EvaluationSettings
        fields = ["enabled", "opens_before_minutes", "close_hours", "comment_threshold"]
