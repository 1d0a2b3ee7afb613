"""Threat assessments: only the audience finds, counts or opens them; outsiders get 404 everywhere."""

import json

import pytest

from conftest import bearer, verified_client
from greenlane.audit.models import AuditEvent
from greenlane.comms import services
from greenlane.comms.models import AssessmentAccess, ThreatAssessment
from greenlane.comms.selectors import assessments as selectors
from greenlane.core.errors import Forbidden, InvalidInput, NotFound, TransitionRefused

pytestmark = pytest.mark.django_db

SECRET = "Zebra-Quartz concealment pattern"


def write(actor, **kw):
    data = {
        "title": SECRET,
        "summary": "Sanitized summary",
        "body": "Body text.",
        "marking": "members-only",
        "staff_roles": ["intelligence_analyst", "scs"],
        **kw,
    }
    return services.assessment_create(actor=actor, data=services.AssessmentInput(**data))


def published(actor, **kw):
    a = write(actor, **kw)
    return services.assessment_publish(actor=actor, assessment_id=a.pk)


def test_audience_by_role_partner_and_type(world):
    analyst = world["staff"]["intelligence_analyst"]
    a = published(analyst, staff_roles=["scs"], partner_ids=[world["a"].pk])
    s = world["staff"]
    assert selectors.assessment_for(s["scs"], a.pk) == a
    assert selectors.assessment_for(analyst, a.pk) == a  # the author
    assert selectors.assessment_for(world["officer_a"], a.pk) == a
    assert selectors.assessment_for(world["contributor_a"], a.pk) == a
    for outsider in (s["program_manager"], s["auditor"], s["system_admin"], world["officer_b"]):
        with pytest.raises(NotFound):
            selectors.assessment_for(outsider, a.pk)
    by_type = published(analyst, staff_roles=[], entity_types=["importer"], title="By type")
    assert selectors.assessment_for(world["officer_b"], by_type.pk) == by_type
    with pytest.raises(NotFound):
        selectors.assessment_for(s["scs"], by_type.pk)


def test_drafts_only_for_their_author(world):
    analyst = world["staff"]["intelligence_analyst"]
    a = write(analyst)
    assert selectors.assessment_for(analyst, a.pk) == a
    with pytest.raises(NotFound):
        selectors.assessment_for(world["staff"]["scs"], a.pk)


def test_withdrawn_leaves_the_audience(world):
    analyst = world["staff"]["intelligence_analyst"]
    a = published(analyst)
    services.assessment_withdraw(actor=analyst, assessment_id=a.pk, reason="Outdated")
    with pytest.raises(NotFound):
        selectors.assessment_for(world["staff"]["scs"], a.pk)
    with pytest.raises(TransitionRefused):
        services.assessment_publish(actor=analyst, assessment_id=a.pk)


def test_public_marking_open_to_everyone(world):
    a = published(world["staff"]["intelligence_analyst"], marking="public", staff_roles=[])
    assert selectors.assessment_for(world["officer_b"], a.pk) == a
    assert selectors.assessment_for(world["staff"]["auditor"], a.pk) == a


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"marking": "law-enforcement-sensitive", "partner_ids": "A"}, "marking"),
        ({"marking": "law-enforcement-sensitive", "entity_types": ["importer"]}, "marking"),
        ({"marking": "restricted", "entity_types": ["importer"]}, "entity_types"),
        ({"marking": "secret-squirrel"}, "marking"),
        ({"staff_roles": []}, "staff_roles"),
        ({"staff_roles": ["wizard"]}, "staff_roles"),
        ({"entity_types": ["spaceship"]}, "entity_types"),
        ({"partner_ids": [999999]}, "partner_ids"),
        ({"title": ""}, "title"),
        ({"body": " "}, "body"),
    ],
)
def test_bad_assessment_refused(world, kw, field):
    if kw.get("partner_ids") == "A":
        kw = {**kw, "partner_ids": [world["a"].pk]}
    with pytest.raises(InvalidInput) as exc:
        write(world["staff"]["intelligence_analyst"], **kw)
    assert field in {e["field"] for e in exc.value.errors}
    assert not ThreatAssessment.objects.exists()


@pytest.mark.parametrize("role", ["scs", "supervisory_scs", "vetting_officer", "auditor", "system_admin"])
def test_only_assessors_write(world, role):
    with pytest.raises(Forbidden):
        write(world["staff"][role])
    assert not ThreatAssessment.objects.exists()


def test_opening_is_logged_and_log_for_assessors_in_audience(world):
    analyst = world["staff"]["intelligence_analyst"]
    a = published(analyst, staff_roles=["scs", "program_manager"])
    client = verified_client(world["staff"]["scs"])
    assert client.get(f"/intel/{a.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 200
    api = verified_client(world["staff"]["scs"])
    assert (
        api.get(f"/api/v1/comms/threat-assessments/{a.pk}", **bearer(world["staff"]["scs"])).status_code
        == 200
    )
    log = list(AssessmentAccess.objects.filter(assessment=a).order_by("id"))
    assert [(e.user.email, e.via) for e in log] == [("scs@cbp.example", "web"), ("scs@cbp.example", "api")]
    assert log[0].ip == "10.1.2.3"
    # The SCS reads but does not see the log; the program manager (an assessor in the audience) does.
    assert client.get(f"/intel/{a.pk}/access-log/").status_code == 404
    pm = verified_client(world["staff"]["program_manager"])
    page = pm.get(f"/intel/{a.pk}/access-log/")
    assert page.status_code == 200 and b"scs@cbp.example" in page.content and b"10.1.2.3" in page.content
    assert verified_client(analyst).get(f"/intel/{a.pk}/access-log/").status_code == 200


def test_nothing_leaks_to_outsiders(world):
    """List, search, count, API list, API search, detail, log, dashboard, audit summary: no title, 404."""
    analyst = world["staff"]["intelligence_analyst"]
    a = published(analyst, staff_roles=["scs"], partner_ids=[world["a"].pk])
    outsiders = [world["officer_b"], world["staff"]["auditor"], world["staff"]["vetting_officer"]]
    for user in outsiders:
        web = verified_client(user)
        for url in ("/intel/", f"/intel/?q={SECRET[:5]}", "/intel/?q=Zebra&marking=members-only"):
            page = web.get(url)
            assert page.status_code == 200
            assert SECRET.encode() not in page.content
        for url in (f"/intel/{a.pk}/", f"/intel/{a.pk}/access-log/"):
            assert web.get(url).status_code == 404
        headers = bearer(user)
        listing = web.get("/api/v1/comms/threat-assessments", **headers)
        assert listing.status_code == 200 and listing.json()["count"] == 0
        assert SECRET not in json.dumps(listing.json())
        found = web.get("/api/v1/comms/threat-assessments?q=Zebra", **headers)
        assert found.json() == {"items": [], "count": 0, "limit": 25, "offset": 0}
        assert web.get(f"/api/v1/comms/threat-assessments/{a.pk}", **headers).status_code == 404
        assert web.get(f"/api/v1/comms/threat-assessments/{a.pk}/access-log", **headers).status_code == 404
        assert selectors.assessments_page(user, q="Zebra").count == 0
    # The company dashboard panel and the member bulletin pages carry no assessment titles either.
    from django.template.loader import render_to_string

    from greenlane.comms.selectors.dashboard import dashboard_context

    html = render_to_string(
        "comms/includes/dashboard_panel.html", dashboard_context(world["officer_b"], world["b"])
    )
    assert SECRET not in html
    # The audit log, read by every staff role, names the assessment by number only.
    assert not AuditEvent.objects.filter(action="assessment.publish", summary__contains=SECRET).exists()
    # The audience does find it.
    insider = verified_client(world["officer_a"])
    assert SECRET.encode() in insider.get("/intel/?q=Zebra").content
    assert insider.get("/api/v1/comms/threat-assessments", **bearer(world["officer_a"])).json()["count"] == 1


def test_other_assessor_cannot_publish_a_draft_it_cannot_see(world):
    a = write(world["staff"]["intelligence_analyst"])
    with pytest.raises(NotFound):
        services.assessment_publish(actor=world["staff"]["program_manager"], assessment_id=a.pk)
    a.refresh_from_db()
    assert a.status == "draft"
