"""A partner's security profile, or one frozen snapshot of it, as portable JSON and as a readable PDF.

The JSON shape is documented in docs/criteria.md (formats ``greenlane.profile`` and
``greenlane.profile-snapshot``, version 1). Answers use the same keys as a snapshot's frozen ``data``,
so that tools read both alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.core.errors import NotFound
from greenlane.criteria.exports import Document
from greenlane.criteria.models import Category
from greenlane.partners.choices import EntityType
from greenlane.partners.selectors import PartnerAccess

from . import selectors
from .choices import AnswerStatus, RevisionFlag
from .models import ActionPlan, EvidenceFile, ProfileSnapshot, SecurityProfile

FORMAT_VERSION = 1


def _partner(access: PartnerAccess) -> dict[str, Any]:
    p = access.partner
    return {
        "id": p.pk,
        "reference": p.reference,
        "legal_name": p.legal_name,
        "dba_name": p.dba_name,
        "entity_type": p.entity_type,
        "country": p.country,
        "status": p.status,
        "identifiers": [{"type": i.type, "value": i.value} for i in p.identifiers.all()],
    }


def _catalog(version) -> dict[str, Any]:
    return {
        "catalog": version.catalog,
        "version": version.version,
        "title": version.title,
        "effective": version.effective.isoformat(),
        "checksum": version.checksum,
    }


def _snapshot_summary(s: ProfileSnapshot) -> dict[str, Any]:
    return {
        "id": s.pk,
        "revision": s.revision,
        "catalog_version": s.catalog_version.version,
        "submitted_at": s.submitted_at,
        "submitted_by": s.submitted_by.email,
        "reason": s.reason,
        "sha256": s.sha256,
    }


def _plan(answer) -> dict[str, Any] | None:
    try:
        plan = answer.action_plan
    except ActionPlan.DoesNotExist:
        return None
    return {
        "owner": plan.owner,
        "due_date": plan.due_date.isoformat(),
        "steps": plan.steps,
        "status": plan.status,
    }


def current_profile_for(access: PartnerAccess) -> SecurityProfile:
    profile = selectors.current_profile(access.partner)
    if profile is None:
        raise NotFound(_("This company has not started its security profile."))
    return profile


def profile_data(access: PartnerAccess, profile: SecurityProfile) -> dict[str, Any]:
    """The whole current profile: identity, catalog, answers with evidence and plans, evidence, snapshots."""
    answers = selectors.answers(profile)
    docs = {d.pk: d for a in answers for d in a.evidence.all()}
    files: dict[int, list[EvidenceFile]] = {}
    for f in EvidenceFile.objects.filter(document_id__in=list(docs)).order_by("document_id", "-version"):
        files.setdefault(f.document_id, []).append(f)
    tally = selectors.completeness(profile)
    return {
        "format": "greenlane.profile",
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "partner": _partner(access),
        "profile": {
            "id": profile.pk,
            "catalog": _catalog(profile.catalog_version),
            "state": profile.state,
            "revision": profile.revision,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
            "submitted_at": profile.submitted_at,
            "migrated_from": (
                {
                    "id": profile.migrated_from.pk,
                    "catalog_version": profile.migrated_from.catalog_version.version,
                }
                if profile.migrated_from is not None
                else None
            ),
            "completeness": {
                "total": tally.overall.total,
                "answered": tally.overall.answered,
                "must_total": tally.overall.must_total,
                "must_answered": tally.overall.must_answered,
                "flagged": tally.overall.flagged,
                "percent": tally.overall.percent,
            },
        },
        "answers": [
            {
                "code": a.criterion.code,
                "title": a.criterion.title,
                "level": a.criterion.level,
                "category": a.criterion.category.number,
                "status": a.status,
                "narrative": a.narrative,
                "justification": a.justification,
                "flag": a.flag,
                "updated_at": a.updated_at,
                "evidence": [
                    {
                        "document": d.pk,
                        "title": d.title,
                        "version": files[d.pk][0].version if files.get(d.pk) else None,
                        "sha256": files[d.pk][0].sha256 if files.get(d.pk) else None,
                    }
                    for d in a.evidence.all()
                ],
                "action_plan": _plan(a),
            }
            for a in answers
        ],
        "evidence": [
            {
                "document": d.pk,
                "title": d.title,
                "description": d.description,
                "effective_date": d.effective_date,
                "expiry_date": d.expiry_date,
                "status": selectors.evidence_status(d),
                "files": [
                    {
                        "version": f.version,
                        "name": f.original_name,
                        "content_type": f.content_type,
                        "size": f.size,
                        "sha256": f.sha256,
                        "uploaded_at": f.uploaded_at,
                    }
                    for f in files.get(d.pk, [])
                ],
            }
            for d in sorted(docs.values(), key=lambda d: (d.title, d.pk))
        ],
        "snapshots": [_snapshot_summary(s) for s in selectors.snapshots(profile)],
    }


def snapshot_data(access: PartnerAccess, snapshot: ProfileSnapshot) -> dict[str, Any]:
    """One frozen submission: its metadata and its ``data`` exactly as stored (its sha256 still verifies)."""
    return {
        "format": "greenlane.profile-snapshot",
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "partner": _partner(access),
        "snapshot": {**_snapshot_summary(snapshot), "catalog": _catalog(snapshot.catalog_version)},
        "data": snapshot.data,
    }


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def file_stem(access: PartnerAccess, *, version: str, revision: int, snapshot: bool) -> str:
    kind = "snapshot" if snapshot else "profile"
    return f"{access.partner.reference}-{kind}-{version}-r{revision}"


# PDF ----------------------------------------------------------------------------------------------------


@dataclass
class _Tally:
    total: int = 0
    answered: int = 0
    must_total: int = 0
    must_answered: int = 0
    flagged: int = 0


@dataclass
class _Section:
    number: int
    name: str
    answers: list[dict] = field(default_factory=list)
    tally: _Tally = field(default_factory=_Tally)


def _sections(answers: list[dict], names: dict[int, str]) -> tuple[_Tally, list[_Section]]:
    overall, sections = _Tally(), dict[int, _Section]()
    for a in answers:
        section = sections.setdefault(a["category"], _Section(a["category"], names.get(a["category"], "")))
        section.answers.append(a)
        answered = bool(a.get("status")) and not a.get("flag")
        for t in (overall, section.tally):
            t.total += 1
            t.answered += answered
            t.flagged += bool(a.get("flag"))
            if a.get("level") == "must":
                t.must_total += 1
                t.must_answered += answered
    return overall, [sections[k] for k in sorted(sections)]


def _status_label(status: str) -> str:
    return str(AnswerStatus(status).label) if status in AnswerStatus.values else _("Not answered")


def _render_pdf(*, partner, title: str, header: list[tuple[str, str]], answers: list[dict], names) -> bytes:
    doc = Document(title=title, subject=_("Security profile of %(p)s") % {"p": partner.legal_name})
    doc.heading(partner.legal_name, level=0)
    doc.para(title, bold=True)
    for label, value in header:
        doc.field(label, value)
    overall, sections = _sections(answers, names)
    doc.heading(_("Completeness"), level=1)
    percent = round(100 * overall.answered / overall.total) if overall.total else 100
    doc.para(
        _("%(a)d of %(t)d criteria answered (%(p)d%%); %(ma)d of %(mt)d Must criteria.")
        % {
            "a": overall.answered,
            "t": overall.total,
            "p": percent,
            "ma": overall.must_answered,
            "mt": overall.must_total,
        }
    )
    if overall.flagged:
        doc.para(
            _("%(n)d criteria changed or are new since a catalog revision and need an answer.")
            % {"n": overall.flagged}
        )
    for s in sections:
        doc.para(
            _("%(n)d. %(name)s: %(a)d of %(t)d answered, %(ma)d of %(mt)d Must")
            % {
                "n": s.number,
                "name": s.name,
                "a": s.tally.answered,
                "t": s.tally.total,
                "ma": s.tally.must_answered,
                "mt": s.tally.must_total,
            },
            size=8.5,
        )
    flags = dict(RevisionFlag.choices)
    for s in sections:
        doc.heading(f"{s.number}. {s.name}", level=1)
        for a in s.answers:
            level = _("Must") if a.get("level") == "must" else _("Should")
            doc.heading(f"{a['code']} {a['title']} [{level}]", level=3)
            if a.get("flag"):
                doc.para(str(flags.get(a["flag"], a["flag"])), bold=True, size=8.5)
            doc.field(_("Status"), _status_label(a.get("status", "")))
            doc.field(_("Narrative"), a.get("narrative"))
            doc.field(_("Justification"), a.get("justification"))
            evidence = [
                f"{e['title']}" + (f" (v{e['version']})" if e.get("version") else "")
                for e in a.get("evidence") or []
            ]
            doc.field(_("Evidence"), "; ".join(evidence))
            plan = a.get("action_plan")
            if plan:
                doc.field(
                    _("Action plan"),
                    _("%(owner)s, due %(due)s (%(status)s): %(steps)s")
                    % {
                        "owner": plan["owner"],
                        "due": plan["due_date"],
                        "status": plan["status"],
                        "steps": plan["steps"],
                    },
                )
            doc.rule()
    return doc.render()


def _category_names(version_id: int) -> dict[int, str]:
    return dict(Category.objects.filter(catalog_version_id=version_id).values_list("number", "name"))


def _type_label(entity_type: str) -> str:
    return str(EntityType(entity_type).label) if entity_type in EntityType.values else entity_type


def profile_pdf(access: PartnerAccess, profile: SecurityProfile) -> bytes:
    data = profile_data(access, profile)
    p = access.partner
    v = profile.catalog_version
    header = [
        (_("Reference"), p.reference),
        (_("Entity type"), _type_label(p.entity_type)),
        (_("Catalog"), f"{v.title} {v.version}"),
        (_("Revision"), f"{profile.revision} ({profile.get_state_display()})"),
        (
            _("Last submitted"),
            profile.submitted_at.date().isoformat() if profile.submitted_at else _("never"),
        ),
        (_("Date"), timezone.localdate().isoformat()),
    ]
    return _render_pdf(
        partner=p,
        title=_("Security profile, catalog %(v)s, revision %(r)d") % {"v": v.version, "r": profile.revision},
        header=header,
        answers=data["answers"],
        names=_category_names(v.pk),
    )


def snapshot_pdf(access: PartnerAccess, snapshot: ProfileSnapshot) -> bytes:
    p = access.partner
    v = snapshot.catalog_version
    header = [
        (_("Reference"), p.reference),
        (_("Entity type"), _type_label(snapshot.data.get("entity_type", p.entity_type))),
        (_("Catalog"), f"{v.title} {v.version}"),
        (_("Revision"), str(snapshot.revision)),
        (
            _("Submitted"),
            f"{timezone.localtime(snapshot.submitted_at):%Y-%m-%d %H:%M %Z}, {snapshot.submitted_by.email}",
        ),
        (_("SHA-256"), snapshot.sha256),
    ]
    return _render_pdf(
        partner=p,
        title=_("Submitted security profile, catalog %(v)s, revision %(r)d")
        % {"v": v.version, "r": snapshot.revision},
        header=header,
        answers=snapshot.data.get("answers", []),
        names=_category_names(v.pk),
    )
