from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("enroll/", views.enroll, name="enroll"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/details/", views.edit_details, name="details"),
    path("<int:pk>/identifiers/", views.edit_identifiers, name="identifiers"),
    path("<int:pk>/eligibility/", views.edit_eligibility, name="eligibility"),
    path("<int:pk>/sites/", views.sites, name="sites"),
    path("<int:pk>/contacts/", views.contacts, name="contacts"),
    path("<int:pk>/people/", views.members, name="members"),
    path("<int:pk>/<str:kind>/<int:child_id>/remove/", views.remove_child, name="remove_child"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/history/", views.history, name="history"),
]
