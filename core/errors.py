"""The one exception a service raises for a request it refuses: a code for programs, a Chinese
message for people, and the form field it concerns (if any)."""


class DomainError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def validate_instance(instance, **kwargs) -> None:
    """`instance.full_clean(**kwargs)`, its first problem raised as a DomainError on its field: a
    service never lets a model's ValidationError through as a 500."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError("invalid", messages[0], None if field == NON_FIELD_ERRORS else field) from None
