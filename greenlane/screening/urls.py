from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("companies/<int:pk>/submit/", views.submit, name="submit"),
    path("companies/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("companies/<int:pk>/decisions/<int:decision_id>/", views.decision, name="decision"),
    path("staff/partners/<int:pk>/decisions/", views.staff_decisions, name="staff_decisions"),
    path("staff/screening/rules/", views.rules, name="rules"),
    path("staff/screening/rules/<int:version_id>/activate/", views.activate, name="activate"),
]
