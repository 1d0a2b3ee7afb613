from django.urls import path

from . import review_views

app_name = "reviews"

urlpatterns = [
    path("", review_views.staff_queue, name="queue"),
    path("<int:review_id>/", review_views.staff_detail, name="detail"),
    path("<int:review_id>/decision/", review_views.staff_decide, name="decide"),
]
