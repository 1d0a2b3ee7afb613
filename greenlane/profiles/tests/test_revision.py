"""Catalog revision: activating 2026.2 moves every current 2026.1 profile onto it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput
from greenlane.criteria import selectors as criteria_selectors
from greenlane.criteria.models import CatalogVersion
from greenlane.criteria.services import catalog_load
from greenlane.partners import services as partner_services
from greenlane.partners.tests.factories import complete_importer
from greenlane.profiles import selectors, services
from greenlane.profiles.models import ActionPlan, Answer, ProfileSnapshot, SecurityProfile
from greenlane.profiles.revision import catalog_activate_and_migrate, pending_profiles
from greenlane.profiles.tests.factories import answer_all

CHANGED = {"3.9", "4.8", "7.23", "12.1"}
ADDED = {"4.16", "9.22"}
REMOVED = {"5.15"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def v1(db):
    return CatalogVersion.objects.get(catalog="msc", version="2026.1")


@pytest.fixture
def v2(db):
    return CatalogVersion.objects.get(catalog="msc", version="2026.2")


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def importer(officer):
    """A draft importer with a submitted 2026.1 profile: evidence, a gap with a plan, a not-applicable."""
    partner = complete_importer(officer)
    doc = services.evidence_upload(
        actor=officer, partner_id=partner.pk, filename="policy.pdf", data=PDF, title="Security policy"
    ).document
    plan = {"owner": "Pat", "due_date": "2026-09-30", "steps": "Buy seals.", "status": "open"}
    for code, status, extra in [
        ("1.1", "implemented", {"evidence_ids": [doc.pk]}),  # unchanged, with evidence
        ("4.8", "implemented", {"evidence_ids": [doc.pk]}),  # changed, with evidence
        ("6.1", "partially_implemented", {"action_plan": plan}),  # unchanged gap
        ("7.23", "not_implemented", {"action_plan": plan}),  # changed gap
        ("5.15", "not_applicable", {"justification": "We never move trailers."}),  # removed in 2026.2
    ]:
        services.answer_save(
            actor=officer,
            partner_id=partner.pk,
            criterion_code=code,
            status=status,
            narrative=f"How we meet {code}.",
            **extra,
        )
    services.profile_submit(actor=officer, partner_id=partner.pk)
    partner.evidence_doc = doc
    return partner


def _profile(partner, version) -> SecurityProfile:
    return SecurityProfile.objects.get(partner=partner, catalog_version=version)


def _by_code(profile) -> dict[str, Answer]:
    return {a.criterion.code: a for a in selectors.answers(profile)}


def test_migration_carries_unchanged_flags_changed_and_new_and_archives_removed(staff, importer, v1, v2):
    old = _profile(importer, v1)
    before = _by_code(old)
    result = catalog_activate_and_migrate(actor=staff["program_manager"], version_id=v2.pk)

    assert (result.migrated, result.remaining, result.skipped) == (1, 0, 0)
    assert (result.changed, result.new, result.removed) == (4, 2, 1)
    v2.refresh_from_db()
    assert v2.is_active
    old.refresh_from_db()
    assert (old.is_current, old.state) == (False, "superseded")
    new = _profile(importer, v2)
    assert (new.is_current, new.state, new.revision, new.migrated_from_id) == (True, "draft", 1, old.pk)
    after = _by_code(new)
    assert set(after) == {c.code for c in criteria_selectors.criteria_for(v2, "importer")}
    assert len(after) == 102
    assert {c for c, a in after.items() if a.flag == "changed"} == CHANGED
    assert {c for c, a in after.items() if a.flag == "new"} == ADDED
    assert REMOVED.isdisjoint(after)
    for code in ADDED:
        a = after[code]
        assert (a.status, a.narrative, a.justification, a.updated_at) == ("", "", "", None)
    for code, a in after.items():
        if code in ADDED:
            continue
        b = before[code]
        assert (a.status, a.narrative, a.justification) == (b.status, b.narrative, b.justification), code
        assert [d.pk for d in a.evidence.all()] == [d.pk for d in b.evidence.all()], code
        assert a.updated_by_id == b.updated_by_id
        assert a.criterion.catalog_version_id == v2.pk
    assert [d.title for d in after["1.1"].evidence.all()] == ["Security policy"]
    assert [d.title for d in after["4.8"].evidence.all()] == ["Security policy"]
    for code in ("6.1", "7.23"):
        plan = after[code].action_plan
        assert (plan.owner, plan.due_date, plan.steps) == ("Pat", dt.date(2026, 9, 30), "Buy seals.")
        assert plan.answer.profile_id == new.pk
    # The old profile is the archive: its answers (the removed one included) and its snapshot are untouched.
    archived = _by_code(old)
    assert len(archived) == 101 and archived["5.15"].status == "not_applicable"
    assert ActionPlan.objects.filter(answer__profile=old).count() == 2
    assert ProfileSnapshot.objects.filter(profile=old).count() == 2  # revisions 1 and 2
    assert selectors.current_profile(importer).pk == new.pk


def test_audit_one_event_per_partner_and_one_for_activation(staff, importer, v1, v2):
    pm = staff["program_manager"]
    catalog_activate_and_migrate(actor=pm, version_id=v2.pk)
    new = _profile(importer, v2)
    [event] = AuditEvent.objects.filter(action="profile.migrate")
    assert (event.partner_id, event.actor_id, event.object_id) == (importer.pk, pm.pk, str(new.pk))
    assert event.after == {
        "from_version": "2026.1",
        "to_version": "2026.2",
        "from_profile": _profile(importer, v1).pk,
        "answers": 102,
        "unchanged": 96,
        "changed": ["3.9", "4.8", "7.23", "12.1"],
        "new": ["4.16", "9.22"],
        "removed": ["5.15"],
        "to_answer": 6,
    }
    assert "4 changed, 2 new, 1 removed" in event.summary
    [activation] = AuditEvent.objects.filter(action="catalog.activate", after__active="2026.2")
    assert activation.after == {"active": "2026.2"} and activation.actor_id == pm.pk


def test_rerun_is_idempotent(staff, importer, v2):
    pm = staff["program_manager"]
    catalog_activate_and_migrate(actor=pm, version_id=v2.pk)
    counts = (
        SecurityProfile.objects.count(),
        Answer.objects.count(),
        ActionPlan.objects.count(),
        AuditEvent.objects.count(),
    )
    again = catalog_activate_and_migrate(actor=pm, version_id=v2.pk)
    assert (again.migrated, again.remaining, again.skipped) == (0, 0, 1)
    assert counts == (
        SecurityProfile.objects.count(),
        Answer.objects.count(),
        ActionPlan.objects.count(),
        AuditEvent.objects.count(),
    )


def test_submission_blocked_until_changed_musts_are_answered_again(staff, importer, officer, v2):
    catalog_activate_and_migrate(actor=staff["program_manager"], version_id=v2.pk)
    with pytest.raises(InvalidInput) as refused:
        services.profile_submit(actor=officer, partner_id=importer.pk)
    blocked = {e["field"].removeprefix("answers.") for e in refused.value.errors}
    # Every changed criterion is a Must for importers (3.9 became one); the new ones are Shoulds.
    assert blocked == CHANGED
    assert not ProfileSnapshot.objects.filter(profile__catalog_version=v2).exists()
    for code in sorted(CHANGED):
        services.answer_save(
            actor=officer,
            partner_id=importer.pk,
            criterion_code=code,
            status="implemented",
            narrative="Reviewed against the revised text.",
        )
    snapshot = services.profile_submit(actor=officer, partner_id=importer.pk)
    assert (snapshot.catalog_version_id, snapshot.revision) == (v2.pk, 1)
    assert {a["code"] for a in snapshot.data["answers"]} >= CHANGED | ADDED


def test_only_program_managers_and_admins_activate(staff, importer, v1, v2, user_factory):
    for actor in (staff["scs"], staff["supervisory_scs"], staff["auditor"], user_factory("t@x.example")):
        with pytest.raises(Forbidden):
            catalog_activate_and_migrate(actor=actor, version_id=v2.pk)
    v1.refresh_from_db(), v2.refresh_from_db()
    assert (v1.is_active, v2.is_active) == (True, False)
    assert not SecurityProfile.objects.filter(catalog_version=v2).exists()
    assert not AuditEvent.objects.filter(action="profile.migrate").exists()
    assert not AuditEvent.objects.filter(action="catalog.activate", after__active="2026.2").exists()
    result = catalog_activate_and_migrate(actor=staff["system_admin"], version_id=v2.pk)
    assert result.migrated == 1


def _broker(officer, name):
    partner = partner_services.partner_create(
        actor=officer, entity_type="customs_broker", legal_name=name, country="US", role="company_officer"
    )
    answer_all(officer, partner)
    return partner


def test_each_entity_type_gets_its_own_questions_in_chunks_and_within_a_time_budget(staff, officer, v1, v2):
    brokers = [_broker(officer, f"Broker {i}") for i in range(3)]
    importer = complete_importer(officer, with_profile=False)
    services.profile_ensure(actor=officer, partner_id=importer.pk)
    never_started = complete_importer(officer, with_profile=False)
    pm = staff["program_manager"]
    seen = []

    first = catalog_activate_and_migrate(
        actor=pm, version_id=v2.pk, chunk_size=2, time_budget=0, progress=lambda r: seen.append(r.migrated)
    )
    assert (first.migrated, first.remaining, seen) == (2, 2, [2])
    assert pending_profiles(v2).count() == 2
    rest = catalog_activate_and_migrate(actor=pm, version_id=v2.pk, chunk_size=2)
    assert (rest.migrated, rest.remaining) == (2, 0)
    assert AuditEvent.objects.filter(action="catalog.activate", after__active="2026.2").count() == 1
    for broker in brokers:
        answers = _by_code(_profile(broker, v2))
        # 9.22 does not apply to customs brokers; 3.9 and 5.15 never did.
        assert {c for c, a in answers.items() if a.flag == "new"} == {"4.16"}
        assert {c for c, a in answers.items() if a.flag == "changed"} == {"4.8", "7.23", "12.1"}
        assert len(answers) == criteria_selectors.criteria_for(v2, "customs_broker").count()
    blank = _by_code(_profile(importer, v2))
    assert {c for c, a in blank.items() if a.flag} == CHANGED | ADDED
    assert not SecurityProfile.objects.filter(partner=never_started).exists()


def test_flags_not_yet_cleared_survive_a_second_revision(staff, importer, v2):
    pm = staff["program_manager"]
    catalog_activate_and_migrate(actor=pm, version_id=v2.pk)
    text = _bundled_text("msc-2026.2.yaml").replace('version: "2026.2"', 'version: "2026.3"')
    v3 = catalog_load(actor=None, text=text, source="test").version
    catalog_activate_and_migrate(actor=pm, version_id=v3.pk)
    answers = _by_code(_profile(importer, v3))
    # Nothing changed between 2026.2 and 2026.3, yet the unanswered flags from 2026.2 stay.
    assert {c for c, a in answers.items() if a.flag == "changed"} == CHANGED
    assert {c for c, a in answers.items() if a.flag == "new"} == ADDED
    assert _profile(importer, v2).state == "superseded"
    event = AuditEvent.objects.get(action="profile.migrate", after__to_version="2026.3")
    assert (event.after["changed"], event.after["new"], event.after["to_answer"]) == ([], [], 6)


def _bundled_text(name: str) -> str:
    from greenlane.criteria import catalog_io

    [path] = [p for p in catalog_io.bundled_catalog_paths() if p.name == name]
    return path.read_text(encoding="utf-8")


def test_activate_catalog_command(staff, importer, v2):
    out = io.StringIO()
    call_command("activate_catalog", "2026.2", stdout=out)
    text = out.getvalue()
    assert "Active: msc 2026.2" in text
    assert "1 profile(s) migrated" in text
    assert "0 remaining" in text
    assert AuditEvent.objects.get(action="profile.migrate").actor_label == "system"
    out = io.StringIO()
    call_command("activate_catalog", "2026.2", stdout=out)
    assert "0 profile(s) migrated, 1 already on 2026.2, 0 remaining" in out.getvalue()


def test_activate_catalog_command_refuses_unknown_and_older_versions(importer, v1, v2):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No loaded catalog version 9\.9"):
        call_command("activate_catalog", "9.9", stdout=io.StringIO())
    call_command("activate_catalog", "2026.2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="older than the active"):
        call_command("activate_catalog", "2026.1", stdout=io.StringIO())
    assert _profile(importer, v2).is_current
