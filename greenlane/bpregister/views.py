"""Business-partner register pages (the member's own people only) and the login-free questionnaire page."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from greenlane.core.errors import DomainError
from greenlane.core.web import attach_error, attempt, querystring_without, trade_only

from . import csv_import, forms, reasons, selectors, services
from .models import RegisterAudit


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _entry_input(data: dict) -> services.EntryInput:
    return services.EntryInput(**{k: data.get(k) or "" for k in services.ENTRY_FIELDS})


@trade_only
def entry_list(request, pk):
    access = selectors.register_access(request.user, pk)
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    criteria = selectors.EntryFilter(
        q=data.get("q", ""),
        partner_type=data.get("partner_type", ""),
        overdue=bool(data.get("overdue")),
        risk_level=data.get("risk", ""),
    )
    page = selectors.entries(
        request.user,
        pk,
        criteria,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "bpregister/list.html",
        {
            "partner": access.partner,
            "form": form,
            "page": page,
            "overdue": selectors.overdue(request.user, pk),
            "querystring_base": querystring_without(request, "offset"),
            "editable": True,
        },
    )


@trade_only
@require_http_methods(["GET", "POST"])
def entry_create(request, pk):
    access = selectors.register_access(request.user, pk)
    form = forms.EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, entry = attempt(
            request,
            form,
            lambda: services.entry_create(
                actor=request.user, partner_id=pk, data=_entry_input(form.cleaned_data)
            ),
        )
        if ok:
            messages.success(request, _("%(name)s added to your register.") % {"name": entry.name})
            return redirect("bpregister:detail", pk=pk, entry_id=entry.pk)
    return render(
        request,
        "bpregister/form.html",
        {"partner": access.partner, "form": form, "entry": None, "editable": True},
    )


@trade_only
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk, entry_id):
    access, entry = selectors.entry_for(request.user, pk, entry_id)
    initial = {k: getattr(entry, k) for k in services.ENTRY_FIELDS}
    form = forms.EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _e = attempt(
            request,
            form,
            lambda: services.entry_update(
                actor=request.user, partner_id=pk, entry_id=entry.pk, data=_entry_input(form.cleaned_data)
            ),
        )
        if ok:
            messages.success(request, _("Saved."))
            return redirect("bpregister:detail", pk=pk, entry_id=entry.pk)
    return render(
        request,
        "bpregister/form.html",
        {"partner": access.partner, "form": form, "entry": entry, "editable": True},
    )


@trade_only
@require_POST
def entry_delete(request, pk, entry_id):
    selectors.entry_for(request.user, pk, entry_id)
    form = forms.DeleteForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    ok, _r = attempt(
        request,
        None,
        lambda: services.entry_delete(actor=request.user, partner_id=pk, entry_id=entry_id, reason=reason),
    )
    if ok:
        messages.success(request, _("Removed from your register."))
        return redirect("bpregister:list", pk=pk)
    return redirect("bpregister:detail", pk=pk, entry_id=entry_id)


def _detail_context(request, pk, entry_id, **forms_):
    access, entry = selectors.entry_for(request.user, pk, entry_id)
    view = selectors.views_for(access.partner.pk, [entry])[0]
    return {
        "partner": access.partner,
        "entry": entry,
        "view": view,
        "reasons": [
            (r.points, reasons.describe({"code": r.code, "params": r.params})) for r in view.rating.reasons
        ],
        "audits": selectors.audits(entry),
        "reevaluations": selectors.reevaluations(entry),
        "questionnaires": selectors.questionnaires(entry),
        "now": timezone.now(),
        "today": timezone.localdate(),
        "audit_form": forms_.get("audit_form") or forms.AuditForm(initial={"date": timezone.localdate()}),
        "reevaluate_form": forms_.get("reevaluate_form") or forms.ReevaluateForm(),
        "questionnaire_form": forms_.get("questionnaire_form")
        or forms.QuestionnaireForm(initial={"email": entry.contact_email}),
        "delete_form": forms.DeleteForm(),
        "editable": True,
    }


@trade_only
def entry_detail(request, pk, entry_id):
    return render(request, "bpregister/detail.html", _detail_context(request, pk, entry_id))


@trade_only
@require_POST
def audit_add(request, pk, entry_id):
    selectors.entry_for(request.user, pk, entry_id)
    form = forms.AuditForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        ok, _a = attempt(
            request,
            form,
            lambda: services.audit_record(
                actor=request.user,
                partner_id=pk,
                entry_id=entry_id,
                date=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                file_name=upload.name if upload else "",
                file_data=upload.read() if upload else None,
            ),
        )
        if ok:
            messages.success(request, _("Audit recorded; the risk rating is updated."))
            return redirect("bpregister:detail", pk=pk, entry_id=entry_id)
    return render(request, "bpregister/detail.html", _detail_context(request, pk, entry_id, audit_form=form))


@trade_only
def audit_file(request, pk, entry_id, audit_id):
    _access, entry = selectors.entry_for(request.user, pk, entry_id)
    audit = RegisterAudit.objects.filter(entry=entry, pk=audit_id).exclude(file="").first()
    if audit is None:
        raise Http404()
    return FileResponse(audit.file.open("rb"), as_attachment=True, filename=audit.file_name or "audit")


@trade_only
@require_POST
def reevaluate(request, pk, entry_id):
    selectors.entry_for(request.user, pk, entry_id)
    form = forms.ReevaluateForm(request.POST)
    notes = form.cleaned_data.get("notes", "") if form.is_valid() else ""
    ok, r = attempt(
        request,
        None,
        lambda: services.entry_reevaluate(actor=request.user, partner_id=pk, entry_id=entry_id, notes=notes),
    )
    if ok:
        messages.success(
            request,
            _("Re-evaluation recorded (%(level)s risk). Next one due %(date)s.")
            % {"level": r.risk_level, "date": r.next_due.isoformat()},
        )
    return redirect("bpregister:detail", pk=pk, entry_id=entry_id)


@trade_only
@require_POST
def questionnaire_send(request, pk, entry_id):
    selectors.entry_for(request.user, pk, entry_id)
    form = forms.QuestionnaireForm(request.POST)
    if form.is_valid():
        ok, _q = attempt(
            request,
            form,
            lambda: services.questionnaire_send(
                actor=request.user, partner_id=pk, entry_id=entry_id, email=form.cleaned_data["email"]
            ),
        )
        if ok:
            messages.success(
                request,
                _("Questionnaire sent to %(email)s. The link works once, for %(days)s days.")
                % {"email": form.cleaned_data["email"], "days": services.QUESTIONNAIRE_DAYS},
            )
            return redirect("bpregister:detail", pk=pk, entry_id=entry_id)
    return render(
        request, "bpregister/detail.html", _detail_context(request, pk, entry_id, questionnaire_form=form)
    )


@trade_only
def questionnaire_detail(request, pk, entry_id, qid):
    access, entry = selectors.entry_for(request.user, pk, entry_id)
    questionnaire = entry.questionnaires.filter(pk=qid).first()
    if questionnaire is None:
        raise Http404()
    rows = [(q, questionnaire.answers.get(q["id"], {})) for q in questionnaire.questions]
    return render(
        request,
        "bpregister/questionnaire.html",
        {
            "partner": access.partner,
            "entry": entry,
            "questionnaire": questionnaire,
            "rows": rows,
            "state": questionnaire.state(timezone.now()),
            "editable": True,
        },
    )


@trade_only
@require_http_methods(["GET", "POST"])
def entry_import(request, pk):
    access = selectors.register_access(request.user, pk)
    form = forms.ImportForm()
    report = None
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = csv_import.entries_import(
                    actor=request.user, partner_id=pk, stream=upload.file, file_name=upload.name
                )
            except DomainError as exc:
                attach_error(request, form, exc)
            else:
                if report.created:
                    messages.success(
                        request, _("%(n)s business partners added.") % {"n": len(report.created)}
                    )
    return render(
        request,
        "bpregister/import.html",
        {"partner": access.partner, "form": form, "report": report, "editable": True},
    )


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """Login-free: the link in the e-mail. Used once; refused after expiry with a clear page (410)."""
    questionnaire = selectors.questionnaire_for_token(token)
    try:
        services.check_open(questionnaire)
    except services.QuestionnaireClosed as exc:
        return render(request, "bpregister/answer_closed.html", {"message": exc.message}, status=410)
    assert questionnaire is not None
    form = forms.AnswerForm(request.POST or None, questions=questionnaire.questions)
    if request.method == "POST" and form.is_valid():
        data = services.AnswerInput(
            respondent_name=form.cleaned_data["respondent_name"],
            answers={q["id"]: form.cleaned_data[f"a_{q['id']}"] for q in questionnaire.questions},
            comments={q["id"]: form.cleaned_data[f"c_{q['id']}"] for q in questionnaire.questions},
        )
        try:
            services.questionnaire_answer(token=token, data=data)
        except services.QuestionnaireClosed as exc:
            return render(request, "bpregister/answer_closed.html", {"message": exc.message}, status=410)
        except DomainError as exc:
            attach_error(request, form, exc)
        else:
            return render(
                request, "bpregister/answer_done.html", {"owner": questionnaire.entry.owner.legal_name}
            )
    return render(
        request,
        "bpregister/answer.html",
        {"form": form, "questionnaire": questionnaire, "owner": questionnaire.entry.owner.legal_name},
    )
