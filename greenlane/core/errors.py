"""Business errors. Each carries the HTTP status it maps to and a message a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or []

    def as_dict(self) -> dict:
        body: dict = {"detail": self.message, "code": self.code}
        if self.field:
            body["field"] = self.field
        if self.errors:
            body["errors"] = self.errors
        return body


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs) -> None:
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TransitionRefused(Conflict):
    code = "transition_refused"


def from_django_validation(exc) -> InvalidInput:
    """Turn a django ValidationError into an InvalidInput listing every field at fault."""
    errors: list[dict] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            for message in field_errors:
                errors.append({"field": None if field == "__all__" else field, "message": message})
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    first = errors[0] if errors else {"field": None, "message": "Invalid input."}
    return InvalidInput(str(first["message"]), field=first["field"], errors=errors)
