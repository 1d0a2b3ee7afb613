from django.urls import path

from . import views

app_name = "bpregister"

P = "companies/<int:pk>/business-partners/"
E = P + "<int:entry_id>/"

urlpatterns = [
    path(P, views.entry_list, name="list"),
    path(P + "new/", views.entry_create, name="create"),
    path(P + "import/", views.entry_import, name="import"),
    path(E, views.entry_detail, name="detail"),
    path(E + "edit/", views.entry_edit, name="edit"),
    path(E + "delete/", views.entry_delete, name="delete"),
    path(E + "audits/", views.audit_add, name="audit_add"),
    path(E + "audits/<int:audit_id>/file/", views.audit_file, name="audit_file"),
    path(E + "reevaluate/", views.reevaluate, name="reevaluate"),
    path(E + "questionnaires/", views.questionnaire_send, name="questionnaire_send"),
    path(E + "questionnaires/<int:qid>/", views.questionnaire_detail, name="questionnaire"),
    path("register/questionnaire/<str:token>/", views.answer, name="answer"),
]
