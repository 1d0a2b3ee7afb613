import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.partners import services as partner_services
from greenlane.partners.tests.factories import complete_importer
from greenlane.profiles import selectors, services
from greenlane.profiles.models import Answer, EvidenceDocument, EvidenceFile, ProfileSnapshot
from greenlane.profiles.tests.factories import answer_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(user_factory):
    return user_factory("officer@acme.example")


@pytest.fixture
def draft(officer):
    return complete_importer(officer, with_profile=False)


def _answer(partner, code):
    profile = selectors.current_profile(partner)
    return Answer.objects.get(profile=profile, criterion__code=code)


def _state(partner):
    profile = selectors.current_profile(partner)
    return (
        list(
            Answer.objects.filter(profile=profile)
            .order_by("pk")
            .values_list("status", "narrative", "justification")
        ),
        AuditEvent.objects.count(),
        ProfileSnapshot.objects.count(),
        EvidenceFile.objects.count(),
    )


def test_profile_has_exactly_the_criteria_for_the_entity_type(officer, draft):
    _access, profile = services.profile_ensure(actor=officer, partner_id=draft.pk)
    codes = {a.criterion.code for a in selectors.answers(profile)}
    assert len(codes) >= 90
    assert {"1.1", "6.2", "7.37", "11.5"} <= codes
    # A highway-carrier-only criterion is absent from an importer's profile.
    from greenlane.criteria.models import Criterion

    importer_only = set(
        Criterion.objects.filter(
            catalog_version=profile.catalog_version, applicability__entity_type="importer"
        ).values_list("code", flat=True)
    )
    assert codes == importer_only


def test_answer_save_records_one_event_and_is_idempotent(officer, draft):
    services.answer_save(
        actor=officer,
        partner_id=draft.pk,
        criterion_code="6.2",
        status="implemented",
        narrative="ISO 17712 seals, log kept.",
    )
    events = AuditEvent.objects.filter(action="profile.answer").count()
    services.answer_save(
        actor=officer,
        partner_id=draft.pk,
        criterion_code="6.2",
        status="implemented",
        narrative="ISO 17712 seals, log kept.",
    )
    assert AuditEvent.objects.filter(action="profile.answer").count() == events == 1
    assert _answer(draft, "6.2").status == "implemented"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"criterion_code": "6.2", "status": "not_applicable"}, "justification"),
        ({"criterion_code": "6.2", "status": "maybe"}, "status"),
        ({"criterion_code": "6.2", "status": "implemented", "evidence_ids": [999999]}, "evidence"),
        (
            {
                "criterion_code": "6.2",
                "status": "partially_implemented",
                "action_plan": {"owner": "", "due_date": "2027-01-01", "steps": "x"},
            },
            "action_plan.owner",
        ),
        ({"criterion_code": "6.2", "status": "implemented", "narrative": "x" * 10001}, "narrative"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(officer, draft, kwargs, field):
    services.profile_ensure(actor=officer, partner_id=draft.pk)
    before = _state(draft)
    with pytest.raises(InvalidInput) as exc:
        services.answer_save(actor=officer, partner_id=draft.pk, **kwargs)
    assert exc.value.field == field
    assert exc.value.message
    assert _state(draft) == before


def test_a_criterion_of_another_entity_type_is_explained(officer, draft):
    from greenlane.criteria.models import Criterion

    services.profile_ensure(actor=officer, partner_id=draft.pk)
    foreign = (
        Criterion.objects.filter(catalog_version__is_active=True)
        .exclude(applicability__entity_type="importer")
        .first()
    )
    with pytest.raises(InvalidInput) as exc:
        services.answer_save(
            actor=officer, partner_id=draft.pk, criterion_code=foreign.code, status="implemented"
        )
    assert "does not apply" in exc.value.message
    with pytest.raises(NotFound):
        services.answer_save(actor=officer, partner_id=draft.pk, criterion_code="99.99", status="implemented")


def test_evidence_of_another_company_cannot_be_attached(officer, draft, user_factory):
    other = user_factory("other@rival.example")
    rival = complete_importer(other, with_profile=False)
    doc = services.evidence_upload(actor=other, partner_id=rival.pk, filename="policy.pdf", data=PDF).document
    services.profile_ensure(actor=officer, partner_id=draft.pk)
    before = _state(draft)
    with pytest.raises(InvalidInput) as exc:
        services.answer_save(
            actor=officer,
            partner_id=draft.pk,
            criterion_code="6.2",
            status="implemented",
            evidence_ids=[doc.pk],
        )
    assert exc.value.field == "evidence"
    assert _state(draft) == before


def test_submit_lists_every_missing_must_then_freezes_a_snapshot(officer, draft):
    services.profile_ensure(actor=officer, partner_id=draft.pk)
    with pytest.raises(InvalidInput) as exc:
        services.profile_submit(actor=officer, partner_id=draft.pk)
    profile = selectors.current_profile(draft)
    must_count = selectors.completeness(profile).overall.must_total
    assert len(exc.value.errors) == must_count
    assert ProfileSnapshot.objects.count() == 0
    answer_all(officer, draft)
    snapshot = services.profile_submit(actor=officer, partner_id=draft.pk)
    assert snapshot.revision == 1
    assert snapshot.data["catalog"]["version"] == "2026.1"
    assert len(snapshot.data["answers"]) == selectors.completeness(profile).overall.total
    with pytest.raises(Conflict):
        services.profile_submit(actor=officer, partner_id=draft.pk)
    # A later edit starts revision 2 and leaves the snapshot untouched.
    frozen = json.dumps(snapshot.data, sort_keys=True)
    services.answer_save(
        actor=officer,
        partner_id=draft.pk,
        criterion_code="6.2",
        status="partially_implemented",
        narrative="Moving to new seals.",
        action_plan={"owner": "Pat", "due_date": "2027-03-01", "steps": "Buy ISO seals."},
    )
    profile.refresh_from_db()
    assert (profile.state, profile.revision) == ("draft", 2)
    snapshot.refresh_from_db()
    assert json.dumps(snapshot.data, sort_keys=True) == frozen
    changes = selectors.diff_snapshots(snapshot.data, services.build_snapshot_data(profile))
    assert {(c.code, c.field) for c in changes} == {
        ("6.2", "status"),
        ("6.2", "narrative"),
        ("6.2", "action_plan"),
    }


def test_a_gap_needs_an_action_plan_before_submission(officer, draft):
    answer_all(officer, draft)
    services.answer_save(actor=officer, partner_id=draft.pk, criterion_code="6.2", status="not_implemented")
    with pytest.raises(InvalidInput) as exc:
        services.profile_submit(actor=officer, partner_id=draft.pk)
    assert [e["field"] for e in exc.value.errors] == ["answers.6.2"]
    assert "action plan" in exc.value.errors[0]["message"]


@pytest.mark.parametrize("role", ["consultant", "contributor", "company_admin"])
def test_only_an_officer_submits_the_profile(officer, draft, user_factory, role):
    helper = user_factory(f"{role}@help.example")
    partner_services.membership_add(actor=officer, partner_id=draft.pk, email=helper.email, role=role)
    answer_all(helper, draft)
    with pytest.raises(Forbidden):
        services.profile_submit(actor=helper, partner_id=draft.pk)
    assert ProfileSnapshot.objects.count() == 0


def test_bulk_save_is_all_or_nothing(officer, draft):
    services.profile_ensure(actor=officer, partner_id=draft.pk)
    before = _state(draft)
    items = [services.AnswerInput("6.2", "implemented"), services.AnswerInput("1.1", "not_applicable")]
    with pytest.raises(InvalidInput) as exc:
        services.answers_bulk_save(actor=officer, partner_id=draft.pk, items=items)
    assert exc.value.errors[0]["field"] == "answers[1].justification"
    assert _state(draft) == before


def test_profile_is_locked_while_the_application_is_reviewed(officer, user_factory):
    from greenlane.partners.tests.factories import submitted_importer

    partner = submitted_importer(officer)
    with pytest.raises(Conflict):
        services.answer_save(
            actor=officer, partner_id=partner.pk, criterion_code="6.2", status="not_implemented"
        )


def test_foreign_partner_profile_is_not_found(officer, draft, user_factory):
    stranger = user_factory("stranger@else.example")
    with pytest.raises(NotFound):
        services.profile_ensure(actor=stranger, partner_id=draft.pk)
    with pytest.raises(NotFound):
        services.answer_save(actor=stranger, partner_id=draft.pk, criterion_code="6.2", status="implemented")


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "ok"),
    [
        ("policy.pdf", PDF, True),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, True),
        ("procedure.docx", _docx(), True),
        ("partners.csv", b"name,country\nAcme,US\n", True),
        ("policy.pdf", b"MZ\x90\x00 this is an exe", False),
        ("photo.png", PDF, False),
        ("procedure.docx", b"PK\x03\x04not really a zip", False),
        ("script.exe", b"MZ", False),
        ("empty.pdf", b"", False),
    ],
)
def test_uploads_are_judged_by_content(officer, draft, name, data, ok):
    before = (EvidenceDocument.objects.count(), EvidenceFile.objects.count(), AuditEvent.objects.count())
    if ok:
        record = services.evidence_upload(actor=officer, partner_id=draft.pk, filename=name, data=data)
        assert record.file.name.startswith(f"evidence/{draft.pk}/")
        assert name not in record.file.name  # never the client's file name on disk
        assert default_storage.exists(record.file.name)
    else:
        with pytest.raises(InvalidInput) as exc:
            services.evidence_upload(actor=officer, partner_id=draft.pk, filename=name, data=data)
        assert exc.value.field == "file"
        assert (
            EvidenceDocument.objects.count(),
            EvidenceFile.objects.count(),
            AuditEvent.objects.count(),
        ) == before


def test_oversized_upload_is_refused_with_the_limit(officer, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(InvalidInput) as exc:
        services.evidence_upload(
            actor=officer, partner_id=draft.pk, filename="big.pdf", data=PDF + b"0" * 2000
        )
    assert "limit" in exc.value.message
    assert EvidenceFile.objects.count() == 0


def test_new_versions_and_validity_window(officer, draft):
    import datetime as dt

    first = services.evidence_upload(
        actor=officer,
        partner_id=draft.pk,
        filename="p.pdf",
        data=PDF,
        title="Seal policy",
        effective_date=dt.date(2026, 1, 1),
        expiry_date=dt.date(2026, 12, 31),
    )
    second = services.evidence_upload(
        actor=officer, partner_id=draft.pk, filename="p2.pdf", data=PDF + b"v2", document_id=first.document.pk
    )
    assert (first.version, second.version) == (1, 2)
    doc = first.document
    assert selectors.evidence_status(doc, dt.date(2026, 12, 15)) == "expiring"
    assert selectors.evidence_status(doc, dt.date(2027, 1, 2)) == "expired"
    assert selectors.evidence_status(doc, dt.date(2026, 6, 1)) == "valid"
    with pytest.raises(InvalidInput):
        services.evidence_upload(
            actor=officer,
            partner_id=draft.pk,
            filename="p.pdf",
            data=PDF,
            effective_date=dt.date(2026, 5, 1),
            expiry_date=dt.date(2026, 4, 1),
        )
