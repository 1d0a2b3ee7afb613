"""Performance measures: program managers, supervisory specialists, auditors and system administrators
read the dashboards, drill down, export and see any member's benefits statement (other staff 403, trade 404);
program managers and system administrators compute. A member reads its own benefits statement (another
company's is 404). Results for 2025 are stored by build() (over empty inputs: every value "no data")."""

from tests.test_access_matrix import api, page

GROUPS = {
    "readers": ["program_manager", "supervisory_scs", "auditor", "system_admin"],
    "computers": ["program_manager", "system_admin"],
}
READ_PAGE = "staff=403 readers=200 trade=404 anon=302"
READ_API = "staff=403 readers=200 trade=404 anon=401"
MINE_PAGE = "staff=403 readers=404 program_manager=200 trade=404 anon=302"
MINE_API = "staff=403 readers=404 program_manager=200 trade=404 anon=401"
M = "entry_volume_member_importers"
FAST = {
    "arrivals_per_hour": 30, "fast_share": 0.3, "general_booths": 2, "fast_booths": 1,
    "general_primary_minutes": 2.5, "fast_primary_minutes": 1, "general_secondary_rate": 0.05,
    "fast_secondary_rate": 0.01, "secondary_minutes": 30, "hours": 2, "replications": 2, "seed": 1,
}  # fmt: skip

ROWS = [
    page("GET", "/staff/metrics/", READ_PAGE, scoped=False),
    page("GET", "/staff/metrics/measures.csv?period=2025", READ_PAGE, scoped=False),
    page(
        "POST",
        "/staff/metrics/compute/",
        "staff=403 readers=403 computers=302 trade=404 anon=302",
        scoped=False,
        body={"period": "2025-Q1"},
    ),
    page("GET", f"/staff/metrics/measures/{M}/", READ_PAGE, scoped=False),
    page("GET", f"/staff/metrics/measures/{M}/values.xlsx", READ_PAGE, scoped=False),
    page("GET", f"/staff/metrics/measures/{M}/records/?period=2025", READ_PAGE, scoped=False),
    page(
        "POST",
        "/staff/metrics/exports/",
        "staff=403 readers=302 trade=404 anon=302",
        scoped=False,
        body={"kind": "measures", "fmt": "csv", "period": "2025"},
    ),
    page("GET", "/staff/metrics/exports/{job}/", MINE_PAGE, scoped=False),
    page("GET", "/staff/metrics/exports/{job}/download/", MINE_PAGE, scoped=False),
    page("GET", "/staff/metrics/fast-lane/", READ_PAGE, scoped=False),
    page("POST", "/staff/metrics/fast-lane/", READ_PAGE, scoped=False, body=FAST),
    page("GET", "/staff/metrics/partners/{pid}/benefits/", READ_PAGE, target="M"),
    page("GET", "/staff/metrics/partners/{pid}/benefits.pdf", READ_PAGE, target="M"),
    page("GET", "/companies/{pid}/benefits/", "trade=200 staff=404 anon=302", target="M"),
    page("GET", "/companies/{pid}/benefits.pdf", "trade=200 staff=404 anon=302", target="M"),
    api("GET", "/metrics/measures", READ_API, scoped=False),
    api("GET", f"/metrics/measures/{M}/values?level=quarter", READ_API, scoped=False),
    api("GET", f"/metrics/measures/{M}/records?period=2025", READ_API, scoped=False),
    api("GET", "/metrics/partners/{pid}/benefits", "trade=200 staff=404 readers=200 anon=401", target="M"),
    api("POST", "/metrics/fast-lane/simulate", READ_API, scoped=False, body=FAST),
    api(
        "POST",
        "/metrics/exports",
        "staff=403 readers=201 trade=404 anon=401",
        scoped=False,
        body={"kind": "measures", "fmt": "csv", "period": "2025"},
    ),
    api("GET", "/metrics/exports/{job}", MINE_API, scoped=False),
]


def build(ctx):
    from greenlane.metrics import services

    manager = ctx.staff["program_manager"]
    services.run_compute(actor=manager, period="2025")
    job = services.export_request(actor=manager, kind="measures", params={"period": "2025"}, fmt="csv")
    services.export_run(job.pk)
    values = {"job": job.pk}
    return values, values
