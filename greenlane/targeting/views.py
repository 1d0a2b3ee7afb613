"""Staff targeting pages: the latest scored day (lanes, filters, paging), a shipment's explanation, measures.

Everything is read with DuckDB from the Parquet files the `greenlane targeting` command wrote under
``var/targeting/``; there are no database tables. Any staff member may read (the API decides who scores);
trade users get 404.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from greenlane.core.paging import Page, clamp
from greenlane.core.web import querystring_without, staff_only
from greenlane.targeting import portal_snapshot
from greenlane.targeting.engine import LANES, load_ruleset
from greenlane.targeting.engine import cli as engine
from greenlane.targeting.engine.schema import COLUMNS

from .api import active_ruleset, can_score

LANE_CHOICES = [("", _("Any lane"))] + [(lane, lane.capitalize()) for lane in LANES]
MODE_CHOICES = [("", _("Any mode")), ("sea", _("Sea")), ("air", _("Air")), ("truck", _("Truck")),
                ("rail", _("Rail"))]  # fmt: skip
TIER_CHOICES = [("", _("Any tier")), ("0", _("Not a member")), ("1", _("Tier 1")), ("2", _("Tier 2")),
                ("3", _("Tier 3"))]  # fmt: skip


class ShipmentFilter(forms.Form):
    lane = forms.ChoiceField(label=_("Lane"), choices=LANE_CHOICES, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=MODE_CHOICES, required=False)
    country = forms.RegexField(
        label=_("Country of origin"), regex=r"^[A-Za-z]{2}$", max_length=2, required=False,
        help_text=_("Two-letter ISO code, e.g. CN"), error_messages={"invalid": _("Enter a two-letter code.")},
    )  # fmt: skip
    tier = forms.ChoiceField(label=_("Member tier"), choices=TIER_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "usa-select" if isinstance(field, forms.ChoiceField) else "usa-input"
            )


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reader(path: str) -> str:
    if path.lower().endswith((".csv", ".csv.gz")):
        return f"read_csv({_q(path)}, header = true, all_varchar = true)"
    return f"read_parquet({_q(path)})"


class Day:
    """The latest `score` run: its scored Parquet, joined to its input for the origin and the inputs."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.output_path: str = record["output_path"]
        self.input_path: str | None = record.get("input_path")
        if self.input_path and not Path(self.input_path).exists():
            self.input_path = None
        self.summary: dict[str, Any] = record.get("summary", {})
        meta = pq.read_schema(self.output_path).metadata or {}
        self.meta: dict[str, Any] = json.loads(meta.get(b"greenlane", b"{}"))

    @classmethod
    def latest(cls) -> Day | None:
        record = portal_snapshot.read_record(portal_snapshot.LATEST_SCORE)
        if not record or not Path(record.get("output_path", "")).exists():
            return None
        return cls(record)

    def relation(self) -> str:
        scored = f"read_parquet({_q(self.output_path)})"
        if not self.input_path:
            return f"(SELECT s.*, NULL::VARCHAR AS country_origin FROM {scored} s)"
        return (
            f"(SELECT s.*, i.country_origin FROM {scored} s LEFT JOIN "
            f"(SELECT DISTINCT ON (shipment_id) CAST(shipment_id AS VARCHAR) AS shipment_id, "
            f"CAST(country_origin AS VARCHAR) AS country_origin FROM {_reader(self.input_path)}) i "
            "USING (shipment_id))"
        )

    def lane_counts(self, con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
        got = dict(
            con.execute(
                f"SELECT lane, count(*) FROM read_parquet({_q(self.output_path)}) GROUP BY 1"
            ).fetchall()
        )
        return [(lane, int(got.get(lane, 0))) for lane in LANES]

    def page(self, con: duckdb.DuckDBPyConnection, filters: dict[str, Any], limit: int, offset: int) -> Page:
        where, params = ["TRUE"], []
        if filters.get("lane"):
            where.append("lane = ?")
            params.append(filters["lane"])
        if filters.get("mode"):
            where.append("mode = ?")
            params.append(filters["mode"])
        if filters.get("country"):
            where.append("country_origin = ?")
            params.append(filters["country"].upper())
        if filters.get("tier") not in (None, ""):
            where.append("importer_tier = ?")
            params.append(int(filters["tier"]))
        base = f"FROM {self.relation()} WHERE {' AND '.join(where)}"
        count = con.execute(f"SELECT count(*) {base}", params).fetchone()[0]  # type: ignore[index]
        cur = con.execute(
            f"SELECT shipment_id, mode, country_origin, importer_ior, importer_tier, points, credit, score, lane, "
            f"lane_reason, reason_1, reason_2, reason_3 {base} "
            "ORDER BY lane_reason = 'force_red' DESC, score DESC, shipment_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        names = [d[0] for d in cur.description]
        items = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        return Page(items=items, count=int(count), limit=limit, offset=offset)

    def shipment(self, con: duckdb.DuckDBPyConnection, shipment_id: str) -> tuple[dict, dict | None] | None:
        cur = con.execute(f"SELECT * FROM read_parquet({_q(self.output_path)}) WHERE shipment_id = ? LIMIT 1",
                          [shipment_id])  # fmt: skip
        row = cur.fetchone()
        if row is None:
            return None
        scored = dict(zip([d[0] for d in cur.description], row, strict=True))
        inputs = None
        if self.input_path:
            cur = con.execute(
                f"SELECT * FROM {_reader(self.input_path)} WHERE CAST(shipment_id AS VARCHAR) = ? LIMIT 1",
                [shipment_id],
            )
            row = cur.fetchone()
            if row is not None:
                inputs = dict(zip([d[0] for d in cur.description], row, strict=True))
        return scored, inputs


def _reason_texts() -> dict[str, str]:
    rs = load_ruleset(active_ruleset())
    return {r.id: r.reason for r in (*rs.force_red, *rs.indicators)}


def _measures(day: Day) -> dict[str, Any] | None:
    exams = portal_snapshot.read_record(portal_snapshot.LATEST_EXAMS)
    if not exams or exams.get("scored_path") != day.output_path or not Path(exams["exams_path"]).exists():
        return None
    m = engine.measures(day.output_path, exams["exams_path"])
    m["by_rule"] = [r for r in m["by_rule"] if r["examined"]]
    m["imported_at"] = exams.get("imported_at")
    m["lift"] = None
    if day.input_path and day.input_path.endswith(".parquet"):
        names = pq.read_schema(day.input_path).names
        if "synthetic_violation" in names:
            m["lift"] = engine.lift(day.output_path, day.input_path)
    return m


@staff_only
def day(request):
    latest = Day.latest()
    if latest is None:
        return render(request, "targeting/day.html", {"day": None, "can_score": can_score(request.user)})
    form = ShipmentFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    limit, offset = clamp(_int(request.GET.get("limit")), _int(request.GET.get("offset")), default=50)
    con = duckdb.connect()
    try:
        lanes = latest.lane_counts(con)
        page = latest.page(con, filters, limit, offset)
    finally:
        con.close()
    texts = _reason_texts()
    for item in page.items:
        item["reasons"] = [
            texts.get(c, c) for c in (item["reason_1"], item["reason_2"], item["reason_3"]) if c
        ]
    return render(
        request,
        "targeting/day.html",
        {
            "day": latest,
            "form": form,
            "lanes": lanes,
            "total": sum(n for _lane, n in lanes),
            "page": page,
            "querystring_base": querystring_without(request, "offset"),
            "measures": _measures(latest),
            "can_score": can_score(request.user),
        },
    )


@staff_only
def shipment(request, shipment_id: str):
    latest = Day.latest()
    if latest is None:
        raise Http404()
    con = duckdb.connect()
    try:
        found = latest.shipment(con, shipment_id)
    finally:
        con.close()
    if found is None:
        raise Http404()
    scored, inputs = found
    bits: list[str] = list(latest.meta.get("mask_bits", []))
    weights: dict[str, int] = latest.meta.get("weights", {})
    texts = _reason_texts()
    mask = scored.get("indicator_mask") or 0
    fired = [
        {"code": b, "weight": weights.get(b), "text": texts.get(b, b), "force_red": weights.get(b) == 0}
        for i, b in enumerate(bits)
        if (mask >> i) & 1
    ]
    top = [c for c in (scored.get("reason_1"), scored.get("reason_2"), scored.get("reason_3")) if c]
    input_rows = [(c.name, c.doc, inputs.get(c.name)) for c in COLUMNS] if inputs else []
    return render(
        request,
        "targeting/shipment.html",
        {"day": latest, "s": scored, "fired": fired, "top": top, "inputs": input_rows},
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
