"""Seminar pages for members and staff, the certificate and its public check; staff training pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.web import attempt, querystring_without, staff_only, trade_only

from . import exports, forms, permissions, records, selectors, services
from .choices import ACTIVE, TRANSITIONS, R, S, SeminarStatus
from .rules import load_catalog


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- members --------------------------------------------------------------------------------------------


@trade_only
def company_seminars(request, pid):
    data = selectors.company_seminars(request.user, pid)
    taken = {r.seminar_id: r for r in data.mine if r.status in ACTIVE and r.user_id == request.user.pk}
    for seminar in data.upcoming:
        seminar.my_registration = taken.get(seminar.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "training/company_list.html",
        {"data": data, "partner": data.access.partner, "R": R},
    )


@trade_only
def company_seminar(request, pid, sid):
    access, seminar, mine = selectors.company_seminar(request.user, pid, sid)
    return render(
        request,
        "training/company_detail.html",
        {
            "partner": access.partner,
            "seminar": seminar,
            "mine": mine,
            "show_link": mine is not None and mine.status == R.REGISTERED,
            "R": R,
            "S": S,
            "active": ACTIVE,
        },
    )


@trade_only
@require_POST
def register(request, pid, sid):
    ok, reg = attempt(
        request,
        None,
        lambda: services.registration_create(actor=request.user, partner_id=pid, seminar_id=sid),
    )
    if ok:
        if reg.status == R.REGISTERED:
            messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
        else:
            messages.warning(
                request,
                _("The seminar is full: you are on the waiting list. We e-mail you if a seat frees up."),
            )
    return redirect("training:company_seminar", pid=pid, sid=sid)


@trade_only
@require_POST
def cancel(request, pid, rid):
    _access, reg = selectors.company_registration(request.user, pid, rid)
    ok, _done = attempt(
        request,
        None,
        lambda: services.registration_cancel(actor=request.user, partner_id=pid, registration_id=rid),
    )
    if ok:
        messages.success(request, _("Registration cancelled."))
    return redirect("training:company_seminar", pid=pid, sid=reg.seminar_id)


@trade_only
def certificate(request, pid, rid):
    _access, reg = selectors.company_registration(request.user, pid, rid)
    if reg.status != R.ATTENDED:
        raise Http404()
    pdf = exports.certificate_pdf(reg, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{reg.certificate_code}.pdf"'
    return response


def verify(request):
    code = request.GET.get("code", "")
    found = selectors.certificate_by_code(code) if code else None
    return render(request, "training/verify.html", {"code": code, "found": found, "checked": bool(code)})


# --- staff: seminars ------------------------------------------------------------------------------------


@staff_only
def staff_seminars(request):
    form = forms.StatusFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = selectors.staff_seminars(
        request.user,
        status=status,
        limit=_int(request.GET.get("limit")),
        offset=_int(request.GET.get("offset")),
    )
    return render(
        request,
        "training/staff_list.html",
        {
            "form": form,
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "can_manage": permissions.can_manage_seminars(request.user),
        },
    )


def _input(form) -> services.SeminarInput:
    d = form.cleaned_data
    return services.SeminarInput(
        title=d["title"],
        description=d["description"],
        format=d["format"],
        place=d["place"],
        link=d["link"],
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        capacity=d["capacity"],
        registration_deadline=d["registration_deadline"],
        waitlist_enabled=d["waitlist_enabled"],
        audience_entity_types=list(d["audience_entity_types"]),
        field_office_id=d["field_office"].pk if d["field_office"] else None,
    )


@staff_only
def seminar_new(request):
    if not permissions.can_manage_seminars(request.user):
        return render(request, "training/forbidden.html", status=403)
    form = forms.SeminarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, seminar = attempt(
            request, form, lambda: services.seminar_create(actor=request.user, data=_input(form))
        )
        if ok:
            messages.success(request, _("Seminar drafted. Open registration when it is ready."))
            return redirect("training:staff_seminar", sid=seminar.pk)
    return render(request, "training/seminar_form.html", {"form": form, "seminar": None})


@staff_only
def seminar_edit(request, sid):
    seminar = selectors.seminar_for_staff(request.user, sid)
    if not permissions.can_manage_seminars(request.user):
        return render(request, "training/forbidden.html", status=403)
    initial = {
        "title": seminar.title,
        "description": seminar.description,
        "format": seminar.format,
        "place": seminar.place,
        "link": seminar.link,
        "starts_at": seminar.starts_at,
        "ends_at": seminar.ends_at,
        "capacity": seminar.capacity,
        "registration_deadline": seminar.registration_deadline,
        "waitlist_enabled": seminar.waitlist_enabled,
        "audience_entity_types": seminar.audience_entity_types,
        "field_office": seminar.field_office_id,
    }
    form = forms.SeminarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _s = attempt(
            request,
            form,
            lambda: services.seminar_update(actor=request.user, seminar_id=sid, data=_input(form)),
        )
        if ok:
            messages.success(request, _("Seminar saved."))
            return redirect("training:staff_seminar", sid=sid)
    return render(request, "training/seminar_form.html", {"form": form, "seminar": seminar})


@staff_only
def staff_seminar(request, sid):
    seminar = selectors.seminar_for_staff(request.user, sid)
    regs = selectors.seminar_registrations(request.user, sid)
    return render(
        request,
        "training/staff_detail.html",
        {
            "seminar": seminar,
            "seated": [r for r in regs if r.status in (R.REGISTERED, R.ATTENDED, R.ABSENT)],
            "waiting": sorted(
                (r for r in regs if r.status == R.WAITLISTED), key=lambda r: (r.queued_at, r.pk)
            ),
            "cancelled": [r for r in regs if r.status == R.CANCELLED],
            "targets": [SeminarStatus(t) for t in sorted(TRANSITIONS[S(seminar.status)])],
            "can_manage": permissions.can_manage_seminars(request.user),
            "R": R,
            "S": S,
        },
    )


@staff_only
@require_POST
def seminar_status(request, sid):
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("training:staff_seminar", sid=sid)
    ok, seminar = attempt(
        request,
        None,
        lambda: services.seminar_set_status(
            actor=request.user,
            seminar_id=sid,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
    )
    if ok:
        messages.success(request, _("Seminar is now: %(s)s.") % {"s": seminar.get_status_display()})
    return redirect("training:staff_seminar", sid=sid)


@staff_only
@require_POST
def attendance(request, sid):
    present = {v for v in (_int(x) for x in request.POST.getlist("present")) if v is not None}
    ok, changed = attempt(
        request, None, lambda: services.attendance_record(actor=request.user, seminar_id=sid, present=present)
    )
    if ok:
        messages.success(
            request,
            _("Attendance saved (%(n)s changed). Attendees can download their certificate.")
            % {"n": len(changed)},
        )
    return redirect("training:staff_seminar", sid=sid)


# --- staff: training records ----------------------------------------------------------------------------


@staff_only
def due(request):
    form = forms.DueFilterForm(request.GET or None)
    office = form.cleaned_data.get("field_office") if form.is_valid() else None
    rows = selectors.due_list(request.user, field_office=office.pk if office else None)
    return render(
        request,
        "training/due.html",
        {
            "form": form,
            "rows": rows,
            "catalog": load_catalog(),
            "can_record": permissions.can_record(request.user),
        },
    )


@staff_only
def record_new(request):
    if not permissions.can_record(request.user):
        return render(request, "training/forbidden.html", status=403)
    people = list(selectors.trainees())
    form = forms.TrainingRecordForm(
        request.POST or None, people=people, initial={"user": request.GET.get("user")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, record = attempt(
            request,
            form,
            lambda: records.training_record_create(
                actor=request.user,
                user_id=d["user"],
                course=d["course"],
                completed_on=d["completed_on"],
                hours=d["hours"],
                evidence=d["evidence"],
            ),
        )
        if ok:
            messages.success(request, _("Training recorded."))
            return redirect(reverse("training:person", args=[record.user_id]))
    return render(request, "training/record_form.html", {"form": form})


@staff_only
def person(request, uid):
    user, recs, owed = selectors.person_training(request.user, uid)
    catalog = load_catalog()
    titles = {c.code: c.title for c in catalog.courses}
    return render(
        request,
        "training/person.html",
        {
            "person": user,
            "records": [(r, titles.get(r.course, r.course)) for r in recs],
            "owed": owed,
            "can_record": permissions.can_record(request.user),
        },
    )
