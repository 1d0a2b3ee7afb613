"""Access rows for the workforce plan: supervisors, program managers, auditors and administrators read it."""

from __future__ import annotations

from tests.test_access_matrix import api, page

GROUPS = {"workforce_readers": ["supervisory_scs", "program_manager", "auditor", "system_admin"]}
READER_PAGE = "staff=403 workforce_readers=200 trade=404 anon=302"

ROWS = [
    page("GET", "/staff/workforce/", READER_PAGE, scoped=False),
    page("GET", "/staff/workforce/plan.csv", READER_PAGE, scoped=False),
    page("GET", "/staff/workforce/plan.xlsx", READER_PAGE, scoped=False),
    api("GET", "/workforce/plan?years=2", "staff=403 workforce_readers=200 trade=404 anon=401", scoped=False),
]
