"""Forms check the shape of what was typed (and normalise it with the same rules the roster import
uses); services decide whether it may be written."""

import math
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from core import outbound
from core.formats import month_day
from core.forms import CleanTextMixin, Form, ModelForm

from . import backends, rules
from .models import Course, Enrollment, Lecturer, Membership, Organization, Session, Trainee

COURSE_NAME_MAX = 60  # what a certificate, a badge and a 公文 title are laid out for
NETWORK_BLOCKED = "这个网络的登录失败次数过多，请 10 分钟后再试，或联系组织者。"


def _lock_message(remaining) -> str:
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return f"登录失败次数过多，该账户已临时锁定，请 {minutes} 分钟后再试，或联系组织者。"


class StaffLoginForm(CleanTextMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账户已停用。",
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            remaining = backends.lock_remaining(backends.staff_key(self.cleaned_data.get("username", "")))
            if remaining:
                raise forms.ValidationError(_lock_message(remaining), code="locked") from None
            if backends.network_blocked(self.request):
                raise forms.ValidationError(NETWORK_BLOCKED, code="network") from None
            raise


class TraineeLoginForm(Form):
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username", "autofocus": True}),
    )
    access_code = forms.CharField(
        label="登录码",
        max_length=12,
        help_text="登录码印在开班时发的登录凭条上，也可向班主任索取",
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        try:
            return rules.normalize_phone(self.cleaned_data["phone"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="phone") from None

    def clean(self):
        phone, code = self.cleaned_data.get("phone"), self.cleaned_data.get("access_code")
        if phone and code:
            self.user = authenticate(self.request, phone=phone, access_code=code)
            if self.user is None:
                remaining = backends.lock_remaining(backends.trainee_key(phone))
                if remaining:
                    raise forms.ValidationError(_lock_message(remaining), code="locked")
                if backends.network_blocked(self.request):
                    raise forms.ValidationError(NETWORK_BLOCKED, code="network")
                raise forms.ValidationError("手机号码或登录码不正确。", code="invalid_login")
        return self.cleaned_data

    def get_user(self):
        return self.user


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CourseForm(ModelForm):
    name = forms.CharField(
        label="名称", max_length=COURSE_NAME_MAX, help_text=f"不超过 {COURSE_NAME_MAX} 个字，印在证书、通报和报表上"
    )
    webhook_url = forms.URLField(
        label=Course._meta.get_field("webhook_url").verbose_name,
        help_text=Course._meta.get_field("webhook_url").help_text,
        required=False,
        assume_scheme="https",
    )
    advisors = forms.ModelMultipleChoiceField(
        label="班主任", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        fields = [
            "organization",
            "code",
            "name",
            "venue",
            "start_date",
            "end_date",
            "status",
            "description",
            "checkin_opens_minutes",
            "grace_minutes",
            "leave_advisor_max_hours",
            "allowed_networks",
            "reminder_minutes",
            "min_attendance_percent",
            "max_absences",
            "max_leave_percent",
            "max_discipline_points",
            "certificate_date",
            "bulletin_number_prefix",
            "webhook_url",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "certificate_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "allowed_networks": forms.Textarea(attrs={"rows": 2, "placeholder": "10.20.0.0/16"}),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DEFAULTED_FIELDS:
            self.fields[name].required = False
        if not self.instance.pk:
            self.fields["organization"].queryset = organizations
            self.fields["organization"].empty_label = None
            del self.fields["advisors"]  # chosen once the course exists, among its organization's staff
        else:
            del self.fields["organization"]
            self.fields["code"].disabled = True
            members = User.objects.filter(memberships__organization=self.instance.organization)
            self.fields["advisors"].queryset = members.order_by("first_name", "username")
            self.fields["advisors"].initial = list(self.instance.advisors.all())
            self.fields["advisors"].label_from_instance = lambda u: u.first_name or u.username

    DEFAULTED_FIELDS = (
        "checkin_opens_minutes",
        "grace_minutes",
        "leave_advisor_max_hours",
        "reminder_minutes",
        "min_attendance_percent",
        "bulletin_number_prefix",
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"]
        problem = url and outbound.address_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        for name in self.DEFAULTED_FIELDS:  # left empty: the course's current value, or the default
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data


def _pool_label(lecturer: Lecturer) -> str:
    """An option of the session form's lecturer list: the name first, to find it by."""
    where = rules.lecturer_label(name="", title=lecturer.title, unit=lecturer.unit)
    return f"{lecturer.name}（{where}）" if where else lecturer.name


class SessionForm(ModelForm):
    date = forms.TypedChoiceField(label="日期", coerce=date.fromisoformat)
    start_time = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    lecturers = forms.ModelMultipleChoiceField(
        label="授课人（师资库）",
        queryset=Lecturer.objects.none(),
        required=False,
        help_text="可选多人（按住 Ctrl 或在手机上点选）；讲课费签收单按这里的授课人计算",
        widget=forms.SelectMultiple(attrs={"data-searchable": "输入姓名或单位筛选", "size": 6}),
    )
    new_lecturer_name = forms.CharField(label="姓名", max_length=40, required=False)
    new_lecturer_title = forms.CharField(label="职称/职务", max_length=60, required=False)
    new_lecturer_unit = forms.CharField(label="单位", max_length=60, required=False)

    class Meta:
        model = Session
        fields = ["kind", "title", "lecturer", "room", "credit_hours", "requires_checkout", "required_for_completion"]

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        weekdays = "一二三四五六日"
        self.fields["date"].choices = [
            (day.isoformat(), f"第{rules.chinese_number(i)}天 {month_day(day)} 星期{weekdays[day.weekday()]}")
            for i, day in enumerate(course.days, start=1)
        ]
        # The pool of the course's organization: active lecturers, and those already giving it.
        picked = Q(sessions=self.instance) if self.instance.pk else Q(pk__in=[])
        pool = Lecturer.objects.filter(Q(is_active=True) | picked, organization_id=course.organization_id)
        self.fields["lecturers"].queryset = pool.distinct().order_by("name", "pk")
        self.fields["lecturers"].label_from_instance = _pool_label
        self.fields["lecturer"].label = "授课人（印在课表上）"
        self.fields["lecturer"].help_text = "姓名和职务，如“县总工会党组书记 王建国”；留空则按所选授课人填写"
        if self.instance.pk:
            start, end = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(date=start.date().isoformat(), start_time=start.time(), end_time=end.time())
            self.initial["lecturers"] = [sl.lecturer_id for sl in self.instance.session_lecturers.all()]
        self.order_fields(
            [
                "kind",
                "title",
                "lecturers",
                "new_lecturer_name",
                "new_lecturer_title",
                "new_lecturer_unit",
                "lecturer",
                "date",
                "start_time",
                "end_time",
                "room",
                "credit_hours",
                "requires_checkout",
                "required_for_completion",
            ]
        )

    def clean_times(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = timezone.make_aware(datetime.combine(data["date"], data["start_time"]))
            data["ends_at"] = timezone.make_aware(datetime.combine(data["date"], data["end_time"]))
        return data

    def clean_credit_hours(self):
        hours = self.cleaned_data["credit_hours"]
        if problem := rules.credit_hours_problem(hours):  # the service's words, before the model's generic ones
            raise forms.ValidationError(problem)
        return hours

    def clean_new_lecturer_name(self):
        value = self.cleaned_data["new_lecturer_name"].strip()
        try:
            return rules.normalize_name(value) if value else ""
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = self.clean_times()
        if not data.get("new_lecturer_name") and (data.get("new_lecturer_title") or data.get("new_lecturer_unit")):
            self.add_error("new_lecturer_name", "请填写新授课人的姓名")
        return data

    def session_fields(self) -> dict:
        """What session_create / session_update take: the session's fields, the lecturers picked
        (in the pool's order) and the one typed in, if any."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        new = self.cleaned_data["new_lecturer_name"]
        return {
            **fields,
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
            "lecturers": list(self.cleaned_data["lecturers"]),
            "new_lecturer": {
                "name": new,
                "title": self.cleaned_data["new_lecturer_title"],
                "unit": self.cleaned_data["new_lecturer_unit"],
            }
            if new
            else None,
        }


class RosterUploadForm(Form):
    file = forms.FileField(
        label="花名册文件",
        help_text="Excel（.xlsx）或 CSV 文件。表头需有“姓名”“手机号码”列，可含性别、民族、政治面貌、工作单位、职务、小组、学号、身份证号码。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件太大（{upload.size // 1024} KB），花名册文件不能超过 {settings.ROSTER_MAX_UPLOAD_BYTES // 1024 // 1024} MB。"
            )
        return upload


class NormalisingMixin:
    def _clean_with(self, name, normaliser):
        try:
            return normaliser(self.cleaned_data[name])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class TraineeForm(NormalisingMixin, ModelForm):
    """A trainee's personal data, normalised like a roster row. The ID number is write-only: it is
    never shown in full, and leaving it empty keeps the stored one."""

    class Meta:
        model = Trainee
        fields = ["name", "phone", "gender", "ethnicity", "political_status", "work_unit", "position", "id_number"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].max_length = 20
        self.fields["phone"].validators = []
        self.fields["id_number"].max_length = 30
        self.fields["id_number"].validators = []
        if self.instance.pk and self.instance.id_number:
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = f"已登记 {self.instance.id_number_masked}；留空则不修改"

    def clean_name(self):
        return self._clean_with("name", rules.normalize_name)

    def clean_phone(self):
        return self._clean_with("phone", rules.normalize_phone)

    def clean_ethnicity(self):
        return self._clean_with("ethnicity", rules.normalize_ethnicity)

    def clean_political_status(self):
        return self._clean_with("political_status", rules.normalize_political_status)

    def clean_id_number(self):
        value = self._clean_with("id_number", rules.normalize_id_number)
        return value or (self.instance.id_number if self.instance.pk else "")

    def trainee_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TraineeAddForm(TraineeForm):
    group = forms.CharField(label="小组", max_length=20, required=False, help_text="如“第一组”或“1”")
    student_no = forms.CharField(label="学号", max_length=20, required=False, help_text="留空则自动编号")

    def clean_group(self):
        return self._clean_with("group", rules.normalize_group)


class EnrollmentForm(NormalisingMixin, ModelForm):
    class Meta:
        model = Enrollment
        fields = ["student_no", "group", "status"]

    def clean_group(self):
        return self._clean_with("group", rules.normalize_group)


class StaffAddForm(Form):
    """A new organizer or 班主任 of the organization."""

    name = forms.CharField(label="姓名", max_length=30, error_messages={"required": "请填写姓名。"})
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        help_text="登录用，3–30 个字母、数字或 _ . -，如 wanght",
        error_messages={"required": "请填写用户名。", "invalid": "用户名只能用 3–30 个字母、数字或 _ . -。"},
    )
    role = forms.ChoiceField(label="角色", choices=Membership.Role.choices, initial=Membership.Role.ADVISOR)


FEE_CAP = {
    "required": False,
    "min_value": 0,
    "max_digits": 7,
    "decimal_places": 2,
    "help_text": "元/学时，留空为不设上限",
    "widget": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
}


class OrganizationForm(Form):
    """The organization's name, short name and seal."""

    name = forms.CharField(label="单位全称", max_length=100, help_text="印在证书、通报和报表的落款处")
    short_name = forms.CharField(label="简称", max_length=20, required=False, help_text="如“县总工会”")
    seal = forms.FileField(
        label="印章图片",
        required=False,
        help_text="透明背景的 PNG，不超过 2 MB，盖在结业证书落款处；留空则保留现有印章",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
    remove_seal = forms.BooleanField(label="去掉现有印章", required=False)
    fee_cap_expert = forms.DecimalField(label="院士、全国知名专家", **FEE_CAP)
    fee_cap_senior = forms.DecimalField(label="正高级职称", **FEE_CAP)
    fee_cap_deputy = forms.DecimalField(label="副高级职称", **FEE_CAP)
    fee_cap_other = forms.DecimalField(label="其他人员", **FEE_CAP)
    lecture_tax_rule = forms.ChoiceField(
        label="讲课费代扣个税",
        choices=Organization._meta.get_field("lecture_tax_rule").choices,
        help_text=Organization._meta.get_field("lecture_tax_rule").help_text,
        required=False,
    )

    FEE_FIELDS = ("fee_cap_expert", "fee_cap_senior", "fee_cap_deputy", "fee_cap_other", "lecture_tax_rule")

    def clean_lecture_tax_rule(self):
        """Not sent (an older page, a script): the organization's rule stays."""
        return self.cleaned_data["lecture_tax_rule"] or self.initial.get("lecture_tax_rule") or "none"

    def fees(self) -> dict:
        """The fee caps and tax rule; a cap not sent at all is left as it is."""
        return {
            name: self.cleaned_data[name] for name in self.FEE_FIELDS if name in self.data or name == "lecture_tax_rule"
        }


class LecturerForm(ModelForm):
    """A lecturer of the 师资库."""

    class Meta:
        model = Lecturer
        fields = ["name", "title", "unit", "rank", "fee_rate", "topics", "is_active"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_rate"].max_digits, self.fields["fee_rate"].decimal_places = 7, 2

    def clean_name(self):
        try:
            return rules.normalize_name(self.cleaned_data["name"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def lecturer_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CourseReopenForm(Form):
    """重新开放 an archived course: the reason goes to the audit log."""

    reason = forms.CharField(
        label="重新开放的理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明重新开放的理由（记入审计日志）。"},
    )
