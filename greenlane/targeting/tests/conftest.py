"""Shared fixtures for the targeting engine tests (no Django)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from greenlane.targeting.engine import compile_ruleset, load_ruleset
from greenlane.targeting.engine.reference import with_check_digit
from greenlane.targeting.engine.synthetic import generate


def shipment(**overrides: Any) -> dict[str, Any]:
    """A valid, unremarkable sea shipment; override fields to make it interesting."""
    base: dict[str, Any] = {
        "shipment_id": "E0000001",
        "arrival_date": dt.date(2026, 1, 5),
        "mode": "sea",
        "importer_ior": "12-345678900",
        "importer_resident": True,
        "importer_prior_entries": 40,
        "importer_prior_violations": 0,
        "consignee": "ACME IMPORTS",
        "seller": "SHANGHAI WIDGETS",
        "buyer": "ACME IMPORTS",
        "manufacturer_mid": "CNSHAWID1234SHA",
        "manufacturer_prior_violations": 0,
        "ship_to": "ACME DC",
        "stuffing_location": "SHANGHAI CFS",
        "consolidator": None,
        "carrier_scac": "MAEU",
        "country_origin": "CN",
        "port_lading": "CNSHA",
        "port_unlading": "USLAX",
        "transship_port": None,
        "hts_code": "8471.30.0100",
        "description": "laptop computers",
        "declared_value_usd": 250000.0,
        "gross_weight_kg": 9000.0,
        "container_numbers": with_check_digit("CSQU305438"),
        "seal_numbers": "SL00001234",
        "seal_high_security": True,
        "seal_mismatch": False,
        "seal_tampered": False,
        "csd_alarm": False,
        "fast_driver_card": False,
    }
    base.update(overrides)
    return base


def snapshot_rows(*rows: tuple[str, str, str, int]) -> list[dict[str, Any]]:
    return [
        {"identifier_type": t, "identifier_value": v, "partner_id": i + 1, "status": s, "tier": tier}
        for i, (t, v, s, tier) in enumerate(rows)
    ]


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="session")
def compiled(ruleset):
    return compile_ruleset(ruleset, "normal")


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory) -> Path:
    """20,000 synthetic shipments with planted bad rows, generated once per session."""
    d = tmp_path_factory.mktemp("synthetic")
    generate(20_000, 11, d, bad_rate=0.002)
    return d
