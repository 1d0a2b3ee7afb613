from django.urls import path

from . import staff_views

app_name = "staff"

urlpatterns = [
    path("partners/", staff_views.partner_search, name="partner_search"),
    path("partners/<int:pk>/", staff_views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/transition/", staff_views.partner_transition, name="partner_transition"),
    path("partners/<int:pk>/assign/", staff_views.partner_assign, name="partner_assign"),
]
