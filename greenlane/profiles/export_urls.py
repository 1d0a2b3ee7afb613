from django.urls import path

from . import export_views

urlpatterns = [
    path("<int:pk>/profile/export/", export_views.export_page, name="export"),
    path("<int:pk>/profile/export.json", export_views.export_json, name="export_json"),
    path("<int:pk>/profile/export.pdf", export_views.export_pdf, name="export_pdf"),
]
