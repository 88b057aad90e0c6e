"""Forms of 结业: an organizer's override and a change to one certificate."""

from django import forms

from core.forms import Form


class CompletionOverrideForm(Form):
    eligible = forms.TypedChoiceField(choices=[("1", "可结业"), ("0", "不可结业")], coerce=lambda v: v == "1")
    reason = forms.CharField(max_length=300)


class CertificateChangeForm(Form):
    """撤销 (with its reason) or 重新颁发 one certificate."""

    action = forms.ChoiceField(choices=[("revoke", "撤销"), ("reissue", "重新颁发")], initial="revoke", required=False)
    reason = forms.CharField(label="撤销原因", max_length=200, required=False)

    def clean_action(self):
        return self.cleaned_data["action"] or "revoke"


class AppraisalForm(Form):
    """One trainee's 结业鉴定: the advisor's text; the organizer's opinion for organizers only."""

    advisor_text = forms.CharField(
        label="班主任鉴定意见",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": "请填写班主任鉴定意见（可以从下方的自动初稿改起）。"},
    )
    organizer_opinion = forms.CharField(
        label="主办单位意见",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如“同意结业。”；打印在鉴定表的主办单位意见栏，盖章处留空",
    )

    def __init__(self, *args, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_manage:
            del self.fields["organizer_opinion"]


class AppraisalsDraftForm(Form):
    """生成初稿 for everyone whose appraisal is still empty, with the organizer's opinion."""

    opinion = forms.CharField(
        label="主办单位意见（可结业学员中空白的一并填写，可不填）", max_length=300, required=False, initial="同意结业。"
    )

    def __init__(self, *args, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_manage:
            del self.fields["opinion"]
