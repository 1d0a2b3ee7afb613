from django.urls import path

from . import company_views, staff_views

app_name = "validations"

urlpatterns = [
    path("staff/validations/", staff_views.queue, name="queue"),
    path("staff/validations/new/", staff_views.create, name="create"),
    path("staff/validations/reviews/", staff_views.review_queue, name="reviews"),
    path("staff/validations/<int:validation_id>/", staff_views.detail, name="detail"),
    path("staff/validations/<int:validation_id>/findings/", staff_views.findings, name="findings"),
    path("staff/validations/<int:validation_id>/report.pdf", staff_views.report_pdf, name="report_pdf"),
    path(
        "staff/validations/<int:validation_id>/visits/<int:visit_id>/done/",
        staff_views.visit_done,
        name="visit_done",
    ),
    path(
        "staff/validations/<int:validation_id>/items/<int:item_id>/<str:name>/",
        staff_views.item_action,
        name="item_action",
    ),
    path("staff/validations/<int:validation_id>/do/<str:name>/", staff_views.action, name="action"),
    path("staff/validations/files/<int:attachment_id>/", staff_views.attachment, name="attachment"),
    path("companies/<int:pk>/validations/", company_views.company_list, name="company_list"),
    path(
        "companies/<int:pk>/validations/<int:validation_id>/",
        company_views.company_detail,
        name="company_detail",
    ),
    path(
        "companies/<int:pk>/validations/<int:validation_id>/requests/<int:request_id>/answer/",
        company_views.answer,
        name="company_answer",
    ),
    path(
        "companies/<int:pk>/validations/<int:validation_id>/items/<int:item_id>/respond/",
        company_views.respond,
        name="company_respond",
    ),
    path(
        "companies/<int:pk>/validations/<int:validation_id>/report.pdf",
        company_views.company_pdf,
        name="company_pdf",
    ),
    path(
        "companies/<int:pk>/validations/files/<int:attachment_id>/",
        company_views.company_attachment,
        name="company_attachment",
    ),
]
