"""Annual review pages: the company's review (/companies/<id>/review/) and the staff queue and decision
(/staff/reviews/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.accounts.models import FieldOffice, User
from greenlane.core.errors import DomainError, NotFound
from greenlane.core.web import querystring_without, staff_only, trade_only
from greenlane.partners import permissions
from greenlane.partners.services import COMPANY_EDITABLE

from . import review_selectors as rs
from . import review_services
from .choices import ReviewStatus


def anchor(code: str) -> str:
    """The profile page's anchor for a criterion: 6.2 -> c-6-2."""
    return "c-" + code.replace(".", "-")


def _run(request, fn) -> tuple[bool, object]:
    """Call a service; a business error becomes one message (its summary, not one line per criterion)."""
    try:
        return True, fn()
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return False, None


# --- company ---------------------------------------------------------------------------------------------


@trade_only
def review(request, pk):
    access, current = review_services.review_ensure_open(actor=request.user, partner_id=pk)
    partner = access.partner
    on = rs.today()
    ctx = {
        "partner": partner,
        "role": access.role,
        "role_label": TradeRole(access.role).label if access.role in TradeRole.values else "",
        "editable": partner.status in COMPANY_EDITABLE,
        "can_submit": permissions.can_sign_and_submit(access.role),
        "can_prepare": permissions.can_prepare(access.role),
        "review": current,
        "history": [r for r in rs.reviews(access) if current is None or r.pk != current.pk],
        "today": on,
    }
    for r in ctx["history"]:
        r.late = rs.is_late(r)
    if current is None:
        ctx["window"] = rs.next_window(partner)
    else:
        rows = rs.items(current)
        for row in rows:
            row.anchor = anchor(row.answer.criterion.code)
        ctx.update(
            groups=rs.by_category(rows),
            progress=rs.progress_of(rows),
            commented=sum(1 for r in rows if r.staff_comment),
            can_act=current.status in rs.PENDING_COMPANY,
            overdue=rs.is_overdue(current, on),
            days_left=(current.due_on - on).days,
            days_overdue=(on - current.due_on).days,
        )
    return render(request, "profiles/review/company.html", ctx)


@trade_only
@require_POST
def review_confirm(request, pk, code):
    ok, _item = _run(
        request,
        lambda: review_services.review_item_confirm(actor=request.user, partner_id=pk, criterion_code=code),
    )
    if ok:
        messages.success(request, _("%(code)s re-confirmed unchanged.") % {"code": code})
    return redirect(reverse("profiles:review", args=[pk]) + "#r-" + anchor(code))


@trade_only
@require_POST
def review_submit(request, pk):
    ok, _submitted = _run(request, lambda: review_services.review_submit(actor=request.user, partner_id=pk))
    if ok:
        messages.success(
            request,
            _("Annual review submitted. Your specialist will approve it or return it with comments."),
        )
    return redirect("profiles:review", pk)


# --- staff -----------------------------------------------------------------------------------------------

TAB_LABELS = {
    "awaiting": gettext_lazy("Awaiting decision"),
    "overdue": gettext_lazy("Overdue"),
    "due_soon": gettext_lazy("Due soon"),
}


def _specialists():
    return list(
        User.objects.filter(is_active=True, staff_role__in=[StaffRole.SCS, StaffRole.SUPERVISORY_SCS])
        .select_related("field_office")
        .order_by("full_name", "email")
    )


class QueueForm(forms.Form):
    tab = forms.CharField(widget=forms.HiddenInput, required=False)
    field_office = forms.ChoiceField(label=gettext_lazy("Field office"), required=False)
    scs = forms.ChoiceField(label=gettext_lazy("Assigned specialist"), required=False)

    def __init__(self, *args, offices=(), specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_office"].choices = [("", _("Any"))] + [(str(o.pk), o.name) for o in offices]
        self.fields["scs"].choices = [("any", _("Anyone")), ("none", _("Unassigned"))] + [
            (str(u.pk), u.display_name) for u in specialists
        ]
        self.fields["field_office"].widget.attrs["class"] = "usa-select"
        self.fields["scs"].widget.attrs["class"] = "usa-select"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_only
def staff_queue(request):
    data = request.GET.copy()
    tab = data.get("tab") if data.get("tab") in rs.TABS else "awaiting"
    data["tab"] = tab
    if "scs" not in data:
        # Specialists see their own partners first; everyone else sees every partner.
        data["scs"] = str(request.user.pk) if request.user.staff_role == StaffRole.SCS else "any"
    form = QueueForm(data, offices=FieldOffice.objects.order_by("name"), specialists=_specialists())
    cleaned = form.cleaned_data if form.is_valid() else {"scs": "any", "field_office": ""}
    scs = cleaned.get("scs") or "any"
    flt = rs.QueueFilter(
        tab=tab,
        field_office=_int(cleaned.get("field_office")),
        assigned_scs=_int(scs),
        unassigned=scs == "none",
    )
    page = rs.staff_queue(
        request.user, flt, limit=_int(request.GET.get("limit")), offset=_int(request.GET.get("offset"))
    )
    counts = rs.queue_counts(request.user, flt)
    filters = querystring_without(request, "tab", "offset")
    if "scs" not in request.GET:
        filters += f"scs={data['scs']}&"
    return render(
        request,
        "profiles/review/staff_queue.html",
        {
            "form": form,
            "page": page,
            "tab": tab,
            "tabs": [(t, TAB_LABELS[t], counts[t]) for t in rs.TABS],
            "filters": filters,
            "querystring_base": querystring_without(request, "offset"),
        },
    )


def _detail_ctx(request, found, *, posted=None, error=None):
    rows = rs.items(found)
    posted = posted or {}
    for row in rows:
        code = row.answer.criterion.code
        row.anchor = anchor(code)
        row.posted_comment = posted.get(code, "")
    return {
        "review": found,
        "partner": found.partner,
        "groups": rs.by_category(rows),
        "progress": rs.progress_of(rows),
        "can_decide": rs.can_decide(request.user, found.partner),
        "decidable": found.status == ReviewStatus.SUBMITTED,
        "overdue": rs.is_overdue(found),
        "late": rs.is_late(found),
        "days_overdue": (rs.today() - found.due_on).days,
        "comment": posted.get("__all__", ""),
        "error": error,
    }


@staff_only
def staff_detail(request, review_id):
    found = rs.review_for_staff(request.user, review_id)
    return render(request, "profiles/review/staff_detail.html", _detail_ctx(request, found))


@staff_only
@require_POST
def staff_decide(request, review_id):
    found = rs.review_for_staff(request.user, review_id)
    items = {
        key.removeprefix("item-"): value for key, value in request.POST.items() if key.startswith("item-")
    }
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    try:
        decided = review_services.review_decide(
            actor=request.user, review_id=found.pk, decision=decision, comment=comment, item_comments=items
        )
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        found = rs.review_for_staff(request.user, review_id)
        ctx = _detail_ctx(request, found, posted={**items, "__all__": comment}, error=exc)
        return render(request, "profiles/review/staff_detail.html", ctx, status=exc.status)
    if decided.status == ReviewStatus.APPROVED:
        messages.success(request, _("Annual review approved."))
    else:
        messages.success(request, _("Annual review returned to the company with your comments."))
    return redirect("reviews:detail", decided.pk)
