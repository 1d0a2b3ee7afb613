from django.urls import path

from . import views_bulletins as bulletins
from . import views_intel as intel
from . import views_messages as msgs

app_name = "comms"

urlpatterns = [
    # Members: bulletins and alerts for every company of the user.
    path("bulletins/", bulletins.my_bulletins, name="my_bulletins"),
    path("bulletins/<int:bid>/", bulletins.my_bulletin, name="my_bulletin"),
    path("alerts/", bulletins.my_alerts, name="my_alerts"),
    # A company's secure messages.
    path("companies/<int:pid>/messages/", msgs.company_threads, name="threads"),
    path("companies/<int:pid>/messages/new/", msgs.company_thread_new, name="thread_new"),
    path("companies/<int:pid>/messages/<int:tid>/", msgs.company_thread, name="thread"),
    path(
        "companies/<int:pid>/messages/<int:tid>/files/<int:aid>/", msgs.company_attachment, name="attachment"
    ),
    # Staff: bulletins.
    path("staff/bulletins/", bulletins.staff_list, name="staff_bulletins"),
    path("staff/bulletins/new/", bulletins.bulletin_new, name="bulletin_new"),
    path("staff/bulletins/<int:bid>/", bulletins.staff_detail, name="staff_bulletin"),
    path("staff/bulletins/<int:bid>/edit/", bulletins.bulletin_edit, name="bulletin_edit"),
    path("staff/bulletins/<int:bid>/publish/", bulletins.bulletin_publish, name="bulletin_publish"),
    path("staff/bulletins/<int:bid>/unschedule/", bulletins.bulletin_unschedule, name="bulletin_unschedule"),
    path("staff/bulletins/<int:bid>/withdraw/", bulletins.bulletin_withdraw, name="bulletin_withdraw"),
    # Staff: messages.
    path("staff/messages/", msgs.inbox, name="inbox"),
    path("staff/messages/<int:tid>/", msgs.staff_thread, name="staff_thread"),
    path("staff/messages/<int:tid>/files/<int:aid>/", msgs.staff_attachment, name="staff_attachment"),
    path("staff/partners/<int:pid>/messages/new/", msgs.staff_thread_new, name="staff_thread_new"),
    # Threat assessments: the audience reads; analysts write.
    path("intel/", intel.assessment_list, name="assessments"),
    path("intel/<int:aid>/", intel.assessment_detail, name="assessment"),
    path("intel/<int:aid>/access-log/", intel.assessment_log, name="assessment_log"),
    path("staff/intel/new/", intel.assessment_new, name="assessment_new"),
    path("staff/intel/<int:aid>/edit/", intel.assessment_edit, name="assessment_edit"),
    path("staff/intel/<int:aid>/publish/", intel.assessment_publish, name="assessment_publish"),
    path("staff/intel/<int:aid>/withdraw/", intel.assessment_withdraw, name="assessment_withdraw"),
]
