from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("download.csv", views.download_csv, name="download_csv"),
    path("download.pdf", views.download_pdf, name="download_pdf"),
    path("versions/", views.versions, name="versions"),
    path("versions/compare/", views.compare, name="compare"),
    path("versions/<int:version_id>/activate/", views.activate, name="activate"),
]
