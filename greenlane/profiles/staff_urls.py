from django.urls import path

from . import staff_views

app_name = "staff_profiles"

urlpatterns = [
    path("<int:pk>/profile/", staff_views.profile, name="profile"),
    path(
        "<int:pk>/profile/evidence/<int:file_id>/download/",
        staff_views.evidence_download,
        name="evidence_download",
    ),
]
