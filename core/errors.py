"""The one exception a service raises for a request it refuses: a code for programs, a Chinese
message for people, and the form field it concerns (if any)."""


class DomainError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
