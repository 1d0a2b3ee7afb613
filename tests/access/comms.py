"""Communications: bulletins (members read, editors write), threads (the company and the staff who reach it),
threat assessments (only their audience; everyone else 404).

Objects: a bulletin for every company and, as the foreign one, a bulletin for a country none of the matrix's
companies is in; a draft bulletin; a thread with an attachment on company R (R has no field office, so
supervisory specialists and program managers reach it; its specialist is not the matrix's scs) and one on the
foreign R; a threat assessment for the scs and manager roles and company R (written by the analyst), and one
for the foreign R only; a draft assessment of the analyst. Placeholders start with comms_.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access_matrix import COMPANY_API, SIGNED_IN_PAGE, STAFF_API, STAFF_PAGE, TRADE_PAGE, api, page

GROUPS = {
    "bulletin_editors": ["program_manager", "supervisory_scs", "intelligence_analyst"],
    "assessors": ["intelligence_analyst", "program_manager"],
    # Staff who write to company R: supervisory specialists (R has no field office) and program managers. The
    # matrix's scs is assigned R's referral, not R itself (R's specialist is another user): it may not write.
    "reachers": ["supervisory_scs", "program_manager"],
    # ...and who read its threads: the same and the auditor.
    "thread_readers": ["supervisory_scs", "program_manager", "auditor"],
    # The matrix assessment's audience among staff (the analyst wrote it).
    "intel_audience": ["scs", "intelligence_analyst", "program_manager"],
}

EDITOR_POST = "staff=403 bulletin_editors=302 trade=404 anon=302"
EDITOR_API = "staff=403 bulletin_editors=200 trade=404 anon=401"
THREAD_PAGE = "trade=200 staff=404 anon=302"
STAFF_THREAD = "staff=404 thread_readers=200 trade=404 anon=302"
CROSS = "authenticated=404 anon=302"


def _thread_body(world, values):
    return {"partner_id": values["pid"], "subject": "Matrix", "body": "Hello"}


def _upload(world, values):
    return {
        "body": "With file",
        "file": SimpleUploadedFile("note.txt", b"Matrix note\n", content_type="text/plain"),
    }


def _bulletin_api(world, values):
    return {"title": "Matrix bulletin", "body": "Text", "audience": {"entity_types": ["importer"]}}


ASSESSMENT_FORM = {
    "title": "Matrix assessment",
    "body": "Text",
    "marking": "members-only",
    "staff_roles": ["scs"],
}

ROWS = [
    # Members: bulletins and alerts.
    page("GET", "/bulletins/", TRADE_PAGE, scoped=False),
    page("GET", "/alerts/", TRADE_PAGE, scoped=False),
    page("GET", "/bulletins/{comms_bulletin}/", TRADE_PAGE),
    # A company's messages.
    page("GET", "/companies/{pid}/messages/", THREAD_PAGE, target="R"),
    page("GET", "/companies/{pid}/messages/new/", THREAD_PAGE, target="R"),
    page(
        "POST",
        "/companies/{pid}/messages/new/",
        "trade=302 staff=404 anon=302",
        target="R",
        body={"subject": "Matrix", "body": "Hello"},
    ),
    page("GET", "/companies/{pid}/messages/{comms_thread}/", THREAD_PAGE, target="R", cross=CROSS),
    page(
        "POST",
        "/companies/{pid}/messages/{comms_thread}/",
        "trade=302 staff=404 anon=302",
        target="R",
        cross=CROSS,
        body={"body": "Reply"},
    ),
    page(
        "GET",
        "/companies/{pid}/messages/{comms_thread}/files/{comms_attachment}/",
        THREAD_PAGE,
        target="R",
        cross=CROSS,
    ),
    # Staff: bulletins.
    page("GET", "/staff/bulletins/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/bulletins/new/", "staff=403 bulletin_editors=200 trade=404 anon=302", scoped=False),
    page(
        "POST",
        "/staff/bulletins/new/",
        EDITOR_POST,
        scoped=False,
        body={"kind": "bulletin", "title": "Matrix", "body": "Text", "action": "save"},
    ),
    page("GET", "/staff/bulletins/{comms_draft_bulletin}/", STAFF_PAGE, scoped=False),
    page(
        "GET",
        "/staff/bulletins/{comms_draft_bulletin}/edit/",
        "staff=403 bulletin_editors=200 trade=404 anon=302",
        scoped=False,
    ),
    page(
        "POST",
        "/staff/bulletins/{comms_draft_bulletin}/publish/",
        EDITOR_POST,
        scoped=False,
        body={"publish_at": ""},
    ),
    page("POST", "/staff/bulletins/{comms_draft_bulletin}/unschedule/", EDITOR_POST, scoped=False),
    page(
        "POST",
        "/staff/bulletins/{comms_draft_bulletin}/withdraw/",
        EDITOR_POST,
        scoped=False,
        body={"reason": ""},
    ),
    # Staff: messages.
    page("GET", "/staff/messages/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/messages/{comms_thread}/", STAFF_THREAD, target="R"),
    page(
        "POST",
        "/staff/messages/{comms_thread}/",
        "staff=404 reachers=302 auditor=403 trade=404 anon=302",
        target="R",
        body={"body": "Reply"},
    ),
    page("GET", "/staff/messages/{comms_thread}/files/{comms_attachment}/", STAFF_THREAD, target="R"),
    page("GET", "/staff/partners/{pid}/messages/new/", STAFF_PAGE, target="R"),
    page(
        "POST",
        "/staff/partners/{pid}/messages/new/",
        "staff=403 reachers=302 trade=404 anon=302",
        target="R",
        body={"subject": "Matrix", "body": "Hello"},
    ),
    # Threat assessments.
    page("GET", "/intel/", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/intel/{comms_assessment}/", "staff=404 intel_audience=200 trade=200 anon=302", target="R"),
    page(
        "GET", "/intel/{comms_assessment}/access-log/", "authenticated=404 assessors=200 anon=302", target="R"
    ),
    page("GET", "/staff/intel/new/", "staff=403 assessors=200 trade=404 anon=302", scoped=False),
    page(
        "POST",
        "/staff/intel/new/",
        "staff=403 assessors=302 trade=404 anon=302",
        scoped=False,
        body=ASSESSMENT_FORM,
    ),
    page(
        "GET",
        "/staff/intel/{comms_draft_assessment}/edit/",
        "authenticated=404 intelligence_analyst=200 anon=302",
        scoped=False,
    ),
    page(
        "POST",
        "/staff/intel/{comms_draft_assessment}/publish/",
        "staff=403 program_manager=404 intelligence_analyst=302 trade=404 anon=302",
        scoped=False,
    ),
    page(
        "POST",
        "/staff/intel/{comms_draft_assessment}/withdraw/",
        "staff=403 program_manager=404 intelligence_analyst=302 trade=404 anon=302",
        scoped=False,
        body={"reason": ""},
    ),
    # API: bulletins.
    api("GET", "/comms/bulletins", COMPANY_API, scoped=False),
    api(
        "POST",
        "/comms/bulletins",
        "staff=403 bulletin_editors=201 trade=404 anon=401",
        scoped=False,
        body=_bulletin_api,
    ),
    api("GET", "/comms/bulletins/audience", STAFF_API, scoped=False),
    api("GET", "/comms/bulletins/{comms_bulletin}", COMPANY_API),
    api("PUT", "/comms/bulletins/{comms_draft_bulletin}", EDITOR_API, scoped=False, body=_bulletin_api),
    api("POST", "/comms/bulletins/{comms_bulletin}/read", "trade=200 staff=404 anon=401"),
    api("POST", "/comms/bulletins/{comms_draft_bulletin}/publish", EDITOR_API, scoped=False, body={}),
    api(
        "POST",
        "/comms/bulletins/{comms_draft_bulletin}/withdraw",
        EDITOR_API,
        scoped=False,
        body={"reason": ""},
    ),
    api("GET", "/comms/bulletins/{comms_bulletin}/receipts", STAFF_API, scoped=False),
    # API: threads.
    api("GET", "/comms/threads", COMPANY_API, scoped=False),
    api("POST", "/comms/threads", "trade=201 staff=403 reachers=201 anon=401", target="R", body=_thread_body),
    api(
        "GET", "/comms/threads/{comms_thread}", "trade=200 staff=404 thread_readers=200 anon=401", target="R"
    ),
    api(
        "POST",
        "/comms/threads/{comms_thread}/messages",
        "trade=201 staff=404 reachers=201 auditor=403 anon=401",
        target="R",
        body={"body": "Reply"},
    ),
    api(
        "POST",
        "/comms/threads/{comms_thread}/messages/upload",
        "trade=201 staff=404 reachers=201 auditor=403 anon=401",
        target="R",
        body=_upload,
        multipart=True,
    ),
    api(
        "POST",
        "/comms/threads/{comms_thread}/read",
        "trade=200 staff=404 thread_readers=200 anon=401",
        target="R",
    ),
    api(
        "GET",
        "/comms/threads/{comms_thread}/attachments/{comms_attachment}",
        "trade=200 staff=404 thread_readers=200 anon=401",
        target="R",
    ),
    # API: threat assessments.
    api("GET", "/comms/threat-assessments", COMPANY_API, scoped=False),
    api(
        "GET",
        "/comms/threat-assessments/{comms_assessment}",
        "staff=404 intel_audience=200 trade=200 anon=401",
        target="R",
    ),
    api(
        "GET",
        "/comms/threat-assessments/{comms_assessment}/access-log",
        "authenticated=404 assessors=200 anon=401",
        target="R",
    ),
]


def build(ctx):
    from greenlane.comms import services

    manager, analyst = ctx.staff["program_manager"], ctx.staff["intelligence_analyst"]

    def bulletin(audience, *, publish=True):
        b = services.bulletin_create(
            actor=manager, data=services.BulletinInput(title="Matrix", body="Text", audience=audience)
        )
        return services.bulletin_publish(actor=manager, bulletin_id=b.pk) if publish else b

    everyone = bulletin({})
    elsewhere = bulletin({"countries": ["ZW"]})  # reaches none of the matrix's companies
    draft = bulletin({}, publish=False)

    def thread(partner, user):
        t = services.thread_start(
            actor=user,
            partner_id=partner.pk,
            subject="Matrix thread",
            body="Hello",
            files=[services.Upload("note.txt", b"Matrix note\n")],
        )
        return t.pk, t.messages.get().attachments.get().pk

    own_thread, own_file = thread(ctx.own["R"], ctx.officer)
    foreign_thread, foreign_file = thread(ctx.foreign["R"], ctx.foreign_officer)

    def assessment(partner):
        a = services.assessment_create(
            actor=analyst,
            data=services.AssessmentInput(
                title="Matrix assessment",
                body="Text",
                marking="members-only",
                staff_roles=["scs", "program_manager"],
                partner_ids=[partner.pk],
            ),
        )
        return services.assessment_publish(actor=analyst, assessment_id=a.pk).pk

    own_assessment, foreign_assessment = assessment(ctx.own["R"]), assessment(ctx.foreign["R"])
    draft_assessment = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            title="Matrix draft", body="Text", marking="members-only", staff_roles=["scs"]
        ),
    ).pk
    shared = {"comms_draft_bulletin": draft.pk, "comms_draft_assessment": draft_assessment}
    return (
        {
            "comms_bulletin": everyone.pk,
            "comms_thread": own_thread,
            "comms_attachment": own_file,
            "comms_assessment": own_assessment,
            **shared,
        },
        {
            "comms_bulletin": elsewhere.pk,
            "comms_thread": foreign_thread,
            "comms_attachment": foreign_file,
            "comms_assessment": foreign_assessment,
            **shared,
        },
    )
