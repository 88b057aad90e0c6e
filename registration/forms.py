"""Forms of 报名: a unit (organizer), the 名额分配表 (a row per unit on one form, and the
deadline), a person a unit contact puts forward on a phone, the organizer's return with a comment
and extra places. Forms check shape; the normalising and the rules are the services'."""

from django import forms

from core.forms import Form, ModelForm
from training.models import Diet

from .models import Nominee, Notice, Unit


class UnitForm(ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "contact", "phone", "email", "is_active"]


class QuotaForm(Form):
    """One places and one extra field per unit (places_<id>, extra_<id>), and the deadline."""

    deadline = forms.DateTimeField(
        label="报名截止时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="到此时间单位的报名链接不能再填写和修改；留空为不设截止",
    )

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for unit, quota, held in table:
            places = forms.IntegerField(
                label=f"{unit.name} 名额", min_value=0, max_value=200, initial=quota.places if quota else 0
            )
            extra = forms.IntegerField(
                label=f"{unit.name} 追加名额", min_value=0, max_value=50, initial=quota.extra if quota else 0
            )
            self.fields[f"places_{unit.pk}"], self.fields[f"extra_{unit.pk}"] = places, extra
            self.rows.append((unit, quota, held, self[f"places_{unit.pk}"], self[f"extra_{unit.pk}"]))

    def places(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {unit.pk: (data[f"places_{unit.pk}"], data[f"extra_{unit.pk}"]) for unit, *_ in self.rows}


class NomineeForm(Form):
    """What a unit contact types on a phone; normalised by the roster's rules in the service."""

    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=[("M", "男"), ("F", "女")], widget=forms.RadioSelect)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    political_status = forms.ChoiceField(
        label="政治面貌",
        choices=[(v, v) for v in ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派", "无党派人士")],
    )
    position = forms.CharField(label="职务", max_length=50)
    phone = forms.CharField(
        label="手机号码", max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
    )
    id_number = forms.CharField(label="身份证号码（选填）", max_length=30, required=False)
    diet = forms.ChoiceField(label="饮食", choices=Diet.choices, initial="none", widget=forms.RadioSelect)
    diet_note = forms.CharField(label="其他饮食要求", max_length=50, required=False, help_text="选“其他”时填写")
    needs_room = forms.TypedChoiceField(
        label="住宿",
        choices=[("1", "需要住宿"), ("0", "不住宿")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_of(cls, nominee: Nominee) -> dict:
        initial = {name: getattr(nominee, name) for name in cls.base_fields}
        initial["needs_room"] = "1" if nominee.needs_room else "0"
        return initial


class ReturnForm(Form):
    comment = forms.CharField(
        label="退回意见", max_length=200, widget=forms.Textarea(attrs={"rows": 3}), help_text="单位联系人会看到"
    )


class WithdrawForm(Form):
    comment = forms.CharField(
        label="撤销原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如“单位来电：本人因工作不能参加”。单位联系人和审计日志里都看得到",
    )


class ExtraForm(Form):
    extra = forms.IntegerField(label="追加名额", min_value=0, max_value=50)


class NoticeForm(ModelForm):
    """The 培训通知's texts, filled at first from the course's facts; the 发文字号's format is the
    service's to check (and to tidy: [2026] → 〔2026〕)."""

    class Meta:
        model = Notice
        fields = ["doc_number", "signed_on", *Notice.TEXTS]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "when_where": forms.Textarea(attrs={"rows": 2}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "arrival": forms.Textarea(attrs={"rows": 2}),
            "bring": forms.Textarea(attrs={"rows": 3}),
            "how_to_register": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "content": "留空则不写这一部分",
            "bring": "每行一段；留空则不写这一部分",
            "contacts": "如“县总工会组织部：王磊，0795-7221234”，每行一位联系人",
            "signed_on": "落款日期，印为阿拉伯数字，如 2026年4月1日",
        }
