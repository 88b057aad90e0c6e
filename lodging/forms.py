"""Forms of 报到、住宿和就餐: they check the shape of what was sent; lodging.services decides."""

from datetime import date

from django import forms
from django.utils import timezone

from core.forms import Form, ModelForm
from training.models import Diet
from training.rules import diet_problem

from .models import LodgingSettings, MealKind, Room

SCAN_ATTRS = {
    "autofocus": True,
    "autocomplete": "off",
    "placeholder": "扫码枪扫胸牌，或粘贴胸牌链接",
    "enterkeyhint": "go",
}


def meal_key(day, kind: str) -> str:
    return f"{day:%Y%m%d}_{kind}"


def key_meal(key: str):
    day, kind = key.split("_", 1)
    if len(day) != 8 or not day.isdigit():
        raise ValueError(key)
    return date(int(day[:4]), int(day[4:6]), int(day[6:])), kind


class ArrivalScanForm(Form):
    code = forms.CharField(
        label="胸牌码",
        max_length=200,
        error_messages={"required": "请扫描胸牌，或输入胸牌码。"},
        widget=forms.TextInput(attrs=SCAN_ATTRS),
    )


class ArrivalMarkForm(Form):
    """报到 by a search result's button: the enrollment of this course."""

    enrollment = forms.ModelChoiceField(
        label="学员", queryset=None, error_messages={"invalid_choice": "本班没有这位学员，请重新查找。"}
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = course.enrollments.select_related("trainee")


class SettingsForm(Form):
    """What the desk hands out, and per day and meal: served or not, and the cut-off."""

    handout = forms.CharField(
        label="报到时发放",
        max_length=200,
        required=False,
        help_text=LodgingSettings._meta.get_field("handout").help_text,
    )
    canteen_contact = forms.CharField(label="食堂联系人", max_length=20, required=False)
    canteen_phone = forms.CharField(
        label="食堂联系电话",
        max_length=30,
        required=False,
        help_text=LodgingSettings._meta.get_field("canteen_phone").help_text,
    )
    canteen_email = forms.EmailField(
        label="食堂电子邮箱", required=False, help_text=LodgingSettings._meta.get_field("canteen_email").help_text
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for slot in slots:
            key = meal_key(slot.day, slot.kind)
            label = f"{slot.day.month}月{slot.day.day}日 {slot.label}"
            self.fields[f"served_{key}"] = forms.BooleanField(
                label=f"{label} 供餐", required=False, initial=slot.served
            )
            self.fields[f"cutoff_{key}"] = forms.DateTimeField(
                label=f"{label} 报餐截止",
                initial=timezone.localtime(slot.cutoff).strftime("%Y-%m-%dT%H:%M"),
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                error_messages={
                    "required": "请填写报餐截止时间。",
                    "invalid": "请填写正确的日期和时间，如 2026-11-20 09:00。",
                },
            )
            self.rows.append((slot, self[f"served_{key}"], self[f"cutoff_{key}"]))

    def canteen(self) -> dict:
        return {name: self.cleaned_data[name] for name in LodgingSettings.CANTEEN_FIELDS}

    def meals(self) -> dict:
        data = self.cleaned_data
        return {
            (slot.day, slot.kind): (
                data[f"served_{meal_key(slot.day, slot.kind)}"],
                data[f"cutoff_{meal_key(slot.day, slot.kind)}"],
            )
            for slot, _, _ in self.rows
        }


class StayForm(Form):
    needs_room = forms.TypedChoiceField(
        label="住宿", choices=[("1", "住宿"), ("0", "走读")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    diet = forms.ChoiceField(label="饮食要求", choices=Diet.choices, widget=forms.RadioSelect)
    diet_note = forms.CharField(
        label="其他饮食要求说明", max_length=60, required=False, help_text="选“其他”时填写，如“不吃辣”"
    )
    meals = forms.MultipleChoiceField(label="不就餐的餐次", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meals"].choices = [
            (meal_key(s.day, s.kind), f"{s.day.month}月{s.day.day}日{s.label}") for s in slots if s.served
        ]

    def clean(self):
        data = super().clean()
        if problem := diet_problem(diet=data.get("diet") or "", note=data.get("diet_note") or ""):
            self.add_error("diet_note", problem)
        return data

    def skipped(self) -> set:
        return {key_meal(k) for k in self.cleaned_data["meals"]}


class RoomsAddForm(Form):
    lines = forms.CharField(
        label="房间（每行一段）",
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "1号楼 2层 201-220 双人间\n2号楼 3层 301-306 三人间 女"}
        ),
        help_text="楼栋、楼层、房号（一个或 201-220 一段）、房型（单人间、双人间、三人间、4人间），可加“男”或“女”",
    )


class RoomForm(ModelForm):
    class Meta:
        model = Room
        fields = ["building", "floor", "number", "beds", "gender", "is_active"]


class AutoAssignForm(Form):
    keep = forms.ChoiceField(
        label="安排原则",
        choices=[("unit", "同一单位的学员住在一起"), ("group", "同一小组的学员住在一起")],
        initial="unit",
        widget=forms.RadioSelect,
    )


class RoomMoveForm(Form):
    enrollment = forms.ModelChoiceField(
        label="学员", queryset=None, error_messages={"invalid_choice": "本班没有这位学员。"}
    )
    room = forms.ModelChoiceField(
        label="调到房间",
        queryset=None,
        required=False,
        empty_label="（取消床位）",
        error_messages={"invalid_choice": "没有这个房间。"},
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = course.enrollments.select_related("trainee")
        self.fields["room"].queryset = Room.objects.filter(organization_id=course.organization_id, is_active=True)


class MyMealForm(Form):
    meal = forms.CharField(max_length=30)
    eats = forms.TypedChoiceField(choices=[("1", "就餐"), ("0", "不就餐")], coerce=lambda v: v == "1")

    def clean_meal(self):
        try:
            day, kind = key_meal(self.cleaned_data["meal"])
        except ValueError:
            raise forms.ValidationError("没有这一餐。") from None
        if kind not in MealKind.values:
            raise forms.ValidationError("没有这一餐。")
        return day, kind
