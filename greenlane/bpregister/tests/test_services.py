import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone

from greenlane.audit.models import AuditEvent
from greenlane.bpregister import csv_import, selectors, services
from greenlane.bpregister.models import Questionnaire, Reevaluation, RegisterAudit, RegisterEntry
from greenlane.core.errors import Conflict, InvalidInput, NotFound
from greenlane.mra import services as mra_services
from greenlane.mra.tests.support import certified, enrolled, sample
from greenlane.svi import services as svi_services

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _entry(actor, owner, **kw):
    data = {"name": "Bajío Trucking", "partner_type": "highway_carrier", "country": "MX", **kw}
    return services.entry_create(actor=actor, partner_id=owner.pk, data=services.EntryInput(**data))


def test_create_normalises_and_schedules_review_and_audits(officer, member):
    entry = _entry(officer, member, id_type="rfc", id_value="btr-850101-ab1")
    assert entry.id_value == "BTR850101AB1"
    assert entry.next_review_due == timezone.localdate() + dt.timedelta(days=365)
    assert AuditEvent.objects.filter(action="bpregister.entry_create", partner=member).count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": ""}, "name"),
        ({"partner_type": "pirate"}, "partner_type"),
        ({"country": "ZZ"}, "country"),
        ({"id_type": "eori", "id_value": "US123"}, "id_value"),
        ({"id_value": "123"}, "id_type"),
        ({"id_type": "nope", "id_value": "1"}, "id_type"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(officer, member, kw, field):
    with pytest.raises(InvalidInput) as exc:
        _entry(officer, member, **kw)
    assert exc.value.field == field
    assert RegisterEntry.objects.count() == 0


def test_duplicate_identifier_refused(officer, member):
    _entry(officer, member, id_type="eori", id_value="DE1234567")
    with pytest.raises(InvalidInput):
        _entry(officer, member, name="Other", id_type="eori", id_value="de 1234567")
    assert RegisterEntry.objects.count() == 1


def test_tenancy_another_company_and_staff_get_not_found(officer, member, user_factory, staff):
    entry = _entry(officer, member)
    stranger = user_factory("stranger@x.example")
    other = certified(stranger)
    for actor, pid in ((stranger, member.pk), (staff["program_manager"], member.pk), (stranger, other.pk)):
        with pytest.raises(NotFound):
            services.entry_update(
                actor=actor, partner_id=pid, entry_id=entry.pk, data=services.EntryInput("X", "packer", "US")
            )
    entry.refresh_from_db()
    assert entry.name == "Bajío Trucking"


def test_linked_member_status_comes_from_the_svi(officer, member, user_factory):
    carrier_officer = user_factory("carrier@x.example")
    carrier = certified(carrier_officer, name="Linked Carrier")
    ior = carrier.identifiers.get(type="ior").value
    entry = _entry(
        officer, member, name="Linked", partner_type="importer", country="US", id_type="ior", id_value=ior
    )
    assert entry.linked_partner_id == carrier.pk
    view = selectors.entry_view(officer, member.pk, entry.pk)
    assert view.member is not None and view.member.status == "not participating"
    svi_services.svi_join(actor=carrier_officer, partner_id=carrier.pk)
    view = selectors.entry_view(officer, member.pk, entry.pk)
    assert view.member.status == "certified" and view.member.tier is None
    assert "ctpat_certified" in [r.code for r in view.rating.reasons]


def test_foreign_status_fills_in_for_eori(officer, member, staff):
    mra_services.status_import(
        actor=staff["program_manager"], program_code="eu_aeo", stream=sample("eu_aeo.csv"), file_name="eu.csv"
    )
    entry = _entry(
        officer,
        member,
        name="Rheinwerk",
        partner_type="third_party_logistics",
        country="DE",
        id_type="eori",
        id_value="DE1234567890123",
    )
    view = selectors.entry_view(officer, member.pk, entry.pk)
    assert view.foreign.program_code == "eu_aeo" and view.foreign.status == "active"
    assert view.rating.level == "low"


def test_audit_record_with_file_and_refusals(officer, member):
    entry = _entry(officer, member)
    audit = services.audit_record(
        actor=officer,
        partner_id=member.pk,
        entry_id=entry.pk,
        date=timezone.localdate(),
        kind="site_visit",
        result="findings",
        notes="Seal log gaps",
        file_name="visit.png",
        file_data=PNG,
    )
    assert audit.file_name == "visit.png" and audit.file
    for kw, field in (
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "date"),
        ({"kind": "x"}, "kind"),
        ({"result": "meh"}, "result"),
        ({"file_name": "x.exe", "file_data": b"MZ"}, "file"),
    ):
        args = {"date": timezone.localdate(), "kind": "site_visit", "result": "passed", **kw}
        with pytest.raises(InvalidInput) as exc:
            services.audit_record(actor=officer, partner_id=member.pk, entry_id=entry.pk, **args)
        assert exc.value.field == field
    assert RegisterAudit.objects.count() == 1
    view = selectors.entry_view(officer, member.pk, entry.pk)
    assert "audit_findings" in [r.code for r in view.rating.reasons]


def test_reevaluation_snapshots_risk_and_sets_next_due(officer, member):
    entry = _entry(officer, member)
    later = timezone.localdate() + dt.timedelta(days=400)
    assert [e.pk for e in selectors.overdue(officer, member.pk, today=later)] == [entry.pk]
    r = services.entry_reevaluate(
        actor=officer, partner_id=member.pk, entry_id=entry.pk, notes="ok", today=later
    )
    assert r.next_due == later + dt.timedelta(days=365)
    assert "reevaluation_overdue" in [x["code"] for x in r.reasons]
    entry.refresh_from_db()
    assert entry.next_review_due == r.next_due
    assert selectors.overdue(officer, member.pk, today=later) == []
    assert AuditEvent.objects.filter(action="bpregister.reevaluate").count() == 1


def test_questionnaire_send_answer_once(officer, member, django_capture_on_commit_callbacks):
    entry = _entry(officer, member)
    with django_capture_on_commit_callbacks(execute=True):
        q, token = services.questionnaire_send(
            actor=officer, partner_id=member.pk, entry_id=entry.pk, email="ops@bajio.example"
        )
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert {x["id"] for x in q.questions} >= {"seals", "sec_officer"}
    answers = {x["id"]: "yes" for x in q.questions} | {"seals": "no"}
    services.questionnaire_answer(token=token, data=services.AnswerInput("Ana Ruiz", answers))
    q.refresh_from_db()
    assert q.answered_at and q.answers["seals"]["answer"] == "no"
    with pytest.raises(services.QuestionnaireClosed, match="already answered"):
        services.questionnaire_answer(token=token, data=services.AnswerInput("Again", answers))
    view = selectors.entry_view(officer, member.pk, entry.pk)
    assert "questionnaire_gaps" in [r.code for r in view.rating.reasons]


def test_questionnaire_expired_or_unknown_refused(officer, member):
    entry = _entry(officer, member)
    q, token = services.questionnaire_send(
        actor=officer, partner_id=member.pk, entry_id=entry.pk, email="a@b.example"
    )
    later = timezone.now() + dt.timedelta(days=31)
    with pytest.raises(services.QuestionnaireClosed, match="expired"):
        services.questionnaire_answer(token=token, data=services.AnswerInput("X", {}), now=later)
    with pytest.raises(services.QuestionnaireClosed, match="not valid"):
        services.questionnaire_answer(token="nope", data=services.AnswerInput("X", {}))
    q.refresh_from_db()
    assert q.answered_at is None


def test_questionnaire_incomplete_answers_refused(officer, member):
    entry = _entry(officer, member)
    q, token = services.questionnaire_send(
        actor=officer, partner_id=member.pk, entry_id=entry.pk, email="a@b.example"
    )
    with pytest.raises(InvalidInput):
        services.questionnaire_answer(token=token, data=services.AnswerInput("X", {"sec_officer": "maybe"}))
    q.refresh_from_db()
    assert q.answered_at is None


def test_questionnaire_refused_for_certified_member_and_bad_email(officer, member, user_factory):
    other_officer = user_factory("o2@x.example")
    other = certified(other_officer)
    svi_services.svi_join(actor=other_officer, partner_id=other.pk)
    ior = other.identifiers.get(type="ior").value
    entry = _entry(officer, member, partner_type="importer", country="US", id_type="ior", id_value=ior)
    with pytest.raises(Conflict):
        services.questionnaire_send(
            actor=officer, partner_id=member.pk, entry_id=entry.pk, email="a@b.example"
        )
    with pytest.raises(InvalidInput):
        services.questionnaire_send(actor=officer, partner_id=member.pk, entry_id=entry.pk, email="nope")
    assert Questionnaire.objects.count() == 0


def test_delete_entry_audited(officer, member):
    entry = _entry(officer, member)
    services.entry_delete(actor=officer, partner_id=member.pk, entry_id=entry.pk, reason="no longer used")
    assert RegisterEntry.objects.count() == 0
    assert AuditEvent.objects.filter(action="bpregister.entry_delete", reason="no longer used").count() == 1


def test_csv_import_good_rows_bad_rows_and_reimport(officer, member):
    content = (
        b"name,partner_type,country,id_type,id_value,contact_email\n"
        b"Norte Packers,packer,MX,,,\n"
        b"Rhein GmbH,third_party_logistics,DE,eori,DE1234567,ops@rhein.example\n"
        b",packer,MX,,,\n"
        b"Bad Country,packer,QQ,,,\n"
        b"Bad Eori,packer,DE,eori,US1,\n"
    )
    report = csv_import.entries_import(
        actor=officer, partner_id=member.pk, stream=io.BytesIO(content), file_name="p.csv"
    )
    assert (report.rows, len(report.created), len(report.errors)) == (5, 2, 3)
    assert {(e["line"], e["field"]) for e in report.errors} == {(4, "name"), (5, "country"), (6, "id_value")}
    again = csv_import.entries_import(
        actor=officer, partner_id=member.pk, stream=io.BytesIO(content), file_name="p.csv"
    )
    assert len(again.created) == 0 and len(again.skipped) == 2
    assert RegisterEntry.objects.count() == 2


def test_csv_import_bad_header(officer, member):
    with pytest.raises(InvalidInput, match="missing: partner_type, country"):
        csv_import.entries_import(actor=officer, partner_id=member.pk, stream=io.BytesIO(b"name\nX\n"))


def test_register_list_query_count_is_constant(officer, member, django_assert_max_num_queries):
    for i in range(15):
        e = _entry(officer, member, name=f"Partner {i:02d}", id_type="eori", id_value=f"DE{1000 + i}")
        services.audit_record(
            actor=officer,
            partner_id=member.pk,
            entry_id=e.pk,
            date=timezone.localdate(),
            kind="document_review",
            result="passed",
        )
    with django_assert_max_num_queries(9):
        page = selectors.entries(officer, member.pk, selectors.EntryFilter(), limit=25, offset=0)
    assert page.count == 15 and len(page.items) == 15


def test_risk_filter(officer, member):
    _entry(officer, member, name="High", country="MX")
    page = selectors.entries(officer, member.pk, selectors.EntryFilter(risk_level="low"), limit=25, offset=0)
    assert page.count == 0
    assert isinstance(Reevaluation.objects.count(), int)


def test_draft_company_may_keep_a_register(user_factory):
    officer = user_factory("d@x.example")
    draft = enrolled(officer)
    _entry(officer, draft)
    assert RegisterEntry.objects.filter(owner=draft).count() == 1
