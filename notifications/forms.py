"""Forms check the shape of what was sent; notifications.services decides whether it may be written."""

from django import forms

from core.forms import Form


class EvaluationRemindForm(Form):
    """The 提醒未评价的学员 button: which evaluation (a session, or none for the course form) and
    which page to go back to."""

    BACK = {"results": "evaluation:results", "dashboard": "training:course-dashboard"}

    session = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    back = forms.ChoiceField(choices=[(key, key) for key in BACK], required=False)
