"""Importing compliance files: all or nothing, idempotent, audited once, staff only; and the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, NotFound
from greenlane.vetting import services
from greenlane.vetting.models import ComplianceIdentifier, ComplianceImport, ComplianceRecord

from .support import csv_bytes, do_import, row

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        ComplianceImport.objects.count(),
        ComplianceRecord.objects.count(),
        ComplianceIdentifier.objects.count(),
        AuditEvent.objects.filter(action="vetting.import").count(),
    )


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(staff):
    rows = [row(), row(kind="fine"), row(), row(date="2024-02-30"), row(country="ZZ"), row()]
    with pytest.raises(services.ImportRejected) as caught:
        do_import(rows, actor=staff["vetting_officer"])
    exc = caught.value
    assert [(e["line"], e["field"]) for e in exc.errors] == [(3, "kind"), (5, "date"), (6, "country")]
    assert (exc.status, exc.error_count, exc.bad_rows, exc.rows) == (422, 3, 3, 6)
    assert exc.message == (
        "Nothing was imported: 3 of 6 rows have problems (3 in all). Correct them and import the file again."
    )
    assert counts() == (0, 0, 0, 0)


def test_import_writes_records_identifiers_one_batch_and_one_audit_event(staff):
    vetter = staff["vetting_officer"]
    batch = do_import(
        [
            row(
                source_ref="P-1",
                name="Atlas Imports LLC",
                identifier_type="ior",
                identifier_value="12-3456789AA",
                amount="2500",
            ),
            row(source_ref="P-2", kind="unpaid_debt", name="Beta Trading"),
        ],
        actor=vetter,
    )
    assert (
        batch.source,
        batch.file_name,
        batch.row_count,
        batch.created_count,
        batch.updated_count,
        batch.unchanged_count,
        batch.imported_by,
    ) == ("cbp-penalties", "penalties.csv", 2, 2, 0, 0, vetter)
    assert len(batch.sha256) == 64
    record = ComplianceRecord.objects.get(source_ref="P-1")
    assert (record.name_key, record.import_batch, str(record.amount)) == ("atlas imports", batch, "2500.00")
    assert sorted(record.identifiers.values_list("type", "value", "derived")) == [
        ("ein", "12-3456789", True),
        ("ior", "12-3456789AA", False),
    ]
    event = AuditEvent.objects.get(action="vetting.import")
    assert (event.actor, event.object_id, event.after["created"], event.after["sha256"]) == (
        vetter,
        str(batch.pk),
        2,
        batch.sha256,
    )


def test_importing_the_same_file_again_changes_nothing(staff):
    rows = [
        row(source_ref="P-1", identifier_type="ein", identifier_value="12-3456789"),
        row(source_ref="P-2"),
    ]
    first = do_import(rows)
    before = list(ComplianceRecord.objects.order_by("pk").values_list("pk", "import_batch_id", "imported_at"))
    again = do_import(rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert again.sha256 == first.sha256
    assert (
        list(ComplianceRecord.objects.order_by("pk").values_list("pk", "import_batch_id", "imported_at"))
        == before
    )
    assert counts() == (2, 2, 1, 2)


def test_a_changed_row_is_updated_in_place_and_a_new_one_added():
    do_import(
        [
            row(source_ref="P-1", name="Atlas Imports", identifier_type="ein", identifier_value="12-3456789"),
            row(source_ref="P-2"),
        ]
    )
    record = ComplianceRecord.objects.get(source_ref="P-1")
    batch = do_import(
        [
            row(
                source_ref="P-1",
                name="Atlas Imports Group",
                identifier_type="duns",
                identifier_value="123456789",
            ),
            row(source_ref="P-2"),
            row(source_ref="P-3"),
        ]
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)
    record.refresh_from_db()
    assert (record.name, record.name_key, record.import_batch) == (
        "Atlas Imports Group",
        "atlas group imports",
        batch,
    )
    assert list(record.identifiers.values_list("type", "value")) == [("duns", "123456789")]


def test_the_same_source_ref_in_another_source_is_another_record():
    do_import([row(source_ref="P-1")], source="penalties")
    do_import([row(source_ref="P-1")], source="seizures")
    assert ComplianceRecord.objects.filter(source_ref="P-1").count() == 2


def test_the_source_defaults_to_the_file_name():
    batch = services.compliance_import(
        actor=None, stream=io.BytesIO(csv_bytes([row()])), file_name="feed-2026.csv"
    )
    assert batch.source == "feed-2026.csv"


@pytest.mark.parametrize(
    "role", ["scs", "supervisory_scs", "auditor", "intelligence_analyst", "targeting_officer"]
)
def test_other_staff_may_not_import(staff, role):
    with pytest.raises(Forbidden):
        do_import([row()], actor=staff[role])
    assert counts() == (0, 0, 0, 0)


def test_a_trade_user_gets_not_found(officer):
    with pytest.raises(NotFound):
        do_import([row()], actor=officer)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("role", ["vetting_officer", "program_manager", "system_admin"])
def test_vetters_may_import(staff, role):
    assert do_import([row()], actor=staff[role]).created_count == 1


def test_command_imports_a_good_file(tmp_path, staff):
    path = tmp_path / "feed.csv"
    path.write_bytes(csv_bytes([row(), row()]))
    out = io.StringIO()
    call_command(
        "import_compliance",
        str(path),
        "--source",
        "cbp",
        "--actor",
        "vetting_officer@cbp.example",
        stdout=out,
    )
    assert "Imported feed.csv as source 'cbp': 2 rows, 2 new, 0 updated, 0 unchanged" in out.getvalue()
    batch = ComplianceImport.objects.get()
    assert (batch.source, batch.imported_by) == ("cbp", staff["vetting_officer"])


def test_command_lists_every_bad_row_and_exits_non_zero(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(csv_bytes([row(kind="fine"), row(), row(country="XX", date="soon")]))
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("import_compliance", str(path), stdout=io.StringIO(), stderr=err)
    assert caught.value.code == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 2, column kind: Unknown kind.")
    assert lines[1] == (
        "line 4, column date: Not a date: write it as YYYY-MM-DD (for example 2024-03-31). (value: 'soon')"
    )
    assert lines[2].startswith("line 4, column country: Not an ISO 3166 country code")
    assert "Nothing was imported: 2 of 3 rows have problems (3 in all)." in lines[3]
    assert counts() == (0, 0, 0, 0)


def test_command_refuses_a_missing_file():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such file"):
        call_command("import_compliance", "/nonexistent/feed.csv")
