"""Community: message boards, the libraries and the best-practice catalog.

Boards, library items and approved practices belong to no company: every member of a certified company (the
matrix's people all belong to the certified company M) and every staff role reads them, so those rows have no
foreign case. A company's document exchange and its own practices are the company's: another company's are 404.
Staff reach a company's exchange when they supervise (supervisory SCS, program manager), audit (read only), or
are its assigned SCS (the matrix's scs is M's); other staff roles get 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access_matrix import api, page

GROUPS = {
    "moderators": ["scs", "supervisory_scs", "program_manager", "system_admin"],
    "librarians": ["supervisory_scs", "program_manager", "system_admin"],
    "approvers": ["supervisory_scs", "program_manager"],
    "practice_authors": ["scs", "supervisory_scs", "program_manager"],
    "exchange_readers": ["scs", "supervisory_scs", "program_manager", "auditor"],
    "exchange_writers": ["scs", "supervisory_scs", "program_manager"],
    "speakers": ["company_officer", "company_admin", "contributor"],
}
SIGNED_IN = "authenticated=200 anon=302"
STAFF_PAGE = "staff=200 trade=404 anon=302"
MODERATE_POST = "staff=403 moderators=302 trade=404 anon=302"
MODERATE_API = "staff=403 moderators=200 trade=404 anon=401"
EXCHANGE_PAGE = "trade=200 staff=404 exchange_readers=200 anon=302"
EXCHANGE_POST = "trade=302 staff=404 auditor=403 exchange_writers=302 anon=302"
EXCHANGE_API = "trade=200 staff=404 exchange_readers=200 anon=401"
EXCHANGE_UPLOAD_API = "trade=201 staff=404 auditor=403 exchange_writers=201 anon=401"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(_world, _values):
    return {
        "file": SimpleUploadedFile("matrix.pdf", PDF),
        "title": "Matrix",
        "category": "other",
        "note": "n",
    }


def _version(_world, _values):
    return {"file": SimpleUploadedFile("matrix.txt", b"Matrix version.\n"), "note": "n"}


def _practice(_world, values):
    return {
        "partner_id": values["pid"],
        "title": "Matrix practice",
        "description": "A practice described for the access matrix.",
        "category": 6,
        "naics_sector": "42",
        "criteria": [],
    }


def _practice_form(world, values):
    body = _practice(world, values)
    return {**body, "criteria": ""}


ROWS = [
    # Boards ------------------------------------------------------------------------------------------------
    page("GET", "/community/boards/", SIGNED_IN, scoped=False),
    page("GET", "/community/boards/{topic}/", SIGNED_IN, scoped=False),
    page("GET", "/community/boards/{topic}/new/", SIGNED_IN, scoped=False),
    page(
        "POST",
        "/community/boards/{topic}/new/",
        "authenticated=302 consultant=200 anon=302",
        scoped=False,
        body={"title": "Matrix thread", "body": "Hello."},
    ),
    page("GET", "/community/boards/threads/{thread}/", SIGNED_IN, scoped=False),
    page("POST", "/community/boards/threads/{thread}/reply/", "*=302", scoped=False, body={"body": "Reply."}),
    page("GET", "/community/boards/posts/{post}/report/", SIGNED_IN, scoped=False),
    page("POST", "/community/boards/posts/{post}/report/", "*=302", scoped=False, body={"reason": "Spam."}),
    page("GET", "/staff/community/moderation/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/community/topics/new/", STAFF_PAGE, scoped=False),
    page("POST", "/staff/community/topics/new/", MODERATE_POST, scoped=False, body={"title": "Matrix topic"}),
    page(
        "POST",
        "/staff/community/topics/{topic}/moderate/",
        MODERATE_POST,
        scoped=False,
        body={"action": "lock"},
    ),
    page(
        "POST",
        "/staff/community/threads/{thread}/moderate/",
        MODERATE_POST,
        scoped=False,
        body={"action": "pin"},
    ),
    page(
        "POST", "/staff/community/posts/{post}/hide/", MODERATE_POST, scoped=False, body={"reason": "Matrix"}
    ),
    page("POST", "/staff/community/posts/{hidden_post}/unhide/", MODERATE_POST, scoped=False, body={}),
    page(
        "POST",
        "/staff/community/reports/{report}/decide/",
        MODERATE_POST,
        scoped=False,
        body={"decision": "dismissed", "note": "Matrix"},
    ),
    api("GET", "/community/topics", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/community/topics",
        "staff=403 moderators=201 trade=404 anon=401",
        scoped=False,
        body={"title": "T"},
    ),
    api("POST", "/community/topics/{topic}/moderate", MODERATE_API, scoped=False, body={"action": "lock"}),
    api("GET", "/community/topics/{topic}/threads", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/community/topics/{topic}/threads",
        "authenticated=201 consultant=403 anon=401",
        scoped=False,
        body={"title": "T", "body": "B"},
    ),
    api("POST", "/community/threads/{thread}/moderate", MODERATE_API, scoped=False, body={"action": "pin"}),
    api("GET", "/community/threads/{thread}/posts", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/community/threads/{thread}/posts",
        "authenticated=201 consultant=403 anon=401",
        scoped=False,
        body={"body": "B"},
    ),
    api(
        "POST",
        "/community/posts/{post}/hide",
        MODERATE_API,
        scoped=False,
        body={"hidden": True, "reason": "Matrix"},
    ),
    api(
        "POST",
        "/community/posts/{post}/reports",
        "authenticated=201 anon=401",
        scoped=False,
        body={"reason": "R"},
    ),
    api("GET", "/community/reports", "staff=200 trade=404 anon=401", scoped=False),
    api(
        "POST",
        "/community/reports/{report}/decide",
        MODERATE_API,
        scoped=False,
        body={"decision": "dismissed", "note": "Matrix"},
    ),
    # Public library -----------------------------------------------------------------------------------------
    page("GET", "/community/library/", SIGNED_IN, scoped=False),
    page("GET", "/community/library/{libdoc}/", SIGNED_IN, scoped=False),
    page("GET", "/community/library/{libdoc}/versions/1/download/", SIGNED_IN, scoped=False),
    page("GET", "/staff/community/library/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/staff/community/library/",
        "staff=403 librarians=302 trade=404 anon=302",
        scoped=False,
        multipart=True,
        body=_file,
    ),
    page(
        "POST",
        "/staff/community/library/{libdoc}/versions/",
        "staff=403 librarians=302 trade=404 anon=302",
        scoped=False,
        multipart=True,
        body=_version,
    ),
    api("GET", "/community/library", "authenticated=200 anon=401", scoped=False),
    api("GET", "/community/library/{libdoc}", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/community/library",
        "staff=403 librarians=201 trade=404 anon=401",
        scoped=False,
        multipart=True,
        body=_file,
    ),
    api(
        "POST",
        "/community/library/{libdoc}/versions",
        "staff=403 librarians=201 trade=404 anon=401",
        scoped=False,
        multipart=True,
        body=_version,
    ),
    # A company's document exchange ----------------------------------------------------------------------------
    page("GET", "/companies/{pid}/documents/", EXCHANGE_PAGE, target="M"),
    page("POST", "/companies/{pid}/documents/", EXCHANGE_POST, target="M", multipart=True, body=_file),
    page(
        "GET",
        "/companies/{pid}/documents/{xdoc}/",
        EXCHANGE_PAGE,
        target="M",
        cross="authenticated=404 anon=302",
    ),
    page(
        "POST", "/companies/{pid}/documents/{xdoc}/", EXCHANGE_POST, target="M", multipart=True, body=_version
    ),
    page("GET", "/companies/{pid}/documents/{xdoc}/versions/1/download/", EXCHANGE_PAGE, target="M"),
    api("GET", "/community/exchange/{pid}/documents", EXCHANGE_API, target="M"),
    api(
        "POST",
        "/community/exchange/{pid}/documents",
        EXCHANGE_UPLOAD_API,
        target="M",
        multipart=True,
        body=_file,
    ),
    api(
        "GET",
        "/community/exchange/{pid}/documents/{xdoc}",
        EXCHANGE_API,
        target="M",
        cross="authenticated=404 anon=401",
    ),
    api(
        "POST",
        "/community/exchange/{pid}/documents/{xdoc}/versions",
        EXCHANGE_UPLOAD_API,
        target="M",
        multipart=True,
        body=_version,
    ),
    # Best practices ------------------------------------------------------------------------------------------
    page("GET", "/community/best-practices/", SIGNED_IN, scoped=False),
    page("GET", "/community/best-practices/{practice}/", SIGNED_IN, scoped=False),
    page("GET", "/companies/{pid}/best-practices/", "trade=200 staff=404 anon=302", target="M"),
    page(
        "POST",
        "/companies/{pid}/best-practices/",
        "speakers=302 consultant=200 staff=404 anon=302",
        target="M",
        body=_practice_form,
    ),
    page(
        "POST",
        "/companies/{pid}/best-practices/{practice}/consent/",
        "trade=302 staff=404 anon=302",
        target="M",
        body={"consent": "yes"},
    ),
    page(
        "POST",
        "/companies/{pid}/best-practices/{pending}/withdraw/",
        "trade=302 staff=404 anon=302",
        target="M",
        body={"reason": "Matrix"},
    ),
    page("GET", "/staff/community/best-practices/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/community/best-practices/new/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/staff/community/best-practices/new/",
        "staff=403 practice_authors=302 trade=404 anon=302",
        target="M",
        scoped=False,
        body=lambda world, values: {**_practice_form(world, values), "partner_id": values["pid"]},
    ),
    page("GET", "/staff/community/best-practices/{pending}/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/staff/community/best-practices/{pending}/decide/",
        "staff=403 approvers=302 trade=404 anon=302",
        scoped=False,
        body={"decision": "approved", "note": ""},
    ),
    api("GET", "/community/best-practices", "authenticated=200 anon=401", scoped=False),
    api("GET", "/community/best-practices/{practice}", "authenticated=200 anon=401", scoped=False),
    api(
        "POST",
        "/community/best-practices",
        "speakers=201 consultant=403 staff=403 practice_authors=201 anon=401",
        target="M",
        body=_practice,
    ),
    api(
        "POST",
        "/community/best-practices/{pending}/decide",
        "staff=403 approvers=200 trade=404 anon=401",
        scoped=False,
        body={"decision": "approved", "note": ""},
    ),
    api(
        "POST",
        "/community/best-practices/{practice}/consent",
        "trade=403 company_officer=200 staff=404 anon=401",
        target="M",
        body=lambda world, values: {"partner_id": values["pid"], "consent": True},
    ),
]


def build(ctx):
    from greenlane.community import board_services, library_services, practice_services
    from greenlane.partners.models import Partner

    scs, pm = ctx.staff["scs"], ctx.staff["program_manager"]
    # The matrix's certified member M is assigned to the matrix's scs (its annual review): the exchange rows rely
    # on it.
    assert Partner.objects.get(pk=ctx.own["M"].pk).assigned_scs_id == scs.pk
    topic = board_services.topic_create(actor=scs, title="Matrix topic")
    thread = board_services.thread_create(
        actor=ctx.officer, topic_id=topic.pk, title="Matrix", body="First post."
    )
    post = thread.posts.get()
    hidden = board_services.post_create(actor=ctx.foreign_officer, thread_id=thread.pk, body="Hidden one.")
    board_services.post_hide(actor=scs, post_id=hidden.pk, reason="Matrix")
    report = board_services.report_create(actor=ctx.foreign_officer, post_id=post.pk, reason="Matrix report")
    libdoc = library_services.library_publish(
        actor=pm, title="Matrix guide", filename="guide.pdf", data=PDF, category="guide"
    )
    shared = {
        "topic": topic.pk,
        "thread": thread.pk,
        "post": post.pk,
        "hidden_post": hidden.pk,
        "report": report.pk,
        "libdoc": libdoc.pk,
    }

    def company(officer, partner) -> dict:
        doc = library_services.exchange_upload(
            actor=officer, partner_id=partner.pk, title="Matrix doc", filename="doc.pdf", data=PDF
        )
        values = {
            "title": "Matrix practice",
            "description": "A practice described for the access matrix.",
            "category": 6,
            "naics_sector": "42",
            "partner_id": partner.pk,
        }
        approved = practice_services.practice_submit(actor=officer, **values)
        practice_services.practice_decide(actor=pm, practice_id=approved.pk, decision="approved")
        pending = practice_services.practice_submit(actor=officer, **values)
        return {"xdoc": doc.pk, "practice": approved.pk, "pending": pending.pk}

    own = company(ctx.officer, ctx.own["M"])
    foreign = company(ctx.foreign_officer, ctx.foreign["M"])
    # Rows without a foreign case read the shared objects; the approved practice is readable to all members.
    return {**shared, **own}, {**shared, **foreign}
