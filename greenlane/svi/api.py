"""/api/v1/svi: status verification for a company. Every operation acts for one company: `?partner=<id>`,
or the caller's only company when it belongs to one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from greenlane.core.errors import InvalidInput, NotFound
from greenlane.core.paging import clamp
from greenlane.partners.models import Membership

from . import bulk, lookup, notices, permissions, schemas, selectors, services, webhooks
from .models import SviParticipation

router = Router(tags=["Status verification"])


class CompanyQuery(Schema):
    partner: int | None = None


class PagedQuery(CompanyQuery):
    limit: int | None = None
    offset: int | None = None


class LookupQuery(CompanyQuery):
    type: str
    value: str


class SearchQuery(CompanyQuery):
    q: str = ""


def _pid(request, partner: int | None) -> int:
    user = request.auth
    if getattr(user, "staff_role", ""):
        raise NotFound()
    if partner is not None:
        return partner
    ids = list(Membership.objects.filter(user=user).values_list("partner_id", flat=True)[:2])
    if not ids:
        raise NotFound()
    if len(ids) > 1:
        raise InvalidInput(
            _("You belong to several companies: say which one with ?partner=<id>."), field="partner"
        )
    return ids[0]


def _settings_out(request, pid: int) -> dict:
    partner = permissions.company_for(request.auth, pid)
    p = SviParticipation.objects.filter(partner=partner).first()
    active = bool(p and p.active)
    refusal = permissions.refusal(partner, participating=active)
    out = {"partner_id": partner.pk, "participating": active, "may_query": not refusal, "refusal": refusal}
    if p is not None:
        out.update(
            share=p.share,
            auto_accept=p.auto_accept,
            contact_name=p.contact_name,
            contact_email=p.contact_email,
            contact_phone=p.contact_phone,
            joined_at=p.joined_at,
            left_at=p.left_at,
        )
    return out


def _view_out(view: selectors.StatusView) -> dict:
    return {
        "partner_id": view.partner_id,
        "name": view.name,
        "status": view.status,
        "tier": view.tier,
        "since": view.since,
        "contact": None if view.contact is None else vars(view.contact),
        "svi_member": view.svi_member,
    }


@router.get("/settings", response=schemas.SettingsOut, summary="The company's SVI membership and consent")
def get_settings(request, query: Query[CompanyQuery]):
    return _settings_out(request, _pid(request, query.partner))


@router.post("/join", response={201: schemas.SettingsOut}, summary="Join the SVI (certified members)")
def join(request, payload: schemas.SettingsIn, query: Query[CompanyQuery]):
    pid = _pid(request, query.partner)
    services.svi_join(actor=request.auth, partner_id=pid, **payload.dict())
    return 201, _settings_out(request, pid)


@router.put("/settings", response=schemas.SettingsOut, summary="Change what the company shares, auto-accept")
def put_settings(request, payload: schemas.SettingsIn, query: Query[CompanyQuery]):
    pid = _pid(request, query.partner)
    services.svi_settings_update(actor=request.auth, partner_id=pid, **payload.dict())
    return _settings_out(request, pid)


@router.post("/leave", response=schemas.SettingsOut, summary="Leave the SVI (ends every link)")
def leave(request, payload: schemas.LeaveIn, query: Query[CompanyQuery]):
    pid = _pid(request, query.partner)
    services.svi_leave(actor=request.auth, partner_id=pid, reason=payload.reason)
    return _settings_out(request, pid)


@router.get(
    "/monitored", response=schemas.MonitoredListOut, summary="Partners the company monitors, with status"
)
def monitored(request, query: Query[PagedQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    limit, offset = clamp(query.limit, query.offset)
    page = selectors.monitored_page(partner, limit=limit, offset=offset)
    items = [
        {"link_id": row.link.pk, "monitored_since": row.link.decided_at, "partner": _view_out(row.view)}
        for row in page.items
    ]
    return {"items": items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get("/participants", response=list[schemas.CompanyBrief], summary="Find SVI participants to monitor")
def participants(request, query: Query[SearchQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    permissions.require_svi_user(partner, _("search participants"))
    return selectors.search_participants(partner, query.q)


def _link_out(link, partner_id: int) -> dict:
    incoming = link.target_id == partner_id
    other = link.requester if incoming else link.target
    return {
        "id": link.pk,
        "direction": "incoming" if incoming else "outgoing",
        "status": link.status,
        "company": other,
        "message": link.message,
        "requested_at": link.requested_at,
        "decided_at": link.decided_at,
        "ended_at": link.ended_at,
    }


@router.get("/requests", response=list[schemas.LinkOut], summary="Requests received and sent (not ended)")
def list_requests(request, query: Query[CompanyQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    links = [*selectors.incoming(partner)[:500], *selectors.outgoing(partner)[:500]]
    return [_link_out(link, partner.pk) for link in links]


@router.post("/requests", response={201: schemas.LinkOut}, summary="Ask to monitor a participant")
def create_request(request, payload: schemas.RequestIn, query: Query[CompanyQuery]):
    pid = _pid(request, query.partner)
    link = services.link_request(actor=request.auth, partner_id=pid, **payload.dict())
    return 201, _link_out(link, pid)


def _move(request, fn, partner: int | None, link_id: int, **kwargs) -> dict:
    pid = _pid(request, partner)
    link = fn(actor=request.auth, partner_id=pid, link_id=link_id, **kwargs)
    link = selectors.link_for(permissions.company_for(request.auth, pid), link.pk)
    return _link_out(link, pid)


@router.post("/requests/{link_id}/accept", response=schemas.LinkOut)
def accept(request, link_id: int, query: Query[CompanyQuery]):
    return _move(request, services.link_accept, query.partner, link_id)


@router.post(
    "/requests/{link_id}/decline", response=schemas.LinkOut, summary="Decline (blocks the requester)"
)
def decline(request, link_id: int, payload: schemas.ReasonIn, query: Query[CompanyQuery]):
    return _move(request, services.link_decline, query.partner, link_id, reason=payload.reason)


@router.post("/requests/{link_id}/block", response=schemas.LinkOut)
def block(request, link_id: int, payload: schemas.ReasonIn, query: Query[CompanyQuery]):
    return _move(request, services.link_block, query.partner, link_id, reason=payload.reason)


@router.post("/requests/{link_id}/unblock", response=schemas.LinkOut)
def unblock(request, link_id: int, query: Query[CompanyQuery]):
    return _move(request, services.link_unblock, query.partner, link_id)


@router.post(
    "/requests/{link_id}/end", response=schemas.LinkOut, summary="Withdraw a request / stop monitoring"
)
def end(request, link_id: int, query: Query[CompanyQuery]):
    return _move(request, services.link_end, query.partner, link_id)


@router.post(
    "/verify",
    response=schemas.VerifyOut,
    summary="Bulk verification: a JSON list of {type, value}; one result per item, bad items answered with errors",
)
def verify(request, payload: list[schemas.VerifyItemIn], query: Query[CompanyQuery]):
    rows = bulk.rows_from_json([item.dict() for item in payload])
    run = bulk.verify(actor=request.auth, partner_id=_pid(request, query.partner), rows=rows, source="api")
    return run


@router.get("/status", response=schemas.LookupOut, summary="One company's status by identifier (audited)")
def status(request, query: Query[LookupQuery]):
    found = lookup.status_lookup(
        actor=request.auth, partner_id=query.partner, identifier_type=query.type, value=query.value
    )
    return {
        "type": found.type,
        "value": found.value,
        "result": found.result,
        "partner": None if found.view is None else _view_out(found.view),
        "program": found.program,
        "foreign_status": found.foreign_status,
        "validation_date": found.validation_date,
    }


@router.get("/webhooks", response=list[schemas.WebhookOut])
def list_webhooks(request, query: Query[CompanyQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    return selectors.webhooks_of(partner)


def _secret_out(created: webhooks.CreatedWebhook) -> dict:
    h = created.webhook
    return {
        "id": h.pk,
        "url": h.url,
        "events": h.events,
        "secret_prefix": h.secret_prefix,
        "created_at": h.created_at,
        "rotated_at": h.rotated_at,
        "secret": created.secret,
    }


@router.post(
    "/webhooks", response={201: schemas.WebhookSecretOut}, summary="Register a webhook (HTTPS, public)"
)
def create_webhook(request, payload: schemas.WebhookIn, query: Query[CompanyQuery]):
    created = webhooks.webhook_create(
        actor=request.auth, partner_id=_pid(request, query.partner), url=payload.url, events=payload.events
    )
    return 201, _secret_out(created)


@router.post(
    "/webhooks/{webhook_id}/rotate", response=schemas.WebhookSecretOut, summary="New secret (shown once)"
)
def rotate_webhook(request, webhook_id: int, query: Query[CompanyQuery]):
    created = webhooks.webhook_rotate(
        actor=request.auth, partner_id=_pid(request, query.partner), webhook_id=webhook_id
    )
    return _secret_out(created)


@router.delete("/webhooks/{webhook_id}", response={204: None})
def delete_webhook(request, webhook_id: int, query: Query[CompanyQuery]):
    webhooks.webhook_delete(
        actor=request.auth, partner_id=_pid(request, query.partner), webhook_id=webhook_id
    )
    return 204, None


@router.get("/webhooks/{webhook_id}/deliveries", response=schemas.DeliveryListOut, summary="Delivery log")
def deliveries(request, webhook_id: int, query: Query[PagedQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    hook = webhooks.webhook_for(partner, webhook_id)
    page = selectors.deliveries_page(hook, limit=query.limit, offset=query.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.get("/notices", response=schemas.NoticeListOut)
def list_notices(request, query: Query[PagedQuery]):
    partner = permissions.company_for(request.auth, _pid(request, query.partner))
    page = selectors.notices_page(partner, limit=query.limit, offset=query.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.post("/notices", response={201: schemas.NoticeOut}, summary="E-mail a signed certification notice")
def send_notice(request, payload: schemas.NoticeIn, query: Query[CompanyQuery]):
    notice = notices.notice_send(
        actor=request.auth, partner_id=_pid(request, query.partner), **payload.dict()
    )
    return 201, notice
