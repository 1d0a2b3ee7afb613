"""Lifecycle pages, mounted at the site root as namespace "lifecycle"."""

from django.urls import path

from . import lifecycle_views as views

app_name = "lifecycle"

urlpatterns = [
    # Staff
    path("staff/referrals/", views.referral_queue, name="referral_queue"),
    path("staff/referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("staff/referrals/<int:referral_id>/<slug:action>/", views.referral_action, name="referral_action"),
    path("staff/deadlines/", views.program_deadlines, name="deadlines"),
    path("staff/partners/<int:pk>/lifecycle/", views.staff_partner, name="staff_partner"),
    path("staff/partners/<int:pk>/lifecycle/<slug:action>/", views.partner_action, name="partner_action"),
    path("staff/appeals/", views.appeal_queue, name="appeal_queue"),
    path("staff/appeals/<int:appeal_id>/", views.appeal_detail, name="appeal"),
    path("staff/appeals/<int:appeal_id>/decide/", views.appeal_decide, name="appeal_decide"),
    # Company
    path("companies/<int:pk>/dates/", views.company_dates, name="dates"),
    path("companies/<int:pk>/requests/<int:request_id>/answer/", views.answer_request, name="answer"),
    path("companies/<int:pk>/action-plan/", views.submit_plan, name="submit_plan"),
    path("companies/<int:pk>/reapply/", views.reapply, name="reapply"),
    path("companies/<int:pk>/appeals/", views.company_appeals, name="appeals"),
    path(
        "companies/<int:pk>/appeals/<int:appeal_id>/withdraw/", views.withdraw_appeal, name="withdraw_appeal"
    ),
]
