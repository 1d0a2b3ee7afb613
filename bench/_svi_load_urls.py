"""URLs for bench/svi_load.py only: the whole site plus one bare view doing one indexed lookup (no auth,
consent or audit), the baseline the SVI status lookup is compared with."""

from django.http import JsonResponse
from django.urls import include, path


def bare_lookup(request):
    from greenlane.partners.models import Identifier

    row = (
        Identifier.objects.filter(type=request.GET.get("type", ""), value=request.GET.get("value", ""))
        .values_list("partner_id", flat=True)
        .first()
    )
    return JsonResponse({"partner_id": row})


# After the site's own patterns, so that both endpoints pay for URL resolution through the whole site.
urlpatterns = [path("", include("greenlane.urls")), path("bench/bare-lookup", bare_lookup)]
