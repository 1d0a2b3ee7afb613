from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("companies/<int:pid>/training/", views.company_seminars, name="company_seminars"),
    path("companies/<int:pid>/training/seminars/<int:sid>/", views.company_seminar, name="company_seminar"),
    path("companies/<int:pid>/training/seminars/<int:sid>/register/", views.register, name="register"),
    path("companies/<int:pid>/training/registrations/<int:rid>/cancel/", views.cancel, name="cancel"),
    path(
        "companies/<int:pid>/training/registrations/<int:rid>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
    path("training/verify/", views.verify, name="verify"),
    path("staff/training/seminars/", views.staff_seminars, name="staff_seminars"),
    path("staff/training/seminars/new/", views.seminar_new, name="seminar_new"),
    path("staff/training/seminars/<int:sid>/", views.staff_seminar, name="staff_seminar"),
    path("staff/training/seminars/<int:sid>/edit/", views.seminar_edit, name="seminar_edit"),
    path("staff/training/seminars/<int:sid>/status/", views.seminar_status, name="seminar_status"),
    path("staff/training/seminars/<int:sid>/attendance/", views.attendance, name="attendance"),
    path("staff/training/", views.due, name="due"),
    path("staff/training/records/new/", views.record_new, name="record_new"),
    path("staff/training/people/<int:uid>/", views.person, name="person"),
]
