from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from greenlane.api import api
from greenlane.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("greenlane.accounts.urls")),
    path("companies/", include("greenlane.partners.urls")),
    path("companies/", include("greenlane.profiles.urls")),
    path("criteria/", include("greenlane.criteria.urls")),
    path("staff/reviews/", include("greenlane.profiles.review_staff_urls")),
    path("staff/vetting/", include("greenlane.vetting.urls")),
    path("", include("greenlane.screening.urls")),
    path("", include("greenlane.screening.lifecycle_urls")),
    path("staff/", include("greenlane.partners.staff_urls")),
    path("staff/partners/", include("greenlane.profiles.staff_urls")),
    path("staff/audit/", include("greenlane.audit.urls")),
    path("staff/targeting/", include("greenlane.targeting.urls")),
    path("", include("greenlane.notifications.urls")),
    path("", include("greenlane.validations.urls")),
    path("", include("greenlane.validations.planning.urls")),
    path("", include("greenlane.svi.urls")),
    path("", include("greenlane.mra.urls")),
    path("", include("greenlane.bpregister.urls")),
    path("", include("greenlane.comms.urls")),
    path("", include("greenlane.community.urls")),
    path("", include("greenlane.training.urls")),
    path("", include("greenlane.metrics.urls")),
    path("", include("greenlane.metrics.workforce.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
