"""The base of every form: text fields refuse control characters with one Chinese message (tab and
line breaks pass in a textarea). Django's own NUL check, whose Chinese message is garbled, is
replaced by it.

A model form runs the model fields' own validators (ranges, patterns such as the course code,
networks) on what was typed, so that they come back as form errors rather than as a 500 when the
service validates the instance; the instance itself is left untouched, and uniqueness and rules
across fields stay the services' (their DomainError goes to the form with `add_domain_error`)."""

from functools import partial

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from .text import CONTROL_MESSAGE, has_control_characters


def no_control_characters(value: str, *, multiline: bool = False) -> None:
    if has_control_characters(value, multiline=multiline):
        raise forms.ValidationError(CONTROL_MESSAGE, code="control_character")


def add_domain_error(form, error) -> None:
    """A service's DomainError on the form: on its field when the form has one, else above it."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


MAX_ID = 2**63 - 1  # the largest primary key a database holds; a larger one overflows the query


def ids_in_range(field: forms.ModelMultipleChoiceField) -> None:
    """A multiple choice of rows refuses an id no database can hold before it queries (SQLite
    raises OverflowError on it, a 500), with the field's own message for an unknown id."""
    check = field._check_values

    def checked(values):
        for value in values if isinstance(values, list | tuple) else ():
            text = str(value).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > MAX_ID:
                raise forms.ValidationError(
                    field.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text}
                )
        return check(values)

    field._check_values = checked


class CleanTextMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                ids_in_range(field)
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(partial(no_control_characters, multiline=multiline))


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    def _post_clean(self):
        model = self._meta.model._meta
        for name, value in list(self.cleaned_data.items()):
            try:
                model_field = model.get_field(name)
            except FieldDoesNotExist:
                continue
            if not model_field.concrete or model_field.many_to_many or value in model_field.empty_values:
                continue
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                self.add_error(name, error)
