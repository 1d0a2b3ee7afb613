from django.urls import path

from . import staff_views

app_name = "staff"

urlpatterns = [
    path("partners/", staff_views.partner_search, name="partner_search"),
]
