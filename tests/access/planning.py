"""Access rows for validation planning: staff read; program managers (and the system administrator) compute,
accept and adjust plans and edit the weights; supervisors and program managers open a month's validations.
Plans belong to no company, so their ids are the same in the own and foreign dicts."""

from __future__ import annotations

from tests.test_access_matrix import STAFF_API, STAFF_PAGE, api, page

GROUPS = {"starters": ["supervisory_scs", "program_manager"]}
STAFF_POST = "staff=302 trade=404 anon=302"
PLANNER_POST = "staff=403 editors=302 trade=404 anon=302"
PLANNER_API = "staff=403 editors=200 trade=404 anon=401"
COMPUTE = {"year": 2031, "time_limit": 1, "oversight_sample": 0, "sector_minimum": 0, "cross_office_share": 0}
WEIGHTS_FORM = {
    "regional_threat": 20,
    "anomalies": 20,
    "import_value": 10,
    "import_volume": 5,
    "fast": 5,
    "time_since_validation": 15,
    "legal_due": 25,
    "sector": 0,
    "reason": "matrix",
}
R = "/staff/validation-plans/"


def build(ctx):
    from greenlane.validations.planning import services
    from greenlane.validations.planning.models import PlanEntry

    manager = ctx.staff["program_manager"]
    plans = []
    for _ in range(2):
        plan = services.plan_compute(
            actor=manager, year=2031, time_limit=1, oversight_sample=0, sector_minimum=0
        )
        plans.append(services.plan_run(plan_id=plan.pk))
    draft, accepted = plans
    services.plan_accept(actor=manager, plan_id=accepted.pk, method="optimised")
    entry = PlanEntry.objects.filter(plan=accepted).order_by("id").first()
    assert entry is not None, "the matrix's certified companies should be in the plan"
    spec = ctx.staff["scs"]
    month = 12 if entry.month != 12 else 11
    values = {
        "plan_draft": draft.pk,
        "plan_acc": accepted.pk,
        "plan_entry": entry.pk,
        "plan_spec": spec.pk,
        "plan_month": month,
    }
    return values, values


def _adjust_form(world, v) -> dict:
    return {"specialist": str(v["plan_spec"]), "month": v["plan_month"], "reason": "matrix"}


def _adjust_api(world, v) -> dict:
    return {
        "entry_id": v["plan_entry"],
        "specialist_id": v["plan_spec"],
        "month": v["plan_month"],
        "reason": "matrix",
    }


ROWS = [
    page("GET", R, STAFF_PAGE, scoped=False),
    page("POST", R + "compute/", PLANNER_POST, scoped=False, body=COMPUTE),
    page("GET", R + "weights/", STAFF_PAGE, scoped=False),
    page("POST", R + "weights/", PLANNER_POST, scoped=False, body=WEIGHTS_FORM),
    page("GET", R + "availability/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        R + "availability/",
        "staff=403 assigners=302 trade=404 anon=302",
        scoped=False,
        body=lambda w, v: {"year": 2031, f"h-{v['plan_spec']}-1": "100", "reason": "matrix"},
    ),
    page("GET", R + "{plan_draft}/", STAFF_PAGE, scoped=False),
    page("GET", R + "{plan_acc}/", STAFF_PAGE, scoped=False),
    page("POST", R + "{plan_draft}/accept/", STAFF_POST, scoped=False, body={"method": "optimised"}),
    page("POST", R + "{plan_acc}/start-month/", STAFF_POST, scoped=False, body={"month": "12"}),
    page("GET", R + "entries/{plan_entry}/adjust/", STAFF_PAGE, scoped=False),
    page("POST", R + "entries/{plan_entry}/adjust/", PLANNER_POST, scoped=False, body=_adjust_form),
    page("GET", R + "partners/{pid}/score/", STAFF_PAGE, target="M"),
    api("GET", "/validation-plans", STAFF_API, scoped=False),
    api("POST", "/validation-plans", "staff=403 editors=202 trade=404 anon=401", scoped=False, body=COMPUTE),
    api("GET", "/validation-plans/weights", STAFF_API, scoped=False),
    api(
        "PUT",
        "/validation-plans/weights",
        PLANNER_API,
        scoped=False,
        body={"weights": {"fast": 5}, "reason": "matrix"},
    ),
    api("GET", "/validation-plans/scores/{pid}", STAFF_API, target="M"),
    api("GET", "/validation-plans/availability", STAFF_API, scoped=False),
    api(
        "PUT",
        "/validation-plans/availability",
        "staff=403 assigners=200 trade=404 anon=401",
        scoped=False,
        body=lambda w, v: {
            "year": 2031,
            "changes": [{"specialist_id": v["plan_spec"], "month": 1, "hours": 100}],
            "reason": "matrix",
        },
    ),
    api("GET", "/validation-plans/{plan_acc}", STAFF_API, scoped=False),
    api(
        "POST", "/validation-plans/{plan_draft}/accept", PLANNER_API, scoped=False, body={"method": "greedy"}
    ),
    api("POST", "/validation-plans/{plan_acc}/adjust", PLANNER_API, scoped=False, body=_adjust_api),
    api(
        "POST",
        "/validation-plans/{plan_acc}/start-month",
        "staff=403 starters=200 trade=404 anon=401",
        scoped=False,
        body={"month": 12},
    ),
]
