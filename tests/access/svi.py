"""Access rows for the SVI: a company's membership, links, verification, webhooks and notices (pages and API),
and the public notice check. Own company: M (certified, an SVI participant with links, a webhook, a run, a notice)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access_matrix import TRADE_PAGE, TRADE_POST, api, page

P = "/companies/{pid}/svi/"
Q = "?partner={pid}"
COMPANY = "trade=200 staff=404 anon=401"
MANAGE = "trade=403 managers=200 staff=404 anon=401"
FORM_MANAGE = "trade=200 managers=302 staff=404 anon=302"


def _company(ctx, partner, n: int) -> dict:
    from conftest import make_user
    from greenlane.svi import bulk, notices, services, webhooks
    from greenlane.svi.tests.support import certified, ior_of, join

    owner = ctx.officer if partner == ctx.own["M"] else ctx.foreign_officer
    join(owner, partner, share="status_tier")
    others = []
    for i in range(4):
        user = make_user(f"svi-matrix-{n}-{i}@example.com")
        company = certified(user, name=f"SVI Matrix {n}-{i}")
        join(user, company)
        others.append((user, company))
    (u1, c1), (u2, c2), (_u3, c3), (_u4, c4) = others
    pending = services.link_request(actor=u1, partner_id=c1.pk, target_id=partner.pk)
    declined = services.link_request(actor=u2, partner_id=c2.pk, target_id=partner.pk)
    services.link_decline(actor=owner, partner_id=partner.pk, link_id=declined.pk)
    outgoing = services.link_request(actor=owner, partner_id=partner.pk, target_id=c3.pk)
    hook = webhooks.webhook_create(actor=owner, partner_id=partner.pk, url="https://93.184.216.34/hook")
    run = bulk.verify(actor=owner, partner_id=partner.pk, rows=[bulk.RowIn(1, "ior", ior_of(c4))])
    notice = notices.notice_send(
        actor=owner,
        partner_id=partner.pk,
        recipient_company="Far Supplier",
        recipient_email="far@example.com",
    )
    return {
        "svi_link": pending.pk,
        "svi_blocked": declined.pk,
        "svi_out": outgoing.pk,
        "svi_target": c4.pk,
        "svi_ior": ior_of(c4),
        "svi_hook": hook.webhook.pk,
        "svi_run": run.pk,
        "svi_token": notice.token,
    }


def build(ctx):
    own = _company(ctx, ctx.own["M"], 1)
    foreign = _company(ctx, ctx.foreign["M"], 2)
    foreign["svi_token"] = own["svi_token"]  # the public check belongs to no tenant
    return own, foreign


def _upload(world, values) -> dict:
    return {"file": SimpleUploadedFile("ids.csv", b"type,value\nior,12-3456789AB\n", content_type="text/csv")}


SETTINGS = {
    "share": "status_tier",
    "auto_accept": "on",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
}

ROWS = [
    page("GET", P, TRADE_PAGE, target="M"),
    page("POST", P, FORM_MANAGE, target="M", body=SETTINGS),
    page("POST", P + "leave/", TRADE_POST, target="M", body={"reason": ""}),
    page("GET", P + "monitored/", TRADE_PAGE, target="M"),
    page("GET", P + "requests/", TRADE_PAGE, target="M"),
    page("POST", P + "requests/new/", TRADE_POST, target="M", body=lambda w, v: {"target": v["svi_target"]}),
    page("POST", P + "requests/{svi_link}/accept/", TRADE_POST, target="M"),
    page("GET", P + "verify/", TRADE_PAGE, target="M"),
    page("POST", P + "verify/", TRADE_POST, target="M", multipart=True, body=_upload),
    page("GET", P + "verify/{svi_run}/", TRADE_PAGE, target="M"),
    page("GET", P + "verify/{svi_run}/download.csv", TRADE_PAGE, target="M"),
    page("GET", P + "webhooks/", TRADE_PAGE, target="M"),
    page(
        "POST",
        P + "webhooks/",
        "trade=200 managers=200 staff=404 anon=302",
        target="M",
        body={"url": "https://93.184.216.35/other", "events": ["partner.status_changed"]},
    ),
    page("GET", P + "webhooks/{svi_hook}/", TRADE_PAGE, target="M"),
    page("POST", P + "webhooks/{svi_hook}/rotate/", "trade=302 managers=200 staff=404 anon=302", target="M"),
    page("POST", P + "webhooks/{svi_hook}/delete/", TRADE_POST, target="M"),
    page("GET", P + "notices/", TRADE_PAGE, target="M"),
    page(
        "POST",
        P + "notices/",
        FORM_MANAGE,
        target="M",
        body={"recipient_company": "Matrix Supplier", "recipient_email": "m@example.com"},
    ),
    page("GET", "/verify/{svi_token}/", "*=200", scoped=False),
    api("GET", "/svi/settings" + Q, COMPANY, target="M"),
    api("POST", "/svi/join" + Q, "trade=403 managers=409 staff=404 anon=401", target="M", body={}),
    api("PUT", "/svi/settings" + Q, MANAGE, target="M", body={"share": "status_tier", "auto_accept": True}),
    api("POST", "/svi/leave" + Q, MANAGE, target="M", body={}),
    api("GET", "/svi/monitored" + Q, COMPANY, target="M"),
    api("GET", "/svi/participants" + Q + "&q=SVI+Matrix", COMPANY, target="M"),
    api("GET", "/svi/requests" + Q, COMPANY, target="M"),
    api(
        "POST",
        "/svi/requests" + Q,
        "trade=403 managers=201 staff=404 anon=401",
        target="M",
        body=lambda w, v: {"target_id": v["svi_target"]},
    ),
    api("POST", "/svi/requests/{svi_link}/accept" + Q, MANAGE, target="M"),
    api("POST", "/svi/requests/{svi_link}/decline" + Q, MANAGE, target="M", body={}),
    api("POST", "/svi/requests/{svi_link}/block" + Q, MANAGE, target="M", body={}),
    api("POST", "/svi/requests/{svi_blocked}/unblock" + Q, MANAGE, target="M"),
    api("POST", "/svi/requests/{svi_out}/end" + Q, MANAGE, target="M"),
    api(
        "POST",
        "/svi/verify" + Q,
        COMPANY,
        target="M",
        body=lambda w, v: [{"type": "ior", "value": v["svi_ior"]}, {"type": "x", "value": "1"}],
    ),
    api("GET", "/svi/status" + Q + "&type=ior&value={svi_ior}", COMPANY, target="M"),
    api("GET", "/svi/webhooks" + Q, COMPANY, target="M"),
    api(
        "POST",
        "/svi/webhooks" + Q,
        "trade=403 managers=201 staff=404 anon=401",
        target="M",
        body={"url": "https://93.184.216.36/x"},
    ),
    api("POST", "/svi/webhooks/{svi_hook}/rotate" + Q, MANAGE, target="M"),
    api("DELETE", "/svi/webhooks/{svi_hook}" + Q, "trade=403 managers=204 staff=404 anon=401", target="M"),
    api("GET", "/svi/webhooks/{svi_hook}/deliveries" + Q, COMPANY, target="M"),
    api("GET", "/svi/notices" + Q, COMPANY, target="M"),
    api(
        "POST",
        "/svi/notices" + Q,
        "trade=403 managers=201 staff=404 anon=401",
        target="M",
        body={"recipient_company": "Matrix Supplier", "recipient_email": "m@example.com"},
    ),
]
