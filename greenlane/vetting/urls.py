from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("imports/", views.imports, name="imports"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("partners/<int:pk>/run/", views.run, name="run"),
    path("matches/<int:pk>/confirm/", views.decide, {"decision": "confirm"}, name="confirm"),
    path("matches/<int:pk>/dismiss/", views.decide, {"decision": "dismiss"}, name="dismiss"),
]
