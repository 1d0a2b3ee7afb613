from django.urls import path

from . import review_views

urlpatterns = [
    path("<int:pk>/review/", review_views.review, name="review"),
    path("<int:pk>/review/items/<str:code>/confirm/", review_views.review_confirm, name="review_confirm"),
    path("<int:pk>/review/submit/", review_views.review_submit, name="review_submit"),
]
