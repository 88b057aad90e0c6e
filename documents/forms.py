"""Forms of the printed documents: the text of the 培训班总结."""

from django import forms

from core.forms import Form


class SummaryForm(Form):
    body = forms.CharField(
        label="正文",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="以“一、”“二、”开头的行印成黑体小标题；每行一段。括号里的提示请换成实际内容。",
        error_messages={"required": "总结正文不能为空。可以点“重新生成初稿”从培训数据写起。"},
    )
