from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("staff/workforce/", views.plan, name="plan"),
    path("staff/workforce/plan.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("staff/workforce/plan.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
