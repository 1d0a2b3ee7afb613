"""Reading and validating the compliance CSV: every bad row is reported with its line, column and reason."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from greenlane.vetting import csv_import

from .support import HEADER, csv_bytes, row

TODAY = dt.date(2026, 6, 30)


def validate(data: bytes, **kwargs):
    return csv_import.validate(io.BytesIO(data), today=TODAY, **kwargs)


def test_good_rows_are_cleaned():
    data = csv_bytes(
        [
            row(
                source_ref="A1",
                kind="Liquidated damages",
                date="2025-01-02",
                name="Atlas Imports, LLC",
                address="1 Harbor Way",
                country="us",
                identifier_type="IOR",
                identifier_value="12 3456789aa",
                amount="$12,500.5",
                details="Late filing",
            ),
            row(source_ref="A2", kind="watch-list", identifier_type="", identifier_value="", amount=""),
        ]
    )
    report = validate(data)
    assert (report.ok, report.rows, report.errors) == (True, 2, [])
    first, second = list(csv_import.clean_rows(io.BytesIO(data), today=TODAY))
    assert (first.line, first.kind, first.date, first.country, first.amount) == (
        2,
        "liquidated_damages",
        dt.date(2025, 1, 2),
        "US",
        Decimal("12500.50"),
    )
    assert first.identifiers == (("ior", "12-3456789AA", False), ("ein", "12-3456789", True))
    assert (first.name_key, first.address_key) == ("atlas imports", "1 harbor way")
    assert (second.line, second.kind, second.identifiers, second.amount) == (3, "watch_list", (), None)


def test_every_bad_row_is_listed_with_line_column_and_reason():
    data = csv_bytes(
        [
            row(source_ref="OK-1"),  # line 2: good
            row(source_ref="B-3", kind="fine"),  # 3
            row(source_ref="B-4", date="31/03/2024"),  # 4
            row(source_ref="B-5", date="2027-01-01"),  # 5: future
            row(source_ref="B-6", country="XX"),  # 6
            row(source_ref="B-7", identifier_type="ein", identifier_value="00-1234567"),  # 7: EIN prefix 00
            row(source_ref="B-8", identifier_type="passport", identifier_value="X1"),  # 8: unknown type
            row(source_ref="B-9", identifier_type="ein", identifier_value=""),  # 9
            row(source_ref="", name="", country=""),  # 10: three required missing
            row(source_ref="OK-1"),  # 11: duplicate
            row(source_ref="B-12", amount="12,50.0x"),  # 12
            row(source_ref="B-13", amount="-5"),  # 13
            row(source_ref="B-14", amount="1.005"),  # 14
            row(source_ref="B-15", name="!!!"),  # 15
            row(source_ref="OK-16"),  # 16: good
        ]
    )
    report = validate(data)
    found = [(e.line, e.column) for e in report.errors]
    assert found == [
        (3, "kind"),
        (4, "date"),
        (5, "date"),
        (6, "country"),
        (7, "identifier_value"),
        (8, "identifier_type"),
        (9, "identifier_value"),
        (10, "source_ref"),
        (10, "name"),
        (10, "country"),
        (11, "source_ref"),
        (12, "amount"),
        (13, "amount"),
        (14, "amount"),
        (15, "name"),
    ]
    assert not report.ok and report.rows == 15 and report.bad_row_count == 13 and report.error_count == 15
    messages = {(e.line, e.column): e.message for e in report.errors}
    assert messages[(4, "date")] == "Not a date: write it as YYYY-MM-DD (for example 2024-03-31)."
    assert messages[(5, "date")] == "The date is in the future."
    assert messages[(7, "identifier_value")] == "EIN prefix 00 is not one the IRS assigns."
    assert messages[(11, "source_ref")] == "Duplicate source_ref: line 2 has the same one."
    assert messages[(3, "kind")].startswith("Unknown kind. Use one of: penalty, seizure,")
    assert report.errors[0].value == "fine"


def test_line_numbers_follow_quoted_newlines_and_skip_blank_rows():
    text = (
        ",".join(HEADER) + "\n"
        'R1,penalty,2024-01-01,"Atlas\nImports",,US,,,,"two\nlines"\n'
        "\n"
        "R2,penalty,not-a-date,Beta,,US,,,,\n"
    )
    report = validate(text.encode())
    assert [(e.line, e.column) for e in report.errors] == [(6, "date")]  # R1 spans lines 2-4
    assert report.rows == 2


def test_a_row_with_the_wrong_number_of_fields():
    text = ",".join(HEADER) + "\nR1,penalty,2024-01-01,Atlas,,US\n"
    report = validate(text.encode())
    assert [(e.line, e.column) for e in report.errors] == [(2, "")]
    assert "6 fields" in report.errors[0].message


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out():
    data = csv_bytes([row(source_ref="X")], header=["country", "name", "date", "kind", "source_ref"])
    assert validate(data).ok


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty: it needs a header row."),
        (",".join(HEADER).encode() + b"\n", "The file has a header but no rows."),
        (b"source_ref,kind,date,name,country,amout\n", "Unknown column(s): amout."),
        (b"source_ref,kind,date,name\n", "Missing column(s): country."),
        (b"source_ref,kind,date,name,country,name\n", "Column(s) named twice: name."),
        (
            ",".join(HEADER).encode() + b"\nR1,penalty,2024-01-01,Caf\xe9,,US,,,,\n",
            "The file is not UTF-8 text",
        ),
    ],
)
def test_file_level_problems(data, message):
    with pytest.raises(csv_import.FileError) as caught:
        validate(data)
    assert caught.value.errors[0].message.startswith(message)


def test_a_utf8_bom_is_accepted():
    assert validate(b"\xef\xbb\xbf" + csv_bytes([row()])).ok


def test_errors_beyond_the_kept_number_are_counted():
    data = csv_bytes([row(kind="bad") for _ in range(30)])
    report = validate(data, keep=10)
    assert (len(report.errors), report.error_count, report.bad_row_count) == (10, 30, 30)
    assert len(validate(data, keep=None).errors) == 30
