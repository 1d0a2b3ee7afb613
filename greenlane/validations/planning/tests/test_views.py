"""Staff pages: plans, plan (compare, accept, adjust, log), weights, a partner's score."""

from __future__ import annotations

from django.urls import reverse

from conftest import verified_client
from greenlane.validations.planning.models import PlanAdjustment, PlanEntry, SelectionWeights


def test_plans_page_and_compute(manager, members, scs, django_capture_on_commit_callbacks):
    c = verified_client(manager)
    r = c.get(reverse("planning:plans"))
    assert r.status_code == 200 and b"No plan yet" in r.content
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse("planning:compute"),
            {
                "year": 2031,
                "time_limit": 2,
                "oversight_sample": 0,
                "sector_minimum": 1,
                "cross_office_share": 0,
            },
        )
    assert r.status_code == 302
    r = c.get(r["Location"])
    assert r.status_code == 200 and b"Optimised and greedy plans compared" in r.content
    assert b"Accept the optimised plan" in r.content


def test_compute_bad_input_shows_errors(manager):
    r = verified_client(manager).post(
        reverse("planning:compute"),
        {"year": 1200, "time_limit": 2, "oversight_sample": 0, "sector_minimum": 0, "cross_office_share": 0},
    )
    assert r.status_code == 200 and b"usa-alert--error" in r.content


def test_plan_page_accept_adjust_log(computed, manager, scs2):
    c = verified_client(manager)
    r = c.post(reverse("planning:accept", args=[computed.pk]), {"method": "optimised"})
    assert r.status_code == 302
    entry = PlanEntry.objects.filter(plan=computed).first()
    url = reverse("planning:adjust", args=[entry.pk])
    assert c.get(url).status_code == 200
    month = 5 if entry.month != 5 else 6
    r = c.post(url, {"specialist": str(scs2.pk), "month": month, "reason": "Closer to the site"})
    assert r.status_code == 302
    assert PlanAdjustment.objects.count() == 1
    r = c.get(reverse("planning:plan", args=[computed.pk]))
    assert b"Closer to the site" in r.content and b"Open validations" in r.content


def test_adjust_beyond_capacity_without_reason_shows_the_error(computed, manager, scs2):
    from greenlane.validations.planning import services

    services.plan_accept(actor=manager, plan_id=computed.pk, method="optimised")
    services.availability_set(actor=manager, specialist_id=scs2.pk, year=computed.year, month=2, hours=0)
    entry = PlanEntry.objects.filter(plan=computed).exclude(specialist=scs2, month=2).first()
    r = verified_client(manager).post(
        reverse("planning:adjust", args=[entry.pk]), {"specialist": str(scs2.pk), "month": 2, "reason": ""}
    )
    assert r.status_code == 200 and b"beyond capacity" in r.content
    assert PlanAdjustment.objects.count() == 0


def test_specialist_reads_but_cannot_plan(computed, scs):
    c = verified_client(scs)
    r = c.get(reverse("planning:plan", args=[computed.pk]))
    assert r.status_code == 200 and b"Accept the optimised plan" not in r.content
    assert c.post(reverse("planning:accept", args=[computed.pk]), {"method": "optimised"}).status_code == 302
    computed.refresh_from_db()
    assert computed.status == "draft"


def test_weights_page(manager, scs):
    c = verified_client(manager)
    assert c.get(reverse("planning:weights")).status_code == 200
    data = {
        "regional_threat": 30,
        "anomalies": 20,
        "import_value": 10,
        "import_volume": 5,
        "fast": 5,
        "time_since_validation": 15,
        "legal_due": 25,
        "sector": 0,
        "reason": "Threat up",
    }
    assert c.post(reverse("planning:weights"), data).status_code == 302
    assert SelectionWeights.objects.get().data["regional_threat"] == 30
    r = c.post(reverse("planning:weights"), {**data, "fast": 900})
    assert r.status_code == 200 and SelectionWeights.objects.count() == 1
    r = verified_client(scs).post(reverse("planning:weights"), data)
    assert r.status_code == 403 and SelectionWeights.objects.count() == 1


def test_score_page(members, scs, officer):
    url = reverse("planning:score", args=[members[0].pk])
    r = verified_client(scs).get(url)
    assert r.status_code == 200 and b"input absent" in r.content
    assert verified_client(officer).get(url).status_code == 404
    assert verified_client(scs).get(reverse("planning:score", args=[999999])).status_code == 404


def test_plan_page_queries_do_not_grow_with_entries(computed, manager, django_assert_max_num_queries):
    c = verified_client(manager)
    url = reverse("planning:plan", args=[computed.pk])
    c.get(url)
    with django_assert_max_num_queries(20):
        c.get(url)
