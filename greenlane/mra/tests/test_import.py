import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greenlane.audit.models import AuditEvent
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.mra import services
from greenlane.mra.models import ForeignMember, ForeignStatusChange, MraImport

from .support import SAMPLES, csv_file, sample

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def _import(actor, stream, *, program="eu_aeo", name="f.csv", as_of=None):
    return services.status_import(
        actor=actor, program_code=program, stream=stream, file_name=name, as_of=as_of, today=TODAY
    )


def test_import_creates_members_and_logs_counts(manager):
    result = _import(manager, sample("eu_aeo.csv"), name="eu_aeo.csv")
    log = result.log
    assert not result.duplicate
    assert (log.row_count, log.created_count, log.error_count, log.deactivated_count) == (8, 8, 0, 0)
    assert ForeignMember.objects.filter(program__code="eu_aeo").count() == 8
    assert AuditEvent.objects.filter(action="mra.import", object_id=str(log.pk)).count() == 1


def test_json_file_with_program_and_as_of(manager):
    log = _import(manager, sample("ca_pip.json"), program="ca_pip", name="ca_pip.json").log
    assert (log.file_format, log.as_of, log.created_count) == ("json", dt.date(2026, 11, 26), 6)


def test_same_file_twice_changes_nothing(manager):
    _import(manager, sample("eu_aeo.csv"), name="eu_aeo.csv")
    events = AuditEvent.objects.count()
    again = _import(manager, sample("eu_aeo.csv"), name="copy.csv")
    assert again.duplicate
    assert MraImport.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_bad_rows_are_reported_and_good_rows_imported(manager):
    stream = csv_file(
        "DE1111111,Good GmbH,Berlin,DE,active,2020-01-01,",
        "US1234,Bad Country Inc,Here,US,active,2020-01-01,",
        "DE2222222,No Date GmbH,Bonn,DE,active,,",
        "DE3333333,Odd Status GmbH,Köln,DE,sleeping,2020-01-01,",
        "DE4444444,Suspended No Date,Köln,DE,suspended,2020-01-01,",
        "DE5555555,Future GmbH,Köln,DE,active,2030-01-01,",
        "DE1111111,Twice GmbH,Berlin,DE,active,2020-01-01,",
    )
    log = _import(manager, stream).log
    assert (log.row_count, log.created_count, log.error_count) == (7, 1, 6)
    by_line = {(e["line"], e["field"]) for e in log.errors}
    assert by_line == {
        (3, "program_id"),
        (4, "validation_date"),
        (5, "status"),
        (6, "status_date"),
        (7, "validation_date"),
        (8, "program_id"),
    }
    assert "EU member state" in next(e["message"] for e in log.errors if e["line"] == 3)
    assert list(ForeignMember.objects.values_list("id_value", flat=True)) == ["DE1111111"]


def test_full_snapshot_delists_absent_members_but_not_bad_rows(manager):
    _import(
        manager,
        csv_file(
            "DE1111111,One GmbH,Berlin,DE,active,2020-01-01,",
            "DE2222222,Two GmbH,Bonn,DE,active,2020-01-01,",
            "DE3333333,Three GmbH,Köln,DE,active,2020-01-01,",
        ),
        as_of=dt.date(2026, 11, 25),
    )
    log = _import(
        manager,
        csv_file(
            "DE1111111,One GmbH,Berlin,DE,suspended,2020-01-01,2026-11-26",
            "DE3333333,Three GmbH,Köln,DE,active,,",  # bad row: still listed, so not delisted
        ),
        as_of=dt.date(2026, 11, 26),
    ).log
    status = dict(ForeignMember.objects.values_list("id_value", "status"))
    assert status == {"DE1111111": "suspended", "DE2222222": "inactive", "DE3333333": "active"}
    assert (log.updated_count, log.deactivated_count, log.error_count) == (1, 1, 1)
    assert ForeignMember.objects.get(id_value="DE2222222").status_date == dt.date(2026, 11, 26)
    changes = set(
        ForeignStatusChange.objects.filter(mra_import=log).values_list("member__id_value", "to_status")
    )
    assert changes == {("DE1111111", "suspended"), ("DE2222222", "inactive")}


def test_older_file_after_newer_is_refused(manager):
    _import(manager, csv_file("DE1111111,One,B,DE,active,2020-01-01,"), as_of=dt.date(2026, 11, 26))
    with pytest.raises(Conflict):
        _import(manager, csv_file("DE2222222,Two,B,DE,active,2020-01-01,"), as_of=dt.date(2026, 11, 20))
    assert MraImport.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"", "file"),
        (b"name,status\nX,active\n", "file"),
        (b"\xff\xfe\x00garbage", "file"),
        (b'{"members": 3}', "file"),
        (b"program_id,name,status\nnope,X,active\n", "file"),  # every row bad
    ],
)
def test_unreadable_files_store_nothing(manager, content, field):
    with pytest.raises(InvalidInput) as exc:
        _import(manager, io.BytesIO(content), name="x.csv" if not content.startswith(b"{") else "x.json")
    assert exc.value.field == field
    assert MraImport.objects.count() == 0 and ForeignMember.objects.count() == 0


def test_file_for_another_program_is_refused(manager):
    with pytest.raises(InvalidInput) as exc:
        _import(manager, sample("ca_pip.json"), program="mx_oea", name="ca_pip.json")
    assert exc.value.field == "program"
    assert MraImport.objects.count() == 0


def test_unknown_program_is_refused(manager):
    with pytest.raises(InvalidInput) as exc:
        _import(manager, sample("eu_aeo.csv"), program="xx_aeo")
    assert "Known programs" in exc.value.message


def test_only_managers_import(staff, officer):
    with pytest.raises(Forbidden):
        _import(staff["auditor"], sample("eu_aeo.csv"))
    with pytest.raises(NotFound):
        _import(officer, sample("eu_aeo.csv"))
    assert MraImport.objects.count() == 0


def test_command_imports_and_reports_bad_rows(tmp_path, capsys):
    path = tmp_path / "eu.csv"
    path.write_text(
        "program_id,name,address,country,status,validation_date,status_date\n"
        "DE1111111,One,B,DE,active,2020-01-01,\nXX1,Bad,B,DE,active,2020-01-01,\n"
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("mra", "import", "eu_aeo", str(path), stdout=out, stderr=err)
    assert exit_.value.code == 2
    assert "1 new" in out.getvalue()
    assert "line 3, field program_id" in err.getvalue()
    out = io.StringIO()
    call_command("mra", "import", "eu_aeo", str(path), stdout=out, stderr=err)
    assert "nothing changed" in out.getvalue()


def test_command_import_sample_and_list_programs():
    out = io.StringIO()
    call_command("mra", "import", "ca_pip", str(SAMPLES / "ca_pip.json"), stdout=out)
    assert "6 new" in out.getvalue()
    out = io.StringIO()
    call_command("mra", "programs", stdout=out)
    assert "eu_aeo" in out.getvalue() and "co_oea" in out.getvalue()


def test_command_refuses_missing_file():
    with pytest.raises(CommandError, match="No such file"):
        call_command("mra", "import", "eu_aeo", "/nonexistent.csv")


def test_sample_json_is_valid_json():
    assert json.loads((SAMPLES / "ca_pip.json").read_text())["program"] == "ca_pip"


def test_unchanged_rows_take_the_new_file_date_bad_rows_keep_theirs(manager):
    _import(
        manager,
        csv_file("DE1111111,One,B,DE,active,2020-01-01,", "DE2222222,Two,B,DE,active,2020-01-01,"),
        as_of=dt.date(2026, 11, 25),
    )
    log = _import(
        manager,
        csv_file("DE1111111,One,B,DE,active,2020-01-01,", "DE2222222,Two,B,DE,active,,"),
        as_of=dt.date(2026, 11, 26),
    ).log
    assert (log.unchanged_count, log.updated_count, log.error_count) == (1, 0, 1)
    as_of = dict(ForeignMember.objects.values_list("id_value", "as_of"))
    assert as_of == {"DE1111111": dt.date(2026, 11, 26), "DE2222222": dt.date(2026, 11, 25)}
