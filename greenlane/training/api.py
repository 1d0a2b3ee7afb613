"""/api/v1/training: seminars, registrations, attendance; staff training records and the due list."""

from __future__ import annotations

from ninja import Query, Router

from . import records, selectors, services
from .rules import load_catalog
from .schemas import (
    AttendanceIn,
    CourseOut,
    Paging,
    PersonDueOut,
    RecordIn,
    RecordListOut,
    RecordOut,
    RegisterIn,
    RegistrationOut,
    SeminarIn,
    SeminarListOut,
    SeminarOut,
    StatusIn,
)

router = Router(tags=["Training"])


def _page(page) -> dict:
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


def _public(request, seminars):
    """Members see an online seminar's link on the page of their own registration, not in listings."""
    if not getattr(request.auth, "staff_role", ""):
        for seminar in seminars:
            seminar.link = None
    return seminars


@router.get(
    "/seminars", response=SeminarListOut, summary="Seminars: staff see all, members the published ones"
)
def list_seminars(request, query: Query[Paging]):
    if query.status:
        return _page(
            selectors.staff_seminars(
                request.auth, status=query.status, limit=query.limit, offset=query.offset
            )
        )
    page = selectors.published_seminars(request.auth, limit=query.limit, offset=query.offset)
    _public(request, page.items)
    return _page(page)


@router.get("/seminars/{seminar_id}", response=SeminarOut)
def get_seminar(request, seminar_id: int):
    return _public(request, [selectors.published_seminar(request.auth, seminar_id)])[0]


def _input(payload: SeminarIn) -> services.SeminarInput:
    return services.SeminarInput(**payload.dict())


@router.post("/seminars", response={201: SeminarOut}, summary="Draft a seminar (specialists and above)")
def create_seminar(request, payload: SeminarIn):
    seminar = services.seminar_create(actor=request.auth, data=_input(payload))
    return 201, selectors.seminar_for_staff(request.auth, seminar.pk)


@router.put(
    "/seminars/{seminar_id}", response=SeminarOut, summary="Change a seminar (not once cancelled or held)"
)
def update_seminar(request, seminar_id: int, payload: SeminarIn):
    services.seminar_update(actor=request.auth, seminar_id=seminar_id, data=_input(payload))
    return selectors.seminar_for_staff(request.auth, seminar_id)


@router.post(
    "/seminars/{seminar_id}/status", response=SeminarOut, summary="Move a seminar along its statuses"
)
def set_status(request, seminar_id: int, payload: StatusIn):
    services.seminar_set_status(
        actor=request.auth, seminar_id=seminar_id, status=payload.status, reason=payload.reason
    )
    return selectors.seminar_for_staff(request.auth, seminar_id)


@router.get(
    "/seminars/{seminar_id}/registrations", response=list[RegistrationOut], summary="Everyone registered"
)
def seminar_registrations(request, seminar_id: int):
    return selectors.seminar_registrations(request.auth, seminar_id)


@router.post(
    "/seminars/{seminar_id}/registrations",
    response={201: RegistrationOut},
    summary="Register yourself for your company: a seat, or the waiting list when full; "
    "409 when full and the seminar keeps no waiting list (nothing stored)",
)
def register(request, seminar_id: int, payload: RegisterIn):
    return 201, services.registration_create(
        actor=request.auth, partner_id=payload.partner_id, seminar_id=seminar_id
    )


@router.post(
    "/seminars/{seminar_id}/attendance",
    response=list[RegistrationOut],
    summary="Take the roll of a held seminar: ids present; every other seat holder is marked absent",
)
def attendance(request, seminar_id: int, payload: AttendanceIn):
    services.attendance_record(actor=request.auth, seminar_id=seminar_id, present=set(payload.present))
    return selectors.seminar_registrations(request.auth, seminar_id)


@router.get(
    "/partners/{partner_id}/registrations",
    response=list[RegistrationOut],
    summary="A company's registrations",
)
def company_registrations(request, partner_id: int):
    return selectors.company_registrations(request.auth, partner_id)


@router.post(
    "/partners/{partner_id}/registrations/{registration_id}/cancel",
    response=RegistrationOut,
    summary="Cancel a registration; the freed seat goes to the first person waiting",
)
def cancel(request, partner_id: int, registration_id: int):
    return services.registration_cancel(
        actor=request.auth, partner_id=partner_id, registration_id=registration_id
    )


@router.get("/courses", response=list[CourseOut], summary="The staff training catalog and its rules")
def courses(request):
    selectors.staff_seminars(request.auth, limit=1, offset=0)  # staff only
    return [{**c.__dict__, "roles": sorted(c.roles)} for c in load_catalog().courses]


@router.get("/records", response=RecordListOut, summary="Staff training records, latest first")
def list_records(request, query: Query[Paging], user_id: int | None = None):
    return _page(
        selectors.training_records(request.auth, user_id=user_id, limit=query.limit, offset=query.offset)
    )


@router.post("/records", response={201: RecordOut}, summary="Record completed training (supervisors)")
def create_record(request, payload: RecordIn):
    return 201, records.training_record_create(actor=request.auth, **payload.dict())


@router.get("/due", response=list[PersonDueOut], summary="Who owes what by when, overdue first")
def due(request, field_office: int | None = None):
    rows = selectors.due_list(request.auth, field_office=field_office)
    return [
        {
            "user_id": r.user.pk,
            "email": r.user.email,
            "name": r.user.display_name,
            "field_office": r.user.field_office.code if r.user.field_office else None,
            "owed": [o.__dict__ for o in r.owed],
        }
        for r in rows
    ]
