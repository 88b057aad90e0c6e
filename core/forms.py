"""The base of every form: text fields refuse control characters with one Chinese message (tab and
line breaks pass in a textarea). Django's own NUL check, whose Chinese message is garbled, is
replaced by it."""

from functools import partial

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .text import CONTROL_MESSAGE, has_control_characters


def no_control_characters(value: str, *, multiline: bool = False) -> None:
    if has_control_characters(value, multiline=multiline):
        raise forms.ValidationError(CONTROL_MESSAGE, code="control_character")


class CleanTextMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(partial(no_control_characters, multiline=multiline))


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass
