"""Access rows for training: seminars (members and staff), certificates, staff training records."""

from __future__ import annotations

from tests.test_access_matrix import COMPANY_API, PUBLIC, STAFF_API, STAFF_PAGE, api, page

GROUPS = {
    "seminar_managers": ["scs", "supervisory_scs", "program_manager", "system_admin"],
    "recorders": ["supervisory_scs", "program_manager", "system_admin"],
}
MANAGER_PAGE = "staff=403 seminar_managers=200 trade=404 anon=302"
RECORDER_PAGE = "staff=403 recorders=200 trade=404 anon=302"
MEMBER_PAGE = "trade=200 staff=404 anon=302"
MEMBER_POST = "trade=302 staff=404 anon=302"
STAFF_POST = "staff=302 trade=404 anon=302"


def _seminar_form(world, values) -> dict:
    return {
        "title": "Matrix seminar",
        "description": "",
        "format": "online",
        "link": "https://meet.example/matrix",
        "starts_at": "2099-05-01T09:00",
        "ends_at": "2099-05-01T12:00",
        "capacity": "10",
        "registration_deadline": "2099-04-28T17:00",
        "waitlist_enabled": "on",
    }


def _seminar_api(world, values) -> dict:
    return {
        "title": "Matrix seminar",
        "format": "online",
        "link": "https://meet.example/matrix",
        "starts_at": "2099-05-01T09:00:00Z",
        "ends_at": "2099-05-01T12:00:00Z",
        "capacity": 10,
        "registration_deadline": "2099-04-28T17:00:00Z",
    }


def _record_form(world, values) -> dict:
    return {
        "user": str(values["trainee"]),
        "course": "ce",
        "completed_on": "2026-01-15",
        "hours": "8",
        "evidence": "Matrix roster",
    }


def _record_api(world, values) -> dict:
    return {
        "user_id": values["trainee"],
        "course": "ce",
        "completed_on": "2026-01-15",
        "hours": "8",
        "evidence": "Matrix roster",
    }


ROWS = [
    # Members
    page("GET", "/companies/{pid}/training/", MEMBER_PAGE, target="M"),
    page("GET", "/companies/{pid}/training/seminars/{seminar}/", MEMBER_PAGE, target="M"),
    page("POST", "/companies/{pid}/training/seminars/{seminar}/register/", MEMBER_POST, target="M"),
    page(
        "POST",
        "/companies/{pid}/training/registrations/{registration}/cancel/",
        MEMBER_POST,
        target="M",
        cross="trade=404 staff=404 anon=302",
    ),
    page(
        "GET",
        "/companies/{pid}/training/registrations/{attended}/certificate.pdf",
        MEMBER_PAGE,
        target="M",
        cross="trade=404 staff=404 anon=302",
    ),
    page("GET", "/training/verify/?code=ABCDABCDABCD", PUBLIC, scoped=False),
    # Staff: seminars
    page("GET", "/staff/training/seminars/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/training/seminars/new/", MANAGER_PAGE, scoped=False),
    page(
        "POST",
        "/staff/training/seminars/new/",
        "staff=403 seminar_managers=302 trade=404 anon=302",
        scoped=False,
        body=_seminar_form,
    ),
    page("GET", "/staff/training/seminars/{seminar}/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/training/seminars/{seminar}/edit/", MANAGER_PAGE, scoped=False),
    page(
        "POST",
        "/staff/training/seminars/{seminar}/status/",
        STAFF_POST,
        scoped=False,
        body={"status": "closed"},
    ),
    page(
        "POST", "/staff/training/seminars/{held}/attendance/", STAFF_POST, scoped=False, body={"present": []}
    ),
    # Staff: training records
    page("GET", "/staff/training/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/training/records/new/", RECORDER_PAGE, scoped=False),
    page(
        "POST",
        "/staff/training/records/new/",
        "staff=403 recorders=302 trade=404 anon=302",
        scoped=False,
        body=_record_form,
    ),
    page("GET", "/staff/training/people/{trainee}/", STAFF_PAGE, scoped=False),
    # API
    api("GET", "/training/seminars", COMPANY_API, scoped=False),
    api("GET", "/training/seminars/{seminar}", COMPANY_API, scoped=False),
    api(
        "POST",
        "/training/seminars",
        "staff=403 seminar_managers=201 trade=404 anon=401",
        scoped=False,
        body=_seminar_api,
    ),
    api(
        "PUT",
        "/training/seminars/{seminar}",
        "staff=403 seminar_managers=200 trade=404 anon=401",
        scoped=False,
        body=_seminar_api,
    ),
    api(
        "POST",
        "/training/seminars/{seminar}/status",
        "staff=403 seminar_managers=200 trade=404 anon=401",
        scoped=False,
        body={"status": "closed"},
    ),
    api("GET", "/training/seminars/{seminar}/registrations", STAFF_API, scoped=False),
    api(
        "POST",
        "/training/seminars/{fresh}/registrations",
        "trade=201 staff=404 anon=401",
        target="M",
        body=lambda world, values: {"partner_id": values["pid"]},
    ),
    api(
        "POST",
        "/training/seminars/{held}/attendance",
        "staff=403 seminar_managers=200 trade=404 anon=401",
        scoped=False,
        body={"present": []},
    ),
    api("GET", "/training/partners/{pid}/registrations", "trade=200 staff=404 anon=401", target="M"),
    api(
        "POST",
        "/training/partners/{pid}/registrations/{registration}/cancel",
        "trade=200 staff=404 anon=401",
        target="M",
        cross="trade=404 staff=404 anon=401",
    ),
    api("GET", "/training/courses", STAFF_API, scoped=False),
    api("GET", "/training/records", STAFF_API, scoped=False),
    api(
        "POST",
        "/training/records",
        "staff=403 recorders=201 trade=404 anon=401",
        scoped=False,
        body=_record_api,
    ),
    api("GET", "/training/due", STAFF_API, scoped=False),
]


def build(ctx):
    from greenlane.training import services
    from greenlane.training.tests.support import held, open_seminar

    manager = ctx.staff["program_manager"]
    seminar = open_seminar(manager, capacity=20)
    fresh = open_seminar(manager, capacity=20)
    past = open_seminar(manager, capacity=20)
    own, foreign = ctx.own["M"], ctx.foreign["M"]
    mine = services.registration_create(actor=ctx.officer, partner_id=own.pk, seminar_id=seminar.pk)
    theirs = services.registration_create(
        actor=ctx.foreign_officer, partner_id=foreign.pk, seminar_id=seminar.pk
    )
    went = services.registration_create(actor=ctx.officer, partner_id=own.pk, seminar_id=past.pk)
    they_went = services.registration_create(
        actor=ctx.foreign_officer, partner_id=foreign.pk, seminar_id=past.pk
    )
    held(past, manager)
    services.attendance_record(actor=manager, seminar_id=past.pk, present={went.pk, they_went.pk})
    shared = {"seminar": seminar.pk, "fresh": fresh.pk, "held": past.pk, "trainee": ctx.staff["scs"].pk}
    return (
        {**shared, "registration": mine.pk, "attended": went.pk},
        {**shared, "registration": theirs.pk, "attended": they_went.pk},
    )
