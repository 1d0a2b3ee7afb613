from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("staff/metrics/", views.dashboard, name="dashboard"),
    path("staff/metrics/measures.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("staff/metrics/compute/", views.compute, name="compute"),
    path("staff/metrics/measures/<slug:measure_id>/", views.measure, name="measure"),
    path(
        "staff/metrics/measures/<slug:measure_id>/values.<str:fmt>",
        views.measure_export,
        name="measure_export",
    ),
    path("staff/metrics/measures/<slug:measure_id>/records/", views.drill, name="drill"),
    path("staff/metrics/exports/", views.export_create, name="export_create"),
    path("staff/metrics/exports/<int:job_id>/", views.export_detail, name="export"),
    path("staff/metrics/exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("staff/metrics/fast-lane/", views.fast_lane, name="fast"),
    path("staff/metrics/partners/<int:pid>/benefits/", views.staff_benefits, name="staff_benefits"),
    path(
        "staff/metrics/partners/<int:pid>/benefits.pdf", views.staff_benefits_pdf, name="staff_benefits_pdf"
    ),
    path("companies/<int:pid>/benefits/", views.company_benefits, name="company_benefits"),
    path("companies/<int:pid>/benefits.pdf", views.company_benefits_pdf, name="company_benefits_pdf"),
]
