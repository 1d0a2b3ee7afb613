import csv
import io
import json

import pytest
from django.core.management import call_command

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, NotFound
from greenlane.mra import exports, services
from greenlane.mra.models import MraConsent
from greenlane.partners.models import Membership

from .support import certified, enrolled

pytestmark = pytest.mark.django_db


def test_officer_grants_and_withdraws_consent_audited(officer):
    partner = certified(officer)
    services.consent_grant(actor=officer, partner_id=partner.pk, program_code="eu_aeo")
    consent = MraConsent.objects.get(partner=partner)
    assert consent.active
    services.consent_withdraw(actor=officer, partner_id=partner.pk, program_code="eu_aeo", reason="no")
    consent.refresh_from_db()
    assert not consent.active
    actions = list(
        AuditEvent.objects.filter(partner=partner, action__startswith="mra.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["mra.consent_grant", "mra.consent_withdraw"]
    services.consent_grant(actor=officer, partner_id=partner.pk, program_code="eu_aeo")
    assert MraConsent.objects.get(partner=partner).active


def test_consent_twice_is_a_conflict(officer):
    partner = certified(officer)
    services.consent_grant(actor=officer, partner_id=partner.pk, program_code="ca_pip")
    with pytest.raises(Conflict):
        services.consent_grant(actor=officer, partner_id=partner.pk, program_code="ca_pip")
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=officer, partner_id=partner.pk, program_code="mx_oea")
    assert MraConsent.objects.count() == 1


def test_only_the_officer_consents_and_foreign_company_is_not_found(officer, user_factory, staff):
    partner = certified(officer)
    admin = user_factory("admin@mra.example")
    Membership.objects.create(user=admin, partner=partner, role="company_admin")
    with pytest.raises(Forbidden):
        services.consent_grant(actor=admin, partner_id=partner.pk, program_code="eu_aeo")
    stranger = user_factory("stranger@other.example")
    with pytest.raises(NotFound):
        services.consent_grant(actor=stranger, partner_id=partner.pk, program_code="eu_aeo")
    with pytest.raises(Forbidden):
        services.consent_grant(actor=staff["program_manager"], partner_id=partner.pk, program_code="eu_aeo")
    assert MraConsent.objects.count() == 0


def test_export_lists_only_consenting_members_in_exchanged_states(officer, manager):
    a = certified(officer, name="Alpha Imports")
    b = certified(officer, name="Bravo Imports")
    c = enrolled(officer, name="Charlie Draft")
    certified(officer, name="Delta No Consent")
    for p in (a, b, c):
        services.consent_grant(actor=officer, partner_id=p.pk, program_code="eu_aeo")
    services.consent_withdraw(actor=officer, partner_id=b.pk, program_code="eu_aeo")
    name, content, n = exports.status_export(actor=manager, program_code="eu_aeo", file_format="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert n == 1 and [r["name"] for r in rows] == ["Alpha Imports"]
    assert rows[0]["program_id"] == a.reference and rows[0]["status"] == "active"
    assert name.startswith("ctpat-eu_aeo-") and name.endswith(".csv")
    _name, content, _n = exports.status_export(actor=manager, program_code="eu_aeo", file_format="json")
    doc = json.loads(content)
    assert doc["program"] == "eu_aeo" and doc["members"][0]["name"] == "Alpha Imports"
    assert AuditEvent.objects.filter(action="mra.export").count() == 2


def test_export_refusals(staff, manager):
    with pytest.raises(Forbidden):
        exports.status_export(actor=staff["auditor"], program_code="eu_aeo")
    with pytest.raises(Exception, match="csv or json"):
        exports.status_export(actor=manager, program_code="eu_aeo", file_format="xml")
    assert not AuditEvent.objects.filter(action="mra.export").exists()


def test_export_query_count_is_constant(officer, manager, django_assert_max_num_queries):
    for i in range(6):
        p = certified(officer, name=f"Member {i}")
        services.consent_grant(actor=officer, partner_id=p.pk, program_code="ca_pip")
    with django_assert_max_num_queries(6):
        exports.status_export(actor=manager, program_code="ca_pip")


def test_export_command_writes_file(officer, tmp_path):
    p = certified(officer, name="Echo Imports")
    services.consent_grant(actor=officer, partner_id=p.pk, program_code="mx_oea")
    out = tmp_path / "mx.json"
    call_command("mra", "export", "mx_oea", "--format", "json", "--out", str(out), stderr=io.StringIO())
    assert json.loads(out.read_text())["members"][0]["name"] == "Echo Imports"
