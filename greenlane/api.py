"""The one NinjaAPI, mounted at /api/v1/."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from greenlane.accounts.auth import BearerTokenAuth, SessionAuth
from greenlane.core.errors import DomainError

api = NinjaAPI(
    title="Greenlane API",
    version="1",
    description="Trusted-trader program API. Authenticate with `Authorization: Bearer <token>`.",
    auth=[BearerTokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found.", "code": "not_found"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request,
        {
            "detail": "Authentication required: send 'Authorization: Bearer <token>' with an active token.",
            "code": "unauthenticated",
        },
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "code": "error"}, status=exc.status_code)


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form", "file")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        field = _field_of(err.get("loc", ()))
        message = err.get("msg", "Invalid value.").removeprefix("Value error, ")
        errors.append({"field": field, "message": message})
    first = errors[0] if errors else {"field": "", "message": "Invalid input."}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return api.create_response(
        request,
        {"detail": detail, "code": "invalid_input", "field": first["field"], "errors": errors},
        status=422,
    )


api.add_router("/partners", "greenlane.partners.api.router")
api.add_router("/tokens", "greenlane.accounts.api.router")
api.add_router("/partners", "greenlane.profiles.api.router")
api.add_router("/criteria", "greenlane.profiles.api.criteria_router")
api.add_router("/partners", "greenlane.profiles.api_reviews.router")
api.add_router("/reviews", "greenlane.profiles.api_reviews.staff_router")
api.add_router("/vetting", "greenlane.vetting.api.router")
api.add_router("/partners", "greenlane.screening.api.router")
api.add_router("/screening", "greenlane.screening.api.staff_router")
api.add_router("/partners", "greenlane.screening.api_lifecycle.router")
api.add_router("/lifecycle", "greenlane.screening.api_lifecycle.staff_router")
api.add_router("/targeting", "greenlane.targeting.api.router")
api.add_router("/notifications", "greenlane.notifications.api.router")
api.add_router("/validations", "greenlane.validations.api.router")
api.add_router("/validation-plans", "greenlane.validations.planning.api.router")
api.add_router("/svi", "greenlane.svi.api.router")
api.add_router("/mra", "greenlane.mra.api.router")
api.add_router("/register", "greenlane.bpregister.api.router")
api.add_router("/comms", "greenlane.comms.api.router")
api.add_router("/community", "greenlane.community.api.router")
api.add_router("/training", "greenlane.training.api.router")
api.add_router("/metrics", "greenlane.metrics.api.router")
api.add_router("/workforce", "greenlane.metrics.workforce.api.router")
