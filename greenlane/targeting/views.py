"""Staff targeting pages."""

from __future__ import annotations

from django.http import HttpResponse

from greenlane.core.web import staff_only


@staff_only
def day(request):
    return HttpResponse("")
