from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("staff/validation-plans/", views.plans, name="plans"),
    path("staff/validation-plans/compute/", views.compute, name="compute"),
    path("staff/validation-plans/weights/", views.weights, name="weights"),
    path("staff/validation-plans/availability/", views.availability, name="availability"),
    path("staff/validation-plans/<int:pk>/", views.plan, name="plan"),
    path("staff/validation-plans/<int:pk>/accept/", views.accept, name="accept"),
    path("staff/validation-plans/<int:pk>/start-month/", views.start_month, name="start_month"),
    path("staff/validation-plans/entries/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("staff/validation-plans/partners/<int:pid>/score/", views.score, name="score"),
]
