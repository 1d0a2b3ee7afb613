from django.urls import path

from . import views

app_name = "svi"

P = "companies/<int:pk>/svi/"
urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "leave/", views.leave, name="leave"),
    path(P + "monitored/", views.monitored, name="monitored"),
    path(P + "requests/", views.requests_page, name="requests"),
    path(P + "requests/new/", views.request_new, name="request_new"),
    path(P + "requests/<int:link_id>/<str:action>/", views.link_action, name="link_action"),
    path(P + "verify/", views.verify, name="verify"),
    path(P + "verify/<int:run_id>/", views.verify_results, name="verify_results"),
    path(P + "verify/<int:run_id>/download.<str:fmt>", views.verify_download, name="verify_download"),
    path(P + "webhooks/", views.webhooks_page, name="webhooks"),
    path(P + "webhooks/<int:hook_id>/", views.webhook_detail, name="webhook"),
    path(P + "webhooks/<int:hook_id>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path(P + "webhooks/<int:hook_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path(P + "notices/", views.notices_page, name="notices"),
    path("verify/<str:token>/", views.verify_notice, name="verify_notice"),
]
