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
