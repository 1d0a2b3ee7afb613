"""/api/v1/partners: enrollment, agreement, submission, and staff review."""

from __future__ import annotations

from ninja import Query, Router, Schema

from greenlane.audit import selectors as audit_selectors
from greenlane.core.errors import NotFound

from . import selectors, services
from .models import AgreementVersion
from .readiness import problems
from .schemas import (
    AgreementSignIn,
    AssignIn,
    ContactIn,
    ContactOut,
    EventListOut,
    PartnerCreateIn,
    PartnerListOut,
    PartnerOut,
    PartnerPatchIn,
    SignatureOut,
    SiteIn,
    SiteOut,
    TransitionIn,
)

router = Router(tags=["partners"])


class ListQuery(Schema):
    q: str = ""
    status: str = ""
    entity_type: str = ""
    country: str = ""
    field_office: int | None = None
    assigned_scs: int | None = None
    limit: int = 25
    offset: int = 0


class Paging(Schema):
    limit: int = 50
    offset: int = 0


class ReasonIn(Schema):
    reason: str


def _detail(user, partner_id) -> object:
    access = selectors.partner_detail(user, partner_id)
    partner = access.partner
    current = AgreementVersion.objects.filter(is_current=True).first()
    # Two per-request attributes the response schema reads beside the model's fields.
    partner.your_role = access.role  # type: ignore[attr-defined]
    partner.missing = [f"{s.label}: {s.detail}" for s in problems(partner, current_agreement=current)]  # type: ignore[attr-defined]
    return partner


@router.post("", response={201: PartnerOut}, summary="Enroll a company (creates a draft)")
def create_partner(request, payload: PartnerCreateIn):
    data = payload.dict()
    identifiers = [services.IdentifierInput(i["type"], i["value"]) for i in data.pop("identifiers")]
    partner = services.partner_create(actor=request.auth, identifiers=identifiers, **data)
    return 201, _detail(request.auth, partner.pk)


@router.get("", response=PartnerListOut, summary="Staff: search partners. Trade users: their own companies")
def list_partners(request, query: Query[ListQuery]):
    criteria = selectors.PartnerSearch(
        q=query.q,
        status=query.status,
        entity_type=query.entity_type,
        country=query.country,
        field_office=query.field_office,
        assigned_scs=query.assigned_scs,
    )
    page = selectors.search_partners(request.auth, criteria, limit=query.limit, offset=query.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get("/{partner_id}", response=PartnerOut)
def get_partner(request, partner_id: int):
    return _detail(request.auth, partner_id)


@router.patch(
    "/{partner_id}", response=PartnerOut, summary="Edit business details; identifiers replace the set"
)
def patch_partner(request, partner_id: int, payload: PartnerPatchIn):
    data = payload.dict(exclude_unset=True)
    identifiers = data.pop("identifiers", None)
    if identifiers is not None:
        identifiers = [services.IdentifierInput(i["type"], i["value"]) for i in identifiers]
    services.partner_update(actor=request.auth, partner_id=partner_id, changes=data, identifiers=identifiers)
    return _detail(request.auth, partner_id)


@router.post(
    "/{partner_id}/agreement", response={201: SignatureOut}, summary="Company officer signs the agreement"
)
def sign_agreement(request, partner_id: int, payload: AgreementSignIn):
    signature = services.agreement_sign(actor=request.auth, partner_id=partner_id, **payload.dict())
    return 201, signature


@router.post("/{partner_id}/withdraw", response=PartnerOut, summary="Company officer withdraws the company")
def withdraw(request, partner_id: int, payload: ReasonIn):
    services.partner_withdraw(actor=request.auth, partner_id=partner_id, reason=payload.reason)
    return _detail(request.auth, partner_id)


@router.post("/{partner_id}/sites", response={201: SiteOut})
def add_site(request, partner_id: int, payload: SiteIn):
    return 201, services.site_add(actor=request.auth, partner_id=partner_id, **payload.dict())


@router.delete("/{partner_id}/sites/{site_id}", response={204: None})
def remove_site(request, partner_id: int, site_id: int):
    services.site_remove(actor=request.auth, partner_id=partner_id, site_id=site_id)
    return 204, None


@router.post("/{partner_id}/contacts", response={201: ContactOut})
def add_contact(request, partner_id: int, payload: ContactIn):
    return 201, services.contact_add(actor=request.auth, partner_id=partner_id, **payload.dict())


@router.delete("/{partner_id}/contacts/{contact_id}", response={204: None})
def remove_contact(request, partner_id: int, contact_id: int):
    services.contact_remove(actor=request.auth, partner_id=partner_id, contact_id=contact_id)
    return 204, None


@router.get("/{partner_id}/events", response=EventListOut, summary="The partner's event history")
def events(request, partner_id: int, paging: Query[Paging]):
    access = selectors.partner_for(request.auth, partner_id)
    page = audit_selectors.partner_events(access, limit=paging.limit, offset=paging.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.post(
    "/{partner_id}/transition", response=PartnerOut, summary="Staff: move the partner through review"
)
def transition(request, partner_id: int, payload: TransitionIn):
    _staff_only(request.auth)
    services.partner_transition(
        actor=request.auth, partner_id=partner_id, to_status=payload.to_status, reason=payload.reason
    )
    return _detail(request.auth, partner_id)


@router.post("/{partner_id}/assign", response=PartnerOut, summary="Staff: assign a specialist")
def assign(request, partner_id: int, payload: AssignIn):
    _staff_only(request.auth)
    services.partner_assign_scs(
        actor=request.auth, partner_id=partner_id, scs_id=payload.scs_id, reason=payload.reason
    )
    return _detail(request.auth, partner_id)


def _staff_only(user) -> None:
    # Staff endpoints do not exist for trade users.
    if not user.staff_role:
        raise NotFound()
