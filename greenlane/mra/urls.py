from django.urls import path

from . import views

app_name = "mra"

urlpatterns = [
    path("staff/mra/", views.programs, name="programs"),
    path("staff/mra/imports/", views.imports, name="imports"),
    path("staff/mra/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("staff/mra/members/", views.members, name="members"),
    path("staff/mra/programs/<slug:code>/export/", views.export, name="export"),
    path("companies/<int:pk>/mra/", views.consent, name="consent"),
]
