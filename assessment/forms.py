"""Forms of 结业考核: the organizer's plan, the score grid, the test-score file, the 心得 grade, a
discussion record, and the trainee's own 心得. They check shape; the services enforce the rules."""

from decimal import Decimal

from django import forms

from core.forms import Form
from training.rules import group_sort_key

from . import rules
from .services import ItemSetting

SCORE = {"min_value": 0, "max_value": 100, "max_digits": 4, "decimal_places": 1}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(Form):
    """The pass mark, the 心得 deadline, and per item its weight and own pass mark."""

    pass_mark = forms.DecimalField(label="考核及格线（总评）", **SCORE)
    essay_due_at = forms.DateTimeField(
        label="学习心得提交截止", required=False, widget=DATETIME, help_text="留空为结班归档前都可提交"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, label in rules.KIND_LABELS.items():
            weight = forms.IntegerField(label=f"{label} 权重（%）", min_value=0, max_value=100)
            own = forms.DecimalField(label=f"{label} 单项及格线", required=False, **SCORE)
            self.fields[f"weight_{kind}"], self.fields[f"pass_{kind}"] = weight, own
            self.rows.append((label, self[f"weight_{kind}"], self[f"pass_{kind}"]))

    def clean(self):
        data = super().clean()
        weights = {k: data.get(f"weight_{k}") for k in rules.KINDS}
        if all(w is not None for w in weights.values()) and (problem := rules.weights_problem(weights)):
            raise forms.ValidationError(problem)
        return data

    def items(self) -> list[ItemSetting]:
        data = self.cleaned_data
        return [ItemSetting(k, data[f"weight_{k}"], data[f"pass_{k}"]) for k in rules.KINDS]


class ScoreGridForm(Form):
    """One optional score per trainee (s_<学号>, unique in the course) for one item; an empty cell
    clears the mark."""

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrollment in enrollments:
            name = f"s_{enrollment.student_no}"
            self.fields[name] = forms.DecimalField(label=f"{enrollment.trainee.name} 成绩", required=False, **SCORE)
            self.rows.append((enrollment, self[name]))

    def values(self) -> dict[int, Decimal | None]:
        return {enrollment.pk: self.cleaned_data[field.name] for enrollment, field in self.rows}


class ScoreImportForm(Form):
    file = forms.FileField(
        label="成绩表（.xlsx 或 .csv）",
        help_text="第一行为表头：“成绩”一列，以及“学号”“手机号”“姓名”中的至少一列",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class EssayGradeForm(Form):
    score = forms.DecimalField(label="评分（0–100）", **SCORE)
    comment = forms.CharField(
        label="评语", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300})
    )


class DiscussionForm(Form):
    group = forms.ChoiceField(label="小组")
    topic = forms.CharField(label="讨论题目", max_length=100)
    recorder = forms.ModelChoiceField(label="记录人（学员）", queryset=None, empty_label="请选择")
    held_at = forms.DateTimeField(label="讨论时间", widget=DATETIME)
    summary = forms.CharField(
        label="讨论纪要", max_length=5000, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000})
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        enrollments = course.enrollments.select_related("trainee").order_by("group", "student_no")
        groups = sorted({g for g in enrollments.values_list("group", flat=True) if g}, key=group_sort_key)
        self.fields["group"].choices = [("", "请选择")] + [(g, g) for g in groups]
        self.fields["recorder"].queryset = enrollments
        self.fields["recorder"].label_from_instance = lambda e: f"{e.trainee.name}（{e.group or '未分组'}）"


class MyEssayForm(Form):
    title = forms.CharField(label="题目（可不填）", max_length=60, required=False)
    body = forms.CharField(
        label="心得正文",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": 20000}),
        help_text="直接填写，或在下面上传文件（二选一）",
    )
    file = forms.FileField(
        label="或上传文件（.docx、.txt、.pdf，不超过 5 MB）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,.pdf"}),
    )
