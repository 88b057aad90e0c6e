"""Forms check the shape of what was sent; attendance.services decides whether it may be written."""

from datetime import date

from django import forms
from django.utils import timezone

from core.formats import month_day
from core.forms import Form
from training import rules as training_rules
from training.models import Course, Enrollment, Session

from . import services, tokens
from .models import DisciplineRecord, LeaveRequest


def session_label(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{month_day(start)} {start:%H:%M} {session.title}"


class RollcallMarkForm(Form):
    enrollment = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    action = forms.ChoiceField(choices=[(a, a) for a in services.ROLLCALL_ACTIONS])
    reason = forms.CharField(max_length=200, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因。"})


class BadgeScanForm(Form):
    code = forms.CharField(
        label="胸牌码",
        max_length=200,
        error_messages={"required": "请扫描或输入胸牌码。"},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "placeholder": "扫描枪扫码或手动输入"}),
    )
    mode = forms.ChoiceField(label="操作", choices=[("in", "签到"), ("out", "签退")], initial="in")

    def clean_code(self):
        return tokens.badge_code_from_scan(self.cleaned_data["code"])


class LeaveRequestForm(Form):
    kind = forms.ChoiceField(
        label="请假类型",
        choices=LeaveRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择请假类型。"},
    )
    sessions = forms.ModelMultipleChoiceField(
        label="请假课次",
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要请假的课次。"},
    )
    reason = forms.CharField(
        label="事由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="只有班主任和组织者能看到事由",
        error_messages={"required": "请填写请假事由。"},
    )

    def __init__(self, *args, course: Course, now, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirm:
            self.ask_confirm()
        today = timezone.localdate(now)
        # Sessions not yet over, and today's earlier ones (补假 for this morning).
        choices = [s for s in course.sessions.order_by("starts_at") if s.ends_at > now or s.local_date == today]
        self.fields["sessions"].queryset = course.sessions.filter(pk__in=[s.pk for s in choices])
        self.fields["sessions"].label_from_instance = session_label

    def ask_confirm(self) -> None:
        """Leave that would cost the trainee their 结业 is asked for only with this box ticked."""
        self.fields["confirm"] = forms.BooleanField(label="我已知晓会因此不能结业，仍然提交", required=False)


class LeaveDecisionForm(Form):
    approve = forms.TypedChoiceField(
        label="审批",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意或不同意。"},
    )
    comment = forms.CharField(label="意见", max_length=200, required=False, help_text="不同意时必填，学员会看到")

    def __init__(self, *args, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirm:  # the approval would cost the trainee their 结业
            self.fields["confirm"] = forms.BooleanField(label="我已知晓学员将因此不能结业，仍然批准", required=False)


class DisciplineForm(Form):
    enrollment = forms.ModelChoiceField(label="学员", queryset=Enrollment.objects.none())
    session = forms.ModelChoiceField(label="课次", queryset=Session.objects.none(), required=False)
    kind = forms.ChoiceField(label="类型", choices=DisciplineRecord.Kind.choices)
    points = forms.IntegerField(label="扣分", min_value=0, max_value=100, initial=1)
    minutes_out = forms.IntegerField(label="离开教室（分钟）", min_value=1, max_value=600, required=False)
    note = forms.CharField(label="情况说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        enrollments = course.enrollments.filter(status=Enrollment.Status.ENROLLED).select_related("trainee")
        self.fields["enrollment"].queryset = enrollments.order_by("student_no")
        self.fields["enrollment"].label_from_instance = lambda e: f"{e.student_no} {e.trainee.name} {e.group}"
        # 48 names in one list: a search box above it narrows the list as one types (static/js/app.js)
        self.fields["enrollment"].widget.attrs["data-searchable"] = "输入姓名、学号或小组筛选"
        self.fields["session"].queryset = course.sessions.order_by("starts_at")
        self.fields["session"].label_from_instance = session_label
        self.fields["session"].empty_label = "（不属于某一课次）"


class DocumentTextField(forms.CharField):
    """Text printed in a 公文: required, limited in length (control characters are refused by the
    forms' base, core.forms)."""

    def __init__(self, *, label: str, max_length: int, multiline: bool = False, **kwargs):
        super().__init__(
            label=label,
            max_length=max_length,
            error_messages={
                "required": f"请填写{label}。",
                "max_length": f"{label}不能超过 %(limit_value)d 个字（现在 %(show_value)d 个）。",
            },
            widget=forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput,
            **kwargs,
        )


class BulletinForm(Form):
    """The range of a bulletin and the words it is published with (标题, 主送, 开头, 结尾)."""

    day = forms.TypedChoiceField(
        label="范围",
        widget=forms.HiddenInput,  # chosen by the day tabs above the form
        coerce=lambda v: date.fromisoformat(v) if v else None,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "请选择通报范围。"},
    )
    title = DocumentTextField(label="标题", max_length=100)
    recipients = DocumentTextField(label="主送", max_length=60, help_text="如“各学员所在单位工会”，末尾的冒号可省略")
    opening = DocumentTextField(
        label="开头", max_length=800, multiline=True, help_text="一行一段；统计情况接在开头之后"
    )
    closing = DocumentTextField(
        label="结尾", max_length=800, multiline=True, help_text="一行一段，一般以“特此通报。”结束"
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [
            (day.isoformat(), f"第{training_rules.chinese_number(i)}天 {day.month}月{day.day}日")
            for i, day in enumerate(course.days, start=1)
        ] + [("", "全程")]

    def clean_recipients(self):
        recipients = self.cleaned_data["recipients"].rstrip(":：").rstrip()
        if not recipients:
            raise forms.ValidationError("请填写主送。", code="required")
        return recipients
