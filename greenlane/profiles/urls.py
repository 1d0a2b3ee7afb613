from django.urls import include, path

from . import views

app_name = "profiles"

urlpatterns = [
    path("<int:pk>/profile/", views.profile_overview, name="overview"),
    path("<int:pk>/profile/category/<int:number>/", views.category, name="category"),
    path("<int:pk>/profile/answers/<str:code>/", views.answer, name="answer"),
    path("<int:pk>/profile/submit/", views.submit, name="submit"),
    path("<int:pk>/profile/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/profile/evidence/<int:doc_id>/", views.evidence_document, name="evidence_document"),
    path(
        "<int:pk>/profile/evidence/files/<int:file_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<int:pk>/profile/revisions/", views.revisions, name="revisions"),
    path("", include("greenlane.profiles.review_urls")),
    path("", include("greenlane.profiles.export_urls")),
]
