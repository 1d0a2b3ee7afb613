"""Program staff read a partner's security profile, its snapshots and its evidence (read-only)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render

from greenlane.core.web import staff_only
from greenlane.partners.selectors import partner_for

from . import selectors


@staff_only
def profile(request, pk):
    access = partner_for(request.user, pk)
    current = selectors.current_profile(access.partner)
    answers = selectors.answers(current) if current else []
    groups: dict[int, dict] = {}
    for a in answers:
        cat = a.criterion.category
        groups.setdefault(cat.number, {"name": cat.name, "answers": []})["answers"].append(a)
    return render(
        request,
        "profiles/staff_profile.html",
        {
            "partner": access.partner,
            "profile": current,
            "groups": groups,
            "tally": selectors.completeness(current) if current else None,
            "snapshots": selectors.snapshots(current) if current else [],
            "evidence": [(d, selectors.evidence_status(d)) for d in selectors.evidence_list(access)],
        },
    )


@staff_only
def evidence_download(request, pk, file_id):
    record = selectors.evidence_file_for(request.user, pk, file_id)
    if record is None:
        raise Http404()
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
