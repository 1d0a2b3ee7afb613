from django.urls import path

from . import board_views, library_views, practice_views

app_name = "community"

urlpatterns = [
    # Message boards: members of certified companies and staff.
    path("community/boards/", board_views.boards, name="boards"),
    path("community/boards/<int:topic_id>/", board_views.topic, name="topic"),
    path("community/boards/<int:topic_id>/new/", board_views.thread_new, name="thread_new"),
    path("community/boards/threads/<int:thread_id>/", board_views.thread, name="thread"),
    path("community/boards/threads/<int:thread_id>/reply/", board_views.reply, name="reply"),
    path("community/boards/posts/<int:post_id>/report/", board_views.report, name="report"),
    # Moderation (staff).
    path("staff/community/moderation/", board_views.moderation, name="moderation"),
    path("staff/community/topics/new/", board_views.topic_new, name="topic_new"),
    path(
        "staff/community/topics/<int:topic_id>/moderate/", board_views.topic_moderate, name="topic_moderate"
    ),
    path(
        "staff/community/threads/<int:thread_id>/moderate/",
        board_views.thread_moderate,
        name="thread_moderate",
    ),
    path("staff/community/posts/<int:post_id>/hide/", board_views.post_hide, name="post_hide"),
    path("staff/community/posts/<int:post_id>/unhide/", board_views.post_unhide, name="post_unhide"),
    path("staff/community/reports/<int:report_id>/decide/", board_views.report_decide, name="report_decide"),
    # The public library (every signed-in user) and its management (staff).
    path("community/library/", library_views.library, name="library"),
    path("community/library/<int:document_id>/", library_views.library_document, name="library_document"),
    path(
        "community/library/<int:document_id>/versions/<int:number>/download/",
        library_views.library_download,
        name="library_download",
    ),
    path("staff/community/library/", library_views.library_manage, name="library_manage"),
    path(
        "staff/community/library/<int:document_id>/versions/",
        library_views.library_version,
        name="library_version",
    ),
    # A company's document exchange with its specialist (the company's people, staff who reach it).
    path("companies/<int:pid>/documents/", library_views.exchange, name="exchange"),
    path(
        "companies/<int:pid>/documents/<int:document_id>/",
        library_views.exchange_document,
        name="exchange_document",
    ),
    path(
        "companies/<int:pid>/documents/<int:document_id>/versions/<int:number>/download/",
        library_views.exchange_download,
        name="exchange_download",
    ),
    # Best practices.
    path("community/best-practices/", practice_views.catalog, name="practices"),
    path("community/best-practices/<int:practice_id>/", practice_views.practice, name="practice"),
    path("companies/<int:pid>/best-practices/", practice_views.company_practices, name="company_practices"),
    path(
        "companies/<int:pid>/best-practices/<int:practice_id>/consent/",
        practice_views.company_consent,
        name="company_consent",
    ),
    path(
        "companies/<int:pid>/best-practices/<int:practice_id>/withdraw/",
        practice_views.company_withdraw,
        name="company_withdraw",
    ),
    path("staff/community/best-practices/", practice_views.review_queue, name="review_queue"),
    path("staff/community/best-practices/new/", practice_views.staff_new, name="staff_practice_new"),
    path("staff/community/best-practices/<int:practice_id>/", practice_views.review, name="review"),
    path("staff/community/best-practices/<int:practice_id>/decide/", practice_views.decide, name="decide"),
]
