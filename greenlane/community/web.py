"""View helpers shared by the community pages."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from greenlane.core.errors import Forbidden, InvalidInput, NotFound


def signed_in(view):
    """A page for staff and members alike. A foreign or missing object is 404; a member whose companies are
    not (yet) certified gets a page that says why the community is closed to them (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except Forbidden as exc:
            return render(request, "community/closed.html", {"reason": exc.message}, status=403)

    return wrapper


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def paging(request) -> tuple[int | None, int | None]:
    return int_or_none(request.GET.get("limit")), int_or_none(request.GET.get("offset"))


def upload_bytes(upload) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, refusing an oversized one before reading it."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload is None:
        raise InvalidInput(_("Choose a file to upload."), field="file")
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": upload.size / 1_048_576, "limit": limit / 1_048_576},
            field="file",
        )
    return upload.name or "", upload.read()


def download(version) -> FileResponse:
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
