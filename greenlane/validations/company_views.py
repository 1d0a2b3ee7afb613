"""Company pages: its validations, one validation (visit notices, document requests with upload, the
published report and an answer per required action), the report PDF and files."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, NotFound
from greenlane.core.web import attach_error, trade_only

from . import forms, report, services
from . import selectors as sel
from .choices import VISIBLE_REPORT
from .services._common import COMPANY_RESPONDERS
from .staff_views import file_response, pdf_response


@trade_only
def company_list(request, pk):
    access, rows = sel.company_validations(request.user, pk)
    return render(request, "validations/company_list.html", {"partner": access.partner, "rows": rows})


def _page(request, pk, validation_id, *, bound: dict | None = None):
    access, v = sel.validation_for_company(request.user, pk, validation_id)
    published = v.status in VISIBLE_REPORT
    can_respond = access.role in COMPANY_RESPONDERS and v.status == "published"
    answer_forms = {
        r.pk: forms.AnswerForm(prefix=f"req{r.pk}") for r in v.document_requests.all() if not r.answered_at
    }
    response_forms = {
        i.pk: forms.ResponseForm(prefix=f"item{i.pk}", initial={"response": i.response})
        for i in v.items.all()
        if can_respond and i.kind == "required_action" and not i.closed_at
    }
    for key, form in (bound or {}).items():
        (answer_forms if key[0] == "req" else response_forms)[key[1]] = form
    return render(
        request,
        "validations/company_detail.html",
        {
            "partner": access.partner,
            "v": v,
            "published": published,
            "data": report.report_data(v) if published else None,
            "answer_forms": answer_forms,
            "response_forms": response_forms,
        },
    )


@trade_only
def company_detail(request, pk, validation_id):
    return _page(request, pk, validation_id)


@trade_only
@require_POST
def answer(request, pk, validation_id, request_id):
    sel.validation_for_company(request.user, pk, validation_id)
    form = forms.AnswerForm(request.POST, request.FILES, prefix=f"req{request_id}")
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            services.document_request_answer(
                actor=request.user,
                validation_id=validation_id,
                request_id=request_id,
                answer=form.cleaned_data["answer"],
                filename=upload.name if upload else "",
                data=upload.read() if upload else None,
            )
        except NotFound:
            raise Http404() from None
        except DomainError as exc:
            attach_error(request, form, exc)
        else:
            messages.success(request, _("Answer sent to your specialist."))
            return redirect("validations:company_detail", pk, validation_id)
    return _page(request, pk, validation_id, bound={("req", int(request_id)): form})


@trade_only
@require_POST
def respond(request, pk, validation_id, item_id):
    sel.validation_for_company(request.user, pk, validation_id)
    form = forms.ResponseForm(request.POST, prefix=f"item{item_id}")
    if form.is_valid():
        try:
            services.item_respond(
                actor=request.user,
                validation_id=validation_id,
                item_id=item_id,
                response=form.cleaned_data["response"],
            )
        except NotFound:
            raise Http404() from None
        except DomainError as exc:
            attach_error(request, form, exc)
        else:
            messages.success(
                request, _("Your plan is sent; the specialist will review and close the action.")
            )
            return redirect("validations:company_detail", pk, validation_id)
    return _page(request, pk, validation_id, bound={("item", int(item_id)): form})


@trade_only
def company_pdf(request, pk, validation_id):
    _access, v = sel.validation_for_company(request.user, pk, validation_id)
    if v.status not in VISIBLE_REPORT:
        raise Http404()
    return pdf_response(report.report_pdf(report.report_data(v)), f"{v.reference}-report.pdf")


@trade_only
def company_attachment(request, pk, attachment_id):
    found = sel.attachment_for(request.user, attachment_id)
    if found.validation.partner_id != int(pk):
        raise Http404()
    return file_response(found)
