"""Company-side security profile pages: overview, answers by category (autosaved), evidence, revisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.core.errors import DomainError, InvalidInput, NotFound
from greenlane.core.web import attach_error, attempt, trade_only
from greenlane.partners import permissions
from greenlane.partners.selectors import partner_for

from . import forms, selectors, services
from .choices import GAP_STATUSES, AnswerStatus

MAX_MESSAGES = 8


def anchor(code: str) -> str:
    return "c-" + code.replace(".", "-")


def _ctx(access, profile, **extra) -> dict:
    return {
        "partner": access.partner,
        "role": access.role,
        "profile": profile,
        "can_sign": permissions.can_sign_and_submit(access.role),
        "editable": access.partner.status in services.PROFILE_EDITABLE,
        **extra,
    }


@trade_only
def profile_overview(request, pk):
    access, profile = services.profile_ensure(actor=request.user, partner_id=pk)
    tally = selectors.completeness(profile)
    problems = selectors.submission_problems(profile)
    categories = [(n, tally.names[n], t) for n, t in tally.by_category.items()]
    return render(
        request,
        "profiles/overview.html",
        _ctx(
            access,
            profile,
            tally=tally,
            categories=categories,
            problems=[
                {
                    "code": p.code,
                    "title": p.title,
                    "message": p.message,
                    "anchor": anchor(p.code),
                    "category": int(p.code.split(".")[0]),
                }
                for p in problems[:50]
            ],
            more_problems=max(0, len(problems) - 50),
            problem_count=len(problems),
            first_category=categories[0][0] if categories else None,
        ),
    )


def _card_context(access, answer, evidence_docs, form=None, saved=False) -> dict:
    if form is None:
        plan = answer.action_plan if _has_plan(answer) else None
        form = forms.AnswerForm(
            prefix=anchor(answer.criterion.code),
            evidence_choices=evidence_docs,
            initial={
                "status": answer.status,
                "narrative": answer.narrative,
                "justification": answer.justification,
                "evidence": [str(d.pk) for d in answer.evidence.all()],
                "plan_owner": plan.owner if plan else "",
                "plan_due_date": plan.due_date if plan else None,
                "plan_steps": plan.steps if plan else "",
            },
        )
    return {
        "answer": answer,
        "form": form,
        "anchor": anchor(answer.criterion.code),
        "saved": saved,
        "is_gap": answer.status in GAP_STATUSES,
        "is_na": answer.status == AnswerStatus.NOT_APPLICABLE,
    }


def _has_plan(answer) -> bool:
    try:
        return answer.action_plan is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


@trade_only
def category(request, pk, number):
    access, profile = services.profile_ensure(actor=request.user, partner_id=pk)
    answers = selectors.answers(profile, category=number)
    if not answers:
        raise Http404()
    tally = selectors.completeness(profile)
    numbers = list(tally.by_category)
    index = numbers.index(number)
    evidence_docs = selectors.evidence_list(access)
    cards = [_card_context(access, a, evidence_docs) for a in answers]
    return render(
        request,
        "profiles/category.html",
        _ctx(
            access,
            profile,
            cards=cards,
            number=number,
            name=tally.names[number],
            tally=tally,
            category_tally=tally.by_category[number],
            previous=numbers[index - 1] if index > 0 else None,
            next=numbers[index + 1] if index + 1 < len(numbers) else None,
        ),
    )


@trade_only
@require_POST
def answer(request, pk, code):
    access, profile = services.profile_ensure(actor=request.user, partner_id=pk)
    current = selectors.answer_for(profile, code)
    evidence_docs = selectors.evidence_list(access)
    form = forms.AnswerForm(request.POST, prefix=anchor(code), evidence_choices=evidence_docs)
    saved = False
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.answer_save(
                actor=request.user,
                partner_id=pk,
                criterion_code=code,
                status=d["status"],
                narrative=d["narrative"],
                justification=d["justification"],
                evidence_ids=[int(x) for x in d["evidence"]],
                action_plan=form.action_plan(),
            )
            saved = True
        except InvalidInput as exc:
            field = (exc.field or "").replace("action_plan.", "plan_")
            form.add_error(field if field in form.fields else None, exc.message)
        except DomainError as exc:
            attach_error(request, form, exc)
    if request.headers.get("HX-Request"):
        if saved:
            # Only the status line changes, so focus and typing elsewhere in the form are not disturbed.
            return render(request, "profiles/_save_status.html", {"saved": True})
        ctx = _card_context(access, current, evidence_docs, form=form)
        response = render(request, "profiles/_answer_card.html", {**_ctx(access, profile), **ctx})
        response["HX-Retarget"] = f"#{anchor(code)}"
        response["HX-Reswap"] = "outerHTML"
        return response
    if saved:
        messages.success(request, _("Answer to %(code)s saved.") % {"code": code})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{code}: {error}")
    url = reverse("profiles:category", args=[pk, current.criterion.category.number])
    return redirect(f"{url}#{anchor(code)}")


@trade_only
@require_POST
def submit(request, pk):
    try:
        snapshot = services.profile_submit(actor=request.user, partner_id=pk)
        messages.success(
            request,
            _("Revision %(r)d of the security profile is submitted and frozen.") % {"r": snapshot.revision},
        )
    except NotFound:
        raise  # someone else's company: 404, not a message on a redirect
    except DomainError as exc:
        if exc.errors:
            messages.error(
                request,
                _("The profile cannot be submitted yet; %(n)d item(s) need attention:")
                % {"n": len(exc.errors)},
            )
            for err in exc.errors[:MAX_MESSAGES]:
                messages.error(request, err["message"])
        else:
            messages.error(request, exc.message)
    return redirect("profiles:overview", pk)


@trade_only
def evidence(request, pk):
    access = partner_for(request.user, pk)
    form = forms.EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        ok, record = attempt(
            request,
            form,
            lambda: services.evidence_upload(
                actor=request.user,
                partner_id=pk,
                filename=upload.name,
                data=_read_limited(upload),
                title=d["title"],
                description=d["description"],
                effective_date=d["effective_date"],
                expiry_date=d["expiry_date"],
            ),
        )
        if ok:
            messages.success(request, _("'%(t)s' uploaded.") % {"t": record.document.title})
            return redirect("profiles:evidence", pk)
    docs = selectors.evidence_list(access)
    rows = [(d, selectors.evidence_status(d)) for d in docs]
    profile = selectors.current_profile(access.partner)
    return render(request, "profiles/evidence.html", _ctx(access, profile, rows=rows, form=form))


def _read_limited(upload) -> bytes:
    from django.conf import settings

    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        raise InvalidInput(
            _("The file is %(s).1f MB; the limit is %(l)d MB.")
            % {"s": upload.size / 1_048_576, "l": settings.EVIDENCE_MAX_BYTES // 1_048_576},
            field="file",
        )
    return upload.read()


@trade_only
def evidence_document(request, pk, doc_id):
    access = partner_for(request.user, pk)
    doc = next((d for d in selectors.evidence_list(access) if d.pk == doc_id), None)
    if doc is None:
        raise Http404()
    version_form = forms.EvidenceVersionForm(prefix="version")
    details_form = forms.EvidenceDetailsForm(
        prefix="details",
        initial={
            "title": doc.title,
            "description": doc.description,
            "effective_date": doc.effective_date,
            "expiry_date": doc.expiry_date,
        },
    )
    if request.method == "POST" and "version-file" in request.FILES:
        version_form = forms.EvidenceVersionForm(request.POST, request.FILES, prefix="version")
        if version_form.is_valid():
            upload = version_form.cleaned_data["file"]
            ok, _r = attempt(
                request,
                version_form,
                lambda: services.evidence_upload(
                    actor=request.user,
                    partner_id=pk,
                    filename=upload.name,
                    data=_read_limited(upload),
                    document_id=doc.pk,
                ),
            )
            if ok:
                messages.success(request, _("New version uploaded."))
                return redirect("profiles:evidence_document", pk, doc.pk)
    elif request.method == "POST":
        details_form = forms.EvidenceDetailsForm(request.POST, prefix="details")
        if details_form.is_valid():
            ok, _d = attempt(
                request,
                details_form,
                lambda: services.evidence_update(
                    actor=request.user, partner_id=pk, document_id=doc.pk, **details_form.cleaned_data
                ),
            )
            if ok:
                messages.success(request, _("Details saved."))
                return redirect("profiles:evidence_document", pk, doc.pk)
    profile = selectors.current_profile(access.partner)
    return render(
        request,
        "profiles/evidence_document.html",
        _ctx(
            access,
            profile,
            doc=doc,
            status=selectors.evidence_status(doc),
            version_form=version_form,
            details_form=details_form,
            used_by=list(doc.answers.select_related("criterion").order_by("criterion__code")),
        ),
    )


@trade_only
def evidence_download(request, pk, file_id):
    record = selectors.evidence_file_for(request.user, pk, file_id)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@trade_only
def revisions(request, pk):
    access = partner_for(request.user, pk)
    profile = selectors.current_profile(access.partner)
    snaps = selectors.snapshots(profile) if profile else []
    choices = [("draft", _("Current draft"))] + [
        (
            str(s.pk),
            _("Revision %(r)d, %(d)s") % {"r": s.revision, "d": s.submitted_at.strftime("%Y-%m-%d %H:%M")},
        )
        for s in snaps
    ]
    default = {"old": str(snaps[0].pk) if snaps else "draft", "new": "draft"}
    form = forms.CompareForm(request.GET or None, choices=choices, initial=default)
    changes = None
    if form.is_bound and form.is_valid() and profile:
        old, new = (_payload(access, profile, form.cleaned_data[k]) for k in ("old", "new"))
        changes = selectors.diff_snapshots(old, new)
    return render(
        request, "profiles/revisions.html", _ctx(access, profile, snapshots=snaps, form=form, changes=changes)
    )


def _payload(access, profile, key: str) -> dict:
    if key == "draft":
        return services.build_snapshot_data(profile)
    return selectors.snapshot_for(access, key).data
