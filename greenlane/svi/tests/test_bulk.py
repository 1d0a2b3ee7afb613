from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Forbidden, InvalidInput
from greenlane.mra import services as mra_services
from greenlane.svi import bulk
from greenlane.svi.models import BulkVerification, SviParticipation

from .support import S, certified, ior_of, join, move

pytestmark = pytest.mark.django_db
EU_SAMPLE = Path(__file__).resolve().parents[2] / "mra" / "samples" / "eu_aeo.csv"


@pytest.fixture
def world(user_factory, staff):
    u = user_factory("svi-bulk@example.com")
    me = certified(u, name="Asker Co")
    join(u, me)
    shares = certified(u, name="Open Co")
    SviParticipation.objects.create(partner=shares, share="status_tier")
    quiet = certified(u, name="Quiet Co")
    SviParticipation.objects.create(partner=quiet)
    hidden = certified(u, name="Hidden Co")
    suspended = certified(u, name="Paused Co")
    SviParticipation.objects.create(partner=suspended, share="status_tier")
    move(suspended, S.SUSPENDED)
    with EU_SAMPLE.open("rb") as fh:
        mra_services.status_import(
            actor=staff["program_manager"], program_code="eu_aeo", stream=fh, file_name="eu_aeo.csv"
        )
    return u, me, shares, quiet, hidden, suspended


def _csv(*lines: str) -> bytes:
    return ("type,value\n" + "\n".join(lines) + "\n").encode()


def test_rows_answered_with_consent_and_errors(world, django_assert_max_num_queries):
    u, me, shares, quiet, hidden, suspended = world
    data = _csv(
        f"ior,{ior_of(shares)}",
        f"IOR,{ior_of(quiet).lower()}",
        f"ior,{ior_of(hidden)}",
        f"ior,{ior_of(suspended)}",
        "eori,de 1234567890123",
        "ior,12-9999999ZZ",
        "ior,not-an-ior",
        "bogus,123",
        "ior",
    )
    rows = bulk.parse_upload("partners.csv", data)
    with django_assert_max_num_queries(14):
        run = bulk.verify(actor=u, partner_id=me.pk, rows=rows, source="partners.csv")
    r = run.results
    assert [x["result"] for x in r] == [
        "found",
        "found",
        "found",
        "found",
        "foreign",
        "not_found",
        "error",
        "error",
        "error",
    ]
    assert (r[0]["company"], r[0]["status"], r[0]["tier"], r[0]["program"]) == (
        "Open Co",
        "certified",
        1,
        "C-TPAT",
    )
    assert (r[1]["company"], r[1]["status"], r[1]["tier"]) == ("Quiet Co", "certified", None)
    assert (r[2]["company"], r[2]["status"]) == ("", "not participating")
    assert (r[3]["status"], r[3]["tier"]) == ("suspended", 1)
    assert r[4]["company"] == "Rheinwerk Logistik GmbH" and r[4]["program_code"] == "eu_aeo"
    assert r[4]["validation_date"] == "2019-03-14"
    assert r[6]["row"] == 8 and r[6]["error"]
    assert "Unknown identifier type" in r[7]["error"]
    assert "two columns" in r[8]["error"]
    assert (run.row_count, run.matched_count, run.foreign_count, run.error_count) == (9, 4, 1, 3)
    assert AuditEvent.objects.filter(action="svi.verify", partner=me).count() == 1


def test_xlsx_upload_and_downloads(world):
    u, me, shares, *_ = world
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["type", "value"])
    sheet.append(["ior", ior_of(shares)])
    sheet.append(["ior", "@SUM(1+1)"])
    out = io.BytesIO()
    book.save(out)
    rows = bulk.parse_upload("list.xlsx", out.getvalue())
    run = bulk.verify(actor=u, partner_id=me.pk, rows=rows)
    assert [x["result"] for x in run.results] == ["found", "error"]
    text = bulk.as_csv(run).decode("utf-8-sig")
    assert "Open Co" in text and "'@SUM(1+1)" in text
    back = openpyxl.load_workbook(io.BytesIO(bulk.as_xlsx(run)))
    assert back.active.cell(2, 5).value == "Open Co"


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("a.csv", b"", "empty"),
        ("a.csv", b"\xff\xfe\x00bad", "neither UTF-8"),
        ("a.xlsx", b"PK\x03\x04garbage", "could not be read"),
        ("a.csv", b"type,value\n", "no rows"),
    ],
)
def test_unreadable_files(name, data, fragment):
    with pytest.raises(InvalidInput, match=fragment) as exc:
        bulk.parse_upload(name, data)
    assert exc.value.field == "file"


def test_too_many_rows():
    data = ("\n".join(f"ior,{i}" for i in range(bulk.MAX_ROWS + 1))).encode()
    with pytest.raises(InvalidInput, match="more than"):
        bulk.parse_upload("big.csv", data)


def test_only_certified_participants_query(world, user_factory):
    u, me, *_ = world
    rows = [bulk.RowIn(1, "ior", "12-9999999ZZ")]
    move(me, S.SUSPENDED)
    with pytest.raises(Forbidden, match="suspended"):
        bulk.verify(actor=u, partner_id=me.pk, rows=rows)
    outsider = user_factory("svi-bulk-out@example.com")
    other = certified(outsider)
    with pytest.raises(Forbidden, match="Join it first"):
        bulk.verify(actor=outsider, partner_id=other.pk, rows=rows)
    assert not BulkVerification.objects.exists()


def test_json_rows_per_item_errors():
    rows = bulk.rows_from_json([{"type": "ior", "value": "12-9999999ZZ"}, "nope", {"type": 3}])
    assert [r.error == "" for r in rows] == [True, False, False]
    with pytest.raises(InvalidInput):
        bulk.rows_from_json({"type": "ior"})
