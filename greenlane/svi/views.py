"""SVI pages for a company: membership and consent, monitored partners, requests, bulk verification,
webhooks with their delivery log, certification notices; and the public notice check."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError
from greenlane.core.paging import clamp
from greenlane.core.web import attempt, querystring_without, trade_only

from . import bulk, forms, notices, permissions, selectors, services, webhooks
from . import selectors as pages
from .choices import WebhookEvent
from .models import SviParticipation


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ctx(request, pk, **extra) -> dict:
    partner = permissions.company_for(request.user, pk)
    participation = SviParticipation.objects.filter(partner=partner).first()
    active = bool(participation and participation.active)
    role = partner.memberships.filter(user=request.user).values_list("role", flat=True).first()
    return {
        "partner": partner,
        "participation": participation,
        "participating": active,
        "can_manage": role in permissions.MANAGERS,
        "refusal": permissions.refusal(partner, participating=active),
        **extra,
    }


@trade_only
def home(request, pk):
    ctx = _ctx(request, pk)
    p = ctx["participation"]
    initial = (
        {
            "share": p.share,
            "auto_accept": p.auto_accept,
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
            "contact_phone": p.contact_phone,
        }
        if p
        else {}
    )
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        action = services.svi_settings_update if ctx["participating"] else services.svi_join
        ok, _r = attempt(request, form, lambda: action(actor=request.user, partner_id=pk, **d))
        if ok:
            messages.success(
                request, _("Settings saved.") if ctx["participating"] else _("Your company joined the SVI.")
            )
            return redirect("svi:home", pk)
    ctx.update(form=form, leave_form=forms.LeaveForm(), counts=pages.counts(ctx["partner"]))
    return render(request, "svi/home.html", ctx)


@trade_only
@require_POST
def leave(request, pk):
    form = forms.LeaveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _r = attempt(
        request, None, lambda: services.svi_leave(actor=request.user, partner_id=pk, reason=reason)
    )
    if ok:
        messages.success(request, _("Your company left the SVI; all monitoring links ended."))
    return redirect("svi:home", pk)


@trade_only
def monitored(request, pk):
    ctx = _ctx(request, pk)
    limit, offset = clamp(_int(request.GET.get("limit")), _int(request.GET.get("offset")))
    search = forms.SearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"] and ctx["participating"]:
        found = selectors.search_participants(ctx["partner"], search.cleaned_data["q"])
    ctx.update(
        page=pages.monitored_page(ctx["partner"], limit=limit, offset=offset),
        search=search,
        found=found,
        id_form=forms.IdentifierRequestForm(),
        querystring_base=querystring_without(request, "offset"),
    )
    return render(request, "svi/monitored.html", ctx)


@trade_only
@require_POST
def request_new(request, pk):
    target = request.POST.get("target")
    if target:
        ok, link = attempt(
            request,
            None,
            lambda: services.link_request(
                actor=request.user, partner_id=pk, target_id=target, message=request.POST.get("message", "")
            ),
        )
        if ok:
            messages.success(request, _("Request sent to %(t)s.") % {"t": link.target.legal_name})
        return redirect("svi:requests", pk)
    form = forms.IdentifierRequestForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ok, link = attempt(
            request, form, lambda: services.link_request(actor=request.user, partner_id=pk, **d)
        )
        if ok:
            messages.success(request, _("Request sent to %(t)s.") % {"t": link.target.legal_name})
            return redirect("svi:requests", pk)
    ctx = _ctx(request, pk)
    ctx.update(
        page=pages.monitored_page(ctx["partner"], limit=25, offset=0),
        search=forms.SearchForm(),
        found=[],
        id_form=form,
        querystring_base="",
    )
    return render(request, "svi/monitored.html", ctx)


@trade_only
def requests_page(request, pk):
    ctx = _ctx(request, pk)
    ctx.update(
        incoming=list(selectors.incoming(ctx["partner"])[:200]),
        outgoing=list(selectors.outgoing(ctx["partner"])[:200]),
    )
    return render(request, "svi/requests.html", ctx)


_LINK_ACTIONS = {
    "accept": (services.link_accept, _("Request accepted.")),
    "decline": (
        services.link_decline,
        _("Request declined; the company cannot ask again until you unblock it."),
    ),
    "block": (services.link_block, _("Company blocked.")),
    "unblock": (services.link_unblock, _("Company unblocked; it may send a new request.")),
    "end": (services.link_end, _("Request withdrawn / monitoring stopped.")),
}


@trade_only
@require_POST
def link_action(request, pk, link_id, action):
    if action not in _LINK_ACTIONS:
        raise Http404()
    fn, done = _LINK_ACTIONS[action]
    kwargs = {"reason": request.POST.get("reason", "")} if action in ("decline", "block") else {}
    ok, _r = attempt(request, None, lambda: fn(actor=request.user, partner_id=pk, link_id=link_id, **kwargs))
    if ok:
        messages.success(request, done)
    return redirect("svi:requests", pk)


@trade_only
def verify(request, pk):
    ctx = _ctx(request, pk)
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def run():
            rows = bulk.parse_upload(upload.name, upload.read(bulk.MAX_UPLOAD_BYTES + 1))
            return bulk.verify(actor=request.user, partner_id=pk, rows=rows, source=upload.name)

        ok, result = attempt(request, form, run)
        if ok:
            return redirect("svi:verify_results", pk, result.pk)
    ctx.update(form=form, runs=pages.recent_runs(ctx["partner"]))
    return render(request, "svi/verify.html", ctx)


@trade_only
def verify_results(request, pk, run_id):
    ctx = _ctx(request, pk)
    run = pages.run_for(ctx["partner"], run_id)
    limit, offset = clamp(_int(request.GET.get("limit")), _int(request.GET.get("offset")), default=50)
    ctx.update(
        run=run,
        page=pages.results_page(run, limit=limit, offset=offset),
        querystring_base=querystring_without(request, "offset"),
    )
    return render(request, "svi/verify_results.html", ctx)


@trade_only
def verify_download(request, pk, run_id, fmt):
    ctx = _ctx(request, pk)
    run = pages.run_for(ctx["partner"], run_id)
    if fmt == "csv":
        response = HttpResponse(bulk.as_csv(run), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            bulk.as_xlsx(run),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404()
    response["Content-Disposition"] = f'attachment; filename="svi-verification-{run.pk}.{fmt}"'
    return response


@trade_only
def webhooks_page(request, pk):
    ctx = _ctx(request, pk)
    form = forms.WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, created = attempt(
            request,
            form,
            lambda: webhooks.webhook_create(
                actor=request.user, partner_id=pk, url=d["url"], events=d["events"]
            ),
        )
        if ok:
            form = forms.WebhookForm()
    ctx.update(
        form=form, created=created, hooks=pages.webhooks_of(ctx["partner"]), events=WebhookEvent.choices
    )
    return render(request, "svi/webhooks.html", ctx)


@trade_only
def webhook_detail(request, pk, hook_id):
    ctx = _ctx(request, pk)
    hook = webhooks.webhook_for(ctx["partner"], hook_id)
    limit, offset = clamp(_int(request.GET.get("limit")), _int(request.GET.get("offset")))
    ctx.update(
        hook=hook,
        page=pages.deliveries_page(hook, limit=limit, offset=offset),
        querystring_base=querystring_without(request, "offset"),
        rotated=None,
    )
    return render(request, "svi/webhook.html", ctx)


@trade_only
@require_POST
def webhook_rotate(request, pk, hook_id):
    ok, rotated = attempt(
        request, None, lambda: webhooks.webhook_rotate(actor=request.user, partner_id=pk, webhook_id=hook_id)
    )
    if not ok:
        return redirect("svi:webhook", pk, hook_id)
    ctx = _ctx(request, pk)
    ctx.update(
        hook=rotated.webhook, page=pages.deliveries_page(rotated.webhook, limit=25, offset=0), rotated=rotated
    )
    ctx["querystring_base"] = ""
    return render(request, "svi/webhook.html", ctx)


@trade_only
@require_POST
def webhook_delete(request, pk, hook_id):
    ok, _r = attempt(
        request, None, lambda: webhooks.webhook_delete(actor=request.user, partner_id=pk, webhook_id=hook_id)
    )
    if ok:
        messages.success(request, _("Webhook deleted."))
    return redirect("svi:webhooks", pk)


@trade_only
def notices_page(request, pk):
    ctx = _ctx(request, pk)
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, notice = attempt(
            request, form, lambda: notices.notice_send(actor=request.user, partner_id=pk, **d)
        )
        if ok:
            messages.success(request, _("Notice e-mailed to %(e)s.") % {"e": notice.recipient_email})
            return redirect("svi:notices", pk)
    limit, offset = clamp(_int(request.GET.get("limit")), _int(request.GET.get("offset")))
    ctx.update(
        form=form,
        page=pages.notices_page(ctx["partner"], limit=limit, offset=offset),
        querystring_base=querystring_without(request, "offset"),
    )
    return render(request, "svi/notices.html", ctx)


def verify_notice(request, token):
    """Public: anyone holding the link may check the notice. No login."""
    try:
        check = notices.notice_check(token)
    except DomainError:
        raise Http404() from None
    return render(request, "svi/verify_notice.html", {"check": check}, status=200 if check.genuine else 404)
