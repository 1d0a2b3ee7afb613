from django.urls import path

from . import views

app_name = "targeting"

urlpatterns = [
    path("", views.day, name="day"),
    path("shipments/<str:shipment_id>/", views.shipment, name="shipment"),
]
