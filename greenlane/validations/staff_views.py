"""Staff pages: the validations queue, opening a validation, one validation with its tabs (sites and
visits, documents, findings, hours, items, report), the supervisor's review queue. Views are thin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenlane.accounts.models import FieldOffice
from greenlane.audit.models import AuditEvent
from greenlane.core.errors import DomainError, InvalidInput, NotFound
from greenlane.core.web import attach_error, querystring_without, staff_only
from greenlane.partners.models import Partner

from . import forms, report, services
from . import selectors as sel
from . import snapshot as snap
from .choices import WORKING, FindingResult, ValidationStatus
from .services._common import LEADS, SPECIALISTS, SUPERVISORS

V = ValidationStatus
TABS = [
    ("overview", gettext_lazy("Overview")),
    ("sites", gettext_lazy("Sites and visits")),
    ("documents", gettext_lazy("Documents")),
    ("findings", gettext_lazy("Findings")),
    ("hours", gettext_lazy("Hours")),
    ("items", gettext_lazy("Actions and practices")),
    ("report", gettext_lazy("Report")),
]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _run(request, form: Form | None, fn: Callable[[], Any]) -> bool:
    try:
        fn()
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        attach_error(request, form, exc)
        return False
    return True


def _back(validation_id, tab: str) -> str:
    return reverse("validations:detail", args=[validation_id]) + f"?tab={tab}"


def _leads() -> list:
    return list(
        get_user_model()
        .objects.filter(is_active=True, staff_role__in=LEADS)
        .select_related("field_office")
        .order_by("full_name", "email")
    )


@staff_only
def queue(request):
    offices = list(FieldOffice.objects.filter(is_active=True).order_by("name"))
    form = forms.QueueFilterForm(request.GET or None, offices=offices, specialists=_leads())
    cd = form.cleaned_data if form.is_valid() else {}
    page = sel.queue(
        request.user,
        status=cd.get("status") or "",
        specialist=cd.get("specialist"),
        field_office=cd.get("field_office"),
        partner=_int(request.GET.get("partner")),
        mine=bool(cd.get("mine")),
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "validations/staff_queue.html",
        {
            "form": form,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "can_create": request.user.staff_role in SPECIALISTS,
        },
    )


@staff_only
def review_queue(request):
    page = sel.review_queue(
        request.user, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    return render(
        request,
        "validations/review_queue.html",
        {
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "is_supervisor": request.user.staff_role in SUPERVISORS,
        },
    )


def _partner_from(value: str) -> int | None:
    value = (value or "").strip()
    if value.isdigit():
        return int(value)
    return Partner.objects.filter(reference=value.upper()).values_list("pk", flat=True).first()


@staff_only
def create(request):
    initial = {"specialist": request.user.pk if request.user.staff_role in LEADS else None}
    if request.GET.get("partner"):
        found = (
            Partner.objects.filter(pk=_int(request.GET.get("partner")))
            .values_list("reference", flat=True)
            .first()
        )
        initial["partner"] = found or ""
    form = forms.CreateForm(request.POST or None, initial=initial, specialists=_leads())
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        partner_id = _partner_from(cd["partner"])
        created: list = []
        if partner_id is None:
            form.add_error("partner", _("No partner has this reference or number."))
        elif _run(
            request,
            form,
            lambda: created.append(
                services.validation_create(
                    actor=request.user,
                    partner_id=partner_id,
                    kind=cd["kind"],
                    specialist_id=cd["specialist"],
                    planned_month=cd.get("planned_month"),
                    reason=cd.get("reason") or "",
                )
            ),
        ):
            messages.success(request, _("Validation opened. Choose the sites and schedule the visit."))
            return redirect("validations:detail", created[0].pk)
    return render(request, "validations/create.html", {"form": form})


def _detail(request, validation_id, *, tab: str = "overview", bound: dict[str, Form] | None = None):
    v = sel.validation_for_staff(request.user, validation_id)
    if tab not in dict(TABS):
        tab = "overview"
    user = request.user
    can_work = user.pk == v.specialist_id or user.staff_role in SUPERVISORS
    working = can_work and v.status in WORKING
    partner_sites = list(v.partner.sites.all())
    criteria = snap.criteria(v.snapshot)
    f: dict[str, Form] = {}
    if working:
        f["sites"] = forms.SitesForm(
            initial={"sites": [s.site_id for s in v.sites.all() if s.included]}, sites=partner_sites
        )
        f["visit"] = forms.VisitForm(sites=partner_sites)
        f["doc"] = forms.DocumentRequestForm()
        f["hours"] = forms.HoursForm()
        f["item"] = forms.ItemForm(codes=criteria)
        f["attach"] = forms.AttachForm()
    elif can_work and v.status not in (V.CLOSED, V.CANCELLED):
        f["hours"] = forms.HoursForm()
    if can_work and v.status in (V.IN_PROGRESS, V.RETURNED):
        f["submit"] = forms.SubmitForm(initial={"outcome": v.outcome or "meets", "summary": v.report_summary})
    open_review = next((r for r in v.reviews.all() if not r.decision), None)
    author = open_review is not None and user.pk in (open_review.submitted_by_id, v.specialist_id)
    if v.status == V.REPORT_REVIEW and user.staff_role in SUPERVISORS and not author:
        f["review"] = forms.ReviewForm()
    if can_work and v.status == V.PUBLISHED:
        f["close"] = forms.ReasonForm()
    if can_work and v.status in (V.PLANNED, V.SCHEDULED, V.IN_PROGRESS, V.RETURNED):
        f["cancel"] = forms.ReasonForm(prefix="cancel")
    f.update(bound or {})
    data = report.report_data(v) if tab in ("findings", "report", "overview") else None
    events = (
        list(
            AuditEvent.objects.filter(object_type="validations.validation", object_id=str(v.pk)).order_by(
                "-at", "-id"
            )[:50]
        )
        if tab == "overview"
        else []
    )
    return render(
        request,
        "validations/detail.html",
        {
            "v": v,
            "partner": v.partner,
            "tab": tab,
            "tabs": TABS,
            "forms": f,
            "can_work": can_work,
            "working": working,
            "data": data,
            "results": FindingResult.choices,
            "hours_total": sel.hours_total(v),
            "open_review": open_review,
            "author_is_me": author,
            "events": events,
            "problems": services.report_problems(v, v.outcome or "meets")
            if tab == "report" and working
            else [],
        },
    )


@staff_only
def detail(request, validation_id):
    return _detail(request, validation_id, tab=request.GET.get("tab", "overview"))


def _findings_rows(post) -> list[dict]:
    rows = []
    for key, value in post.items():
        if key.startswith("result_") and value:
            code = key[len("result_") :]
            rows.append({"code": code, "result": value, "note": post.get(f"note_{code}", "")})
    return rows


ACTIONS: dict[str, tuple[str, Any, Callable[..., Any], Any]] = {
    # name: (tab, form class or None, call(user, vid, cleaned, request), success message)
    "sites": (
        "sites",
        forms.SitesForm,
        lambda u, vid, cd, r: services.validation_sites_set(actor=u, validation_id=vid, site_ids=cd["sites"]),
        gettext_lazy("Sites saved."),
    ),
    "visit": (
        "sites",
        forms.VisitForm,
        lambda u, vid, cd, r: services.visit_schedule(
            actor=u,
            validation_id=vid,
            kind=cd["kind"],
            scheduled_for=cd["scheduled_for"],
            site_id=cd.get("site"),
            note=cd.get("note") or "",
        ),
        gettext_lazy("Visit scheduled; the company officers are told by e-mail."),
    ),
    "doc": (
        "documents",
        forms.DocumentRequestForm,
        lambda u, vid, cd, r: services.document_request_create(
            actor=u, validation_id=vid, text_=cd["text"], due_on=cd["due_on"]
        ),
        gettext_lazy("Document requested; the company officers are told by e-mail."),
    ),
    "hours": (
        "hours",
        forms.HoursForm,
        lambda u, vid, cd, r: services.hours_record(
            actor=u,
            validation_id=vid,
            activity=cd["activity"],
            hours=cd["hours"],
            on=cd["on"],
            note=cd.get("note") or "",
        ),
        gettext_lazy("Hours recorded."),
    ),
    "item": (
        "items",
        forms.ItemForm,
        lambda u, vid, cd, r: services.item_create(
            actor=u,
            validation_id=vid,
            kind=cd["kind"],
            text_=cd["text"],
            criterion_code=cd.get("criterion_code") or "",
        ),
        gettext_lazy("Item added."),
    ),
    "attach": (
        "findings",
        forms.AttachForm,
        lambda u, vid, cd, r: services.finding_attach(
            actor=u, validation_id=vid, code=cd["code"], filename=cd["file"].name, data=cd["file"].read()
        ),
        gettext_lazy("Evidence attached."),
    ),
    "submit": (
        "report",
        forms.SubmitForm,
        lambda u, vid, cd, r: services.report_submit(
            actor=u, validation_id=vid, outcome=cd["outcome"], summary=cd["summary"]
        ),
        gettext_lazy("Report sent to a supervisor for review."),
    ),
    "review": (
        "report",
        forms.ReviewForm,
        lambda u, vid, cd, r: services.report_review(
            actor=u, validation_id=vid, decision=cd["decision"], comment=cd.get("comment") or ""
        ),
        gettext_lazy("Review recorded."),
    ),
    "close": (
        "report",
        forms.ReasonForm,
        lambda u, vid, cd, r: services.validation_close(
            actor=u, validation_id=vid, reason=cd.get("reason") or ""
        ),
        gettext_lazy("Validation closed and its outcome applied."),
    ),
    "cancel": (
        "overview",
        None,
        lambda u, vid, cd, r: services.validation_cancel(
            actor=u, validation_id=vid, reason=r.POST.get("cancel-reason", "")
        ),
        gettext_lazy("Validation cancelled."),
    ),
}


@staff_only
@require_POST
def action(request, validation_id, name):
    if name not in ACTIONS:
        raise Http404()
    tab, form_class, call, done = ACTIONS[name]
    kwargs: dict[str, Any] = {}
    if name in ("sites", "visit"):
        v = sel.validation_for_staff(request.user, validation_id)
        kwargs["sites"] = list(v.partner.sites.all())
    if name == "item":
        kwargs["codes"] = snap.criteria(sel.validation_for_staff(request.user, validation_id).snapshot)
    form = form_class(request.POST, request.FILES, **kwargs) if form_class else None
    if form is None or form.is_valid():
        cd = form.cleaned_data if form is not None else {}
        if _run(request, form, lambda: call(request.user, validation_id, cd, request)):
            messages.success(request, str(done))
            return redirect(_back(validation_id, tab))
    if form is None:
        return redirect(_back(validation_id, tab))
    key = "close" if name == "close" else name
    return _detail(request, validation_id, tab=tab, bound={key: form})


@staff_only
@require_POST
def findings(request, validation_id):
    rows = _findings_rows(request.POST)
    try:
        if not rows:
            raise InvalidInput(_("Choose a result for at least one criterion."), field="findings")
        services.findings_record(actor=request.user, validation_id=validation_id, rows=rows)
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        for err in exc.errors or [{"message": exc.message}]:
            messages.error(request, err["message"])
        return _detail(request, validation_id, tab="findings")
    messages.success(request, _("%(n)d finding(s) saved.") % {"n": len(rows)})
    anchor = request.POST.get("category", "")
    return redirect(_back(validation_id, "findings") + (f"#cat-{anchor}" if anchor.isdigit() else ""))


ITEM_ACTIONS = {"verify", "unverify", "close", "delete"}


@staff_only
@require_POST
def item_action(request, validation_id, item_id, name):
    if name not in ITEM_ACTIONS:
        raise Http404()
    u = request.user

    def call() -> None:
        if name in ("verify", "unverify"):
            services.item_verify(
                actor=u, validation_id=validation_id, item_id=item_id, verified=name == "verify"
            )
        elif name == "close":
            services.item_close(
                actor=u, validation_id=validation_id, item_id=item_id, note=request.POST.get("note", "")
            )
        else:
            services.item_delete(actor=u, validation_id=validation_id, item_id=item_id)

    if _run(request, None, call):
        messages.success(request, _("Saved."))
    tab = "report" if name == "close" else "items"
    return redirect(_back(validation_id, tab))


@staff_only
@require_POST
def visit_done(request, validation_id, visit_id):
    if _run(
        request,
        None,
        lambda: services.visit_done(actor=request.user, validation_id=validation_id, visit_id=visit_id),
    ):
        messages.success(request, _("Visit recorded as done."))
    return redirect(_back(validation_id, "sites"))


def pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_only
def report_pdf(request, validation_id):
    v = sel.validation_for_staff(request.user, validation_id)
    return pdf_response(report.report_pdf(report.report_data(v)), f"{v.reference}-report.pdf")


def file_response(attachment) -> HttpResponse:
    with attachment.file.open("rb") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{attachment.original_name or attachment.storage_token}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_only
def attachment(request, attachment_id):
    return file_response(sel.attachment_for(request.user, attachment_id))
