"""Synthetic shipments with hidden ground truth, generated inside DuckDB (SQL with hash-based draws).

Every random draw is ``hash(key, salt, seed)``, so the same seed gives the same data (for a given DuckDB
version). The violations come from a latent process the rules never see: a hidden risk per importer, per
manufacturer, per route and per commodity, plus noise. The observable columns correlate with that risk
imperfectly, and a share of violations leaves no shipment-level sign at all. See docs/targeting.md.

The ground truth is the column ``synthetic_violation``; the engine reads only schema columns, never it.
Every row has ``synthetic = true`` and the Parquet files carry ``greenlane_synthetic`` metadata.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from . import reference as ref
from .schema import q
from .scoring import EngineSettings, connect

GENERATOR_VERSION = "1"

# country: (share of U.S. import shipments in ‰-ish weights, hidden route risk). Illustrative, not data.
COUNTRIES: dict[str, tuple[float, float]] = {
    "CN": (24, 0.20), "MX": (14, 0.35), "CA": (10, 0.00), "VN": (6, 0.20), "DE": (5, 0.00),
    "JP": (4.5, 0.00), "KR": (4, 0.05), "IN": (3.5, 0.25), "TW": (3, 0.05), "IT": (2.2, 0.05),
    "GB": (2, 0.00), "TH": (2, 0.20), "MY": (1.8, 0.15), "IE": (1.5, 0.00), "FR": (1.5, 0.00),
    "CH": (1.2, 0.00), "ID": (1.2, 0.20), "BR": (1.1, 0.30), "NL": (1, 0.10), "SG": (1, 0.05),
    "ES": (0.8, 0.05), "TR": (0.7, 0.30), "CO": (0.7, 0.80), "PH": (0.6, 0.25), "BD": (0.6, 0.30),
    "IL": (0.6, 0.05), "CL": (0.5, 0.10), "PE": (0.4, 0.40), "EC": (0.4, 0.70), "HN": (0.4, 0.80),
    "GT": (0.4, 0.60), "DO": (0.35, 0.50), "CR": (0.35, 0.50), "KH": (0.4, 0.45), "LK": (0.25, 0.30),
    "PK": (0.3, 0.80), "AE": (0.3, 0.50), "HK": (0.5, 0.30), "SA": (0.3, 0.20), "ZA": (0.3, 0.20),
    "NG": (0.15, 1.00), "EG": (0.2, 0.30), "AU": (0.5, 0.00), "NZ": (0.2, 0.00), "AR": (0.2, 0.20),
    "PA": (0.1, 0.50), "JM": (0.08, 0.60), "HT": (0.06, 1.00), "VE": (0.06, 1.20), "MM": (0.05, 0.90),
    "BE": (0.7, 0.10), "SE": (0.4, 0.00), "PL": (0.3, 0.05), "PT": (0.2, 0.05), "GR": (0.1, 0.10),
    "MA": (0.1, 0.40), "KE": (0.05, 0.40),
}  # fmt: skip

# HTS chapter: (weight, hidden commodity risk, median declared USD per kg). Illustrative.
CHAPTERS: dict[int, tuple[float, float, float]] = {
    85: (14, 0.20, 40), 84: (13, 0.05, 25), 87: (9, 0.10, 15), 30: (4, 0.60, 200), 94: (4, 0.05, 5),
    61: (3, 0.30, 25), 62: (3, 0.30, 25), 64: (1.5, 0.30, 20), 39: (3, 0.05, 4), 73: (3, 0.05, 3),
    27: (3, 0.10, 0.6), 29: (3, 0.50, 8), 28: (1, 0.50, 2), 90: (4, 0.10, 100), 71: (2, 0.60, 3000),
    95: (2, 0.20, 10), 44: (1.5, 0.10, 1), 8: (1.5, 0.30, 2), 3: (1, 0.20, 8), 22: (1, 0.10, 3),
    24: (0.3, 0.90, 20), 33: (1, 0.30, 15), 42: (1, 0.40, 30), 93: (0.2, 1.20, 80), 36: (0.2, 1.00, 6),
    40: (1.5, 0.05, 4), 48: (1, 0.05, 1.5), 72: (2, 0.05, 0.9), 76: (1, 0.05, 3), 9: (0.8, 0.40, 4),
    7: (1, 0.30, 1.5), 69: (1, 0.05, 2), 70: (1, 0.05, 2), 63: (1, 0.20, 5), 38: (1, 0.30, 5),
}  # fmt: skip

SEA_HUBS = ["SGSIN", "HKHKG", "NLRTM", "AEJEA", "KRPUS", "PAONX", "JMKIN", "BSFPO", "DOCAU", "MAPTM"]
AIR_HUBS = ["AEDXB", "DEFRA", "NLAMS", "HKHKG", "SGSIN", "GBLHR"]
TRANSSHIP = ["SGSIN", "PAONX", "MAPTM", "AEJEA", "LKCMB", "KRPUS", "ESALG", "JMKIN", "BSFPO", "DOCAU",
             "PABLB", "GRPIR", "OMSLL", "MYTPP", "PKKHI", "NGAPP"]  # fmt: skip
US_SEA = ["USLAX", "USLGB", "USNYC", "USSAV", "USHOU", "USSEA", "USTIW", "USOAK", "USCHS", "USORF",
          "USBAL", "USMIA", "USPEF", "USJAX", "USMOB", "USMSY", "USPHL", "USBOS", "USEWR"]  # fmt: skip
US_AIR = ["USJFK", "USORD", "USLAX", "USMIA", "USATL", "USDFW", "USMEM", "USSDF", "USANC", "USCVG", "USIND"]
US_LAND = {"CA": ["USDET", "USBUF", "USDET", "USCHI"], "MX": ["USLRD", "USELP", "USNOG", "USBRO", "USLRD"]}
VAGUE = ["general cargo", "parts", "goods", "said to contain", "FAK", "merchandise", "samples"]
WORDS = ["steel", "cotton", "plastic", "electronic", "auto", "industrial", "household", "frozen",
         "assembled", "printed", "woven", "molded", "machined", "packaged", "spare"]  # fmt: skip
NOUNS = ["components", "garments", "containers", "fittings", "panels", "tools", "assemblies", "textiles",
         "devices", "modules", "furniture", "footwear", "chemicals", "instruments", "fixtures"]  # fmt: skip


@dataclass(frozen=True)
class GenerateSummary:
    rows: int
    seed: int
    shipments_path: str
    snapshot_path: str
    importers: int
    manufacturers: int
    carriers: int
    violations: int
    violation_rate: float
    member_share: float
    bad_rows: int
    seconds: float


def _lst(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def _setup(con: duckdb.DuckDBPyConnection, rows: int, seed: int) -> dict[str, int]:
    n_imp = max(50, rows // 150)
    n_mfr = max(100, rows // 60)
    n_car = max(40, min(2000, rows // 2000)) // 4 * 4
    con.execute(f"CREATE MACRO u(k, s) AS hash(k, s, {int(seed)}) / 18446744073709551616.0")
    con.execute(
        "CREATE MACRO nrm(k, s) AS sqrt(-2 * ln(u(k, s || 'a') + 1e-12)) * cos(2 * pi() * u(k, s || 'b'))"
    )
    con.execute("CREATE MACRO sig(x) AS 1 / (1 + exp(-(x)))")
    # ISO 6346 check digit of a 10-character owner code + serial
    terms = " + ".join(
        f"(strpos('{ref.ISO6346_ALPHABET}', substr(x, {i + 1}, 1)) - 1) * {1 << i}" for i in range(10)
    )
    con.execute(f"CREATE MACRO iso6346(x) AS x || CAST(({terms}) % 11 % 10 AS VARCHAR)")
    con.execute("CREATE MACRO letter(k, s) AS chr(65 + CAST(floor(u(k, s) * 26) AS INTEGER))")

    total_w = sum(w for w, _ in COUNTRIES.values())
    slots: list[str] = []
    for code, (w, _) in COUNTRIES.items():
        slots += [code] * max(1, round(w / total_w * 2000))
    con.execute(f"CREATE TEMP TABLE cslots AS SELECT {_lst(slots)} AS s")
    con.execute(
        "CREATE TEMP TABLE countries AS SELECT * FROM (VALUES "
        + ", ".join(f"({q(c)}, {r})" for c, (_, r) in COUNTRIES.items())
        + ") t(code, risk)"
    )
    total_c = sum(w for w, _, _ in CHAPTERS.values())
    ch_slots: list[int] = []
    for ch, (w, _, _) in CHAPTERS.items():
        ch_slots += [ch] * max(1, round(w / total_c * 1000))
    con.execute(f"CREATE TEMP TABLE chslots AS SELECT {ch_slots} AS s")
    con.execute(
        "CREATE TEMP TABLE chapters AS SELECT * FROM (VALUES "
        + ", ".join(f"({ch}, {r}, {v})" for ch, (_, r, v) in CHAPTERS.items())
        + ") t(chapter, risk, vpk)"
    )
    port_rows = [(p.country, m, code) for code, p in ref.ports().items() for m in p.modes]
    con.execute(
        "CREATE TEMP TABLE country_ports AS "
        "SELECT country, mode, list(code ORDER BY code) AS ports FROM (VALUES "
        + ", ".join(f"({q(c)}, {q(m)}, {q(code)})" for c, m, code in port_rows)
        + ") t(country, mode, code) GROUP BY ALL"
    )
    # Importers: a few big ones ship most; big importers join the program more often. Members' hidden
    # risk is lower (selection and practice); suspended or removed ones were suspended for a reason.
    con.execute(f"""
        CREATE TEMP TABLE importers AS
        WITH b AS (
            SELECT range AS k, u(range, 'imp_m') AS um, u(range, 'imp_t') AS ut, u(range, 'imp_s') AS us,
                   CASE WHEN range < {n_imp} * 0.02 THEN 0.55 WHEN range < {n_imp} * 0.2 THEN 0.25
                       ELSE 0.06 END
                       AS p_member
            FROM range({n_imp})
        ), c AS (
            SELECT *, um < p_member AS enrolled,
                   CASE WHEN ut < 0.25 THEN 1 WHEN ut < 0.80 THEN 2 ELSE 3 END AS tier0,
                   CASE WHEN us < 0.95 THEN 'certified' WHEN us < 0.98 THEN 'suspended' ELSE 'removed' END
                       AS status0
            FROM b
        ), d AS (
            SELECT *, enrolled AND status0 = 'certified' AS member,
                   CASE WHEN NOT enrolled THEN 0.15 + nrm(k, 'imp_z')
                        WHEN status0 <> 'certified' THEN 0.6 + nrm(k, 'imp_z')
                        ELSE -0.4 - 0.1 * tier0 + 0.85 * nrm(k, 'imp_z') END AS z
            FROM c
        )
        SELECT k, enrolled, member, tier0 AS tier, status0 AS status, z,
               printf('%02d-%07d00', (100000000 + (k * 7919) % 900000000) // 10000000,
                      (100000000 + (k * 7919) % 900000000) % 10000000) AS ior,
               CASE WHEN k > {n_imp} * 0.1 AND u(k, 'imp_new') < sig(-3.6 + 0.8 * z) THEN 0
                    WHEN u(k, 'imp_new') < 0.05 THEN 1 + CAST(floor(u(k, 'imp_e') * 5) AS INTEGER)
                    ELSE CAST(6 + floor(exp(u(k, 'imp_e') * 8)) AS INTEGER) END AS prior_entries,
               CASE WHEN u(k, 'imp_v') < sig(-3.4 + 1.6 * z)
                    THEN 1 + CAST(floor(u(k, 'imp_v2') * 4) AS INTEGER) ELSE 0 END AS prior_violations,
               u(k, 'imp_r') >= sig(-2.8 + 0.7 * z) AS resident,
               1 + k % 6 AS n_suppliers
        FROM d
    """)
    con.execute(f"""
        CREATE TEMP TABLE mfrs AS
        WITH b0 AS (
            SELECT range AS k, cs.s[1 + CAST(floor(u(range, 'mf_c') * len(cs.s)) AS INTEGER)] AS country0,
                   hs.s[1 + CAST(floor(u(range, 'mf_h') * len(hs.s)) AS INTEGER)] AS chapter,
                   nrm(range, 'mf_z') AS z0, u(range, 'mf_m') < 0.08 AS member
            FROM range({n_mfr}) CROSS JOIN cslots cs CROSS JOIN chslots hs
        ), b AS (
            SELECT b0.*, c.risk AS country_risk, ch.risk AS commodity_risk, ch.vpk
            FROM b0 JOIN countries c ON c.code = coalesce(b0.country0, 'CN')
            JOIN chapters ch ON ch.chapter = coalesce(b0.chapter, 84)
        )
        SELECT k, coalesce(country0, 'CN') AS country, coalesce(chapter, 84) AS chapter,
               country_risk, commodity_risk, vpk,
               CASE WHEN member THEN z0 * 0.8 - 0.5 ELSE z0 END AS z, member,
               CASE WHEN u(k, 'mf_t') < 0.3 THEN 1 ELSE 2 END AS tier,
               coalesce(country0, 'CN') || letter(k, 'm1') || letter(k, 'm2') || letter(k, 'm3')
                   || letter(k, 'm4') || letter(k, 'm5') || letter(k, 'm6')
                   || CAST(100 + floor(u(k, 'mf_n') * 9900) AS INTEGER)
                   || letter(k, 'm7') || letter(k, 'm8') || letter(k, 'm9') AS mid,
               CASE WHEN u(k, 'mf_v') < sig(-3.2 + 1.1 * (CASE WHEN member THEN z0 * 0.8 - 0.5 ELSE z0 END))
                    THEN 1 + CAST(floor(u(k, 'mf_v2') * 3) AS INTEGER) ELSE 0 END AS prior_violations
        FROM b
    """)
    con.execute(f"""
        CREATE TEMP TABLE carriers AS
        SELECT range AS k, ['sea', 'air', 'truck', 'rail'][1 + range % 4] AS carrier_mode,
               chr(65 + CAST((range // 17576) % 26 AS INTEGER)) || chr(65 + CAST((range // 676) %
                   26 AS INTEGER))
                   || chr(65 + CAST((range // 26) % 26 AS INTEGER)) || chr(65 + CAST(range % 26 AS INTEGER))
                   AS scac,
               u(range, 'car_m') < CASE WHEN range < {n_car} * 0.2 THEN 0.7 ELSE 0.25 END AS member,
               CASE WHEN u(range, 'car_t') < 0.3 THEN 1 ELSE 2 END AS tier,
               0.4 * nrm(range, 'car_z') AS z
        FROM range({n_car})
    """)
    return {"importers": n_imp, "manufacturers": n_mfr, "carriers": n_car}


def _shipments_sql(rows: int, sizes: dict[str, int], bad_rate: float) -> str:
    n_imp, n_mfr, n_car = sizes["importers"], sizes["manufacturers"], sizes["carriers"]
    n_word, n_noun = len(WORDS), len(NOUNS)

    def serial(c: int) -> str:
        return f"lpad(CAST(CAST(floor(u(i * 4 + {c}, 'cn') * 1000000) AS INTEGER) AS VARCHAR), 6, '0')"

    return f"""
    WITH b AS (
        SELECT i, CAST(floor({n_imp} * pow(u(i, 'imp'), 3)) AS BIGINT) AS imp_k, u(i, 'sup') AS u_sup
        FROM ids
    ), j AS (
        SELECT b.*, im.ior, im.z AS z_imp, im.member AS imp_member, im.tier AS imp_tier, im.enrolled,
               im.prior_entries, im.prior_violations, im.resident,
               (imp_k * 7919 + CAST(floor(u_sup * im.n_suppliers) AS BIGINT) * 104729) % {n_mfr} AS mfr_k
        FROM b JOIN importers im ON im.k = b.imp_k
    ), j2 AS (
        SELECT j.*, mf.country AS origin, mf.chapter, mf.z AS z_mfr, mf.mid, mf.member AS mfr_member,
               mf.prior_violations AS mfr_violations, mf.country_risk, mf.commodity_risk, mf.vpk,
               CASE WHEN mf.country IN ('CA', 'MX') THEN
                        CASE WHEN u(i, 'mode') < 0.65 THEN 'truck' WHEN u(i, 'mode') < 0.80 THEN 'rail'
                             WHEN u(i, 'mode') < 0.90 THEN 'sea' ELSE 'air' END
                    ELSE CASE WHEN u(i, 'mode') < 0.78 THEN 'sea' ELSE 'air' END END AS mode
        FROM j JOIN mfrs mf ON mf.k = j.mfr_k
    ), r AS (
        SELECT j2.*, cp.ports AS home_ports,
               (CASE j2.mode WHEN 'sea' THEN 0 WHEN 'air' THEN 1 WHEN 'truck' THEN 2 ELSE 3 END
                + 4 * CAST(floor(pow(u(i, 'car'), 2) * {n_car // 4}) AS BIGINT)) AS car_k,
               -- route: lade at home, or at a hub abroad (always when no home port serves the mode)
               (cp.ports IS NULL OR u(i, 'hub') < 0.04 + 0.25 * country_risk) AS via_hub,
               j2.mode = 'sea' AND u(i, 'ts') < 0.08 + 0.2 * country_risk AS transshipped
        FROM j2 LEFT JOIN country_ports cp ON cp.country = j2.origin AND cp.mode = j2.mode
    ), p AS (
        SELECT r.* EXCLUDE (home_ports), ca.scac, ca.member AS car_member, ca.z AS z_car,
               CASE WHEN via_hub AND mode = 'air' THEN {_lst(AIR_HUBS)}[1 + CAST(floor(u(i, 'hp') *
                   {len(AIR_HUBS)}) AS INTEGER)]
                    WHEN via_hub THEN {_lst(SEA_HUBS)}[1 + CAST(floor(u(i, 'hp') * {len(SEA_HUBS)})
                        AS INTEGER)]
                    ELSE home_ports[1 + CAST(floor(u(i, 'hp') * len(home_ports)) AS INTEGER)] END
                        AS port_lading,
               CASE WHEN transshipped
                    THEN {_lst(TRANSSHIP)}[1 + CAST(floor(pow(u(i, 'tp'), 1.5 - country_risk) *
                        {len(TRANSSHIP)}) AS INTEGER)]
                    END AS transship_port,
               CASE WHEN mode = 'sea' THEN {_lst(US_SEA)}[1 + CAST(floor(pow(u(i, 'up'), 1.6) *
                   {len(US_SEA)}) AS INTEGER)]
                    WHEN mode = 'air' THEN {_lst(US_AIR)}[1 + CAST(floor(u(i, 'up') *
                        {len(US_AIR)}) AS INTEGER)]
                    WHEN origin = 'CA' THEN {_lst(US_LAND["CA"])}[1 + CAST(floor(u(i, 'up') * 4) AS INTEGER)]
                    ELSE {_lst(US_LAND["MX"])}[1 + CAST(floor(u(i, 'up') * 5) AS INTEGER)] END AS
                        port_unlading
        FROM r JOIN carriers ca ON ca.k = r.car_k
    ), v AS (
        SELECT p.*,
               substr(port_lading, 1, 2) AS lading_country,
               -- the latent process: hidden risks the rules never see, plus noise
               0.9 * z_imp + 0.5 * z_mfr + z_car + 1.2 * country_risk + 0.8 * commodity_risk
                   + CASE WHEN via_hub THEN 0.3 ELSE 0 END
                   + 0.5 * (hash(origin, port_lading, 'route') % 1000 / 1000.0 - 0.5)
                   + CASE WHEN transship_port IN ('PKKHI', 'NGAPP') THEN 0.8 ELSE 0 END
                   + CASE WHEN imp_member THEN -0.3 ELSE 0 END
                   + CASE WHEN prior_entries = 0 THEN 0.5 ELSE 0 END
                   + 0.8 * nrm(i, 'noise') AS latent
        FROM p
    ), w AS (
        SELECT v.*, u(i, 'viol') < sig(-6.3 + 1.25 * latent) AS violation,
               u(i, 'silent') < 0.35 AS silent
        FROM v
    ), x AS (
        SELECT w.*, violation AND NOT silent AS sign,
               CASE mode WHEN 'sea' THEN CASE WHEN u(i, 'nc') < 0.75 THEN 1 WHEN u(i, 'nc') < 0.93
                   THEN 2 ELSE 3 END
                         WHEN 'rail' THEN CASE WHEN u(i, 'nc') < 0.5 THEN 1 ELSE 0 END ELSE 0 END AS n_cont,
               CASE mode WHEN 'sea' THEN 2000 + 20000 * u(i, 'wt') WHEN 'air' THEN 5 + 800 *
                   pow(u(i, 'wt'), 2)
                         WHEN 'truck' THEN 1000 + 17000 * u(i, 'wt') ELSE 10000 + 70000 * u(i,
                             'wt') END AS base_wt,
               CASE WHEN u(i, 'bad') < {bad_rate} THEN 1 + CAST(floor(u(i, 'badk') * 5) AS INTEGER) ELSE 0 END
                   AS bad
        FROM w
    ), y AS (
        SELECT x.*,
               round(CASE WHEN sign AND u(i, 'ow') < 0.08 THEN greatest(n_cont, 1) * (31000 + 3000
                   * u(i, 'ow2'))
                          ELSE base_wt * greatest(n_cont, 1) END, 1) AS weight,
               sign AND u(i, 'uv') < 0.35 AS undervalued,
               CASE WHEN bad = 5 THEN substr(scac, 1, 3) || 'U' || {serial(0)} || 'X'
                    ELSE iso6346(substr(scac, 1, 3) || 'U' || {serial(0)}) END AS c0,
               CASE WHEN n_cont >= 2 THEN iso6346(substr(scac, 1, 3) || 'U' || {serial(1)}) END AS c1,
               CASE WHEN n_cont >= 3 THEN iso6346(substr(scac, 1, 3) || 'U' || {serial(2)}) END AS c2
        FROM x
    )
    SELECT
        printf('SYN%010d', i) AS shipment_id,
        DATE '2025-01-01' + CAST(floor(u(i, 'day') * 365) AS INTEGER) AS arrival_date,
        mode,
        CASE WHEN bad = 1 THEN NULL ELSE ior END AS importer_ior,
        resident AS importer_resident,
        prior_entries AS importer_prior_entries,
        prior_violations AS importer_prior_violations,
        CASE WHEN u(i, 'm_cn') < 0.008 + CASE WHEN z_imp > 1.5 THEN 0.06 ELSE 0 END
                                      + CASE WHEN sign THEN 0.05 ELSE 0 END
             THEN NULL ELSE 'CONSIGNEE ' || imp_k END AS consignee,
        CASE WHEN u(i, 'm_sl') < 0.008 + CASE WHEN sign THEN 0.06 ELSE 0 END THEN NULL
             ELSE 'SELLER ' || mfr_k || ', ' || origin END AS seller,
        CASE WHEN u(i, 'm_by') < 0.006 THEN NULL ELSE 'BUYER ' || imp_k END AS buyer,
        CASE WHEN u(i, 'm_mid') < 0.01 + CASE WHEN z_imp > 1.2 THEN 0.04 ELSE 0 END
                                       + CASE WHEN sign THEN 0.10 ELSE 0 END
             THEN NULL ELSE mid END AS manufacturer_mid,
        mfr_violations AS manufacturer_prior_violations,
        CASE WHEN u(i, 'm_st') < 0.006 THEN NULL ELSE 'SHIP-TO ' || imp_k END AS ship_to,
        CASE WHEN mode NOT IN ('sea', 'rail') THEN NULL
             WHEN u(i, 'm_stf') < 0.02 + CASE WHEN z_imp > 1 THEN 0.06 ELSE 0 END
                                       + CASE WHEN sign THEN 0.08 ELSE 0 END
             THEN NULL ELSE 'STUFFED AT ' || port_lading END AS stuffing_location,
        CASE WHEN mode = 'sea' AND u(i, 'cons') < 0.3 THEN 'NVOCC ' || (mfr_k % 97) END AS consolidator,
        CASE WHEN bad = 2 THEN 'SCAC1' ELSE scac END AS carrier_scac,
        CASE WHEN bad = 3 THEN 'XX' ELSE origin END AS country_origin,
        port_lading,
        port_unlading,
        transship_port,
        printf('%02d%02d.%02d.%04d', chapter, 1 + CAST(floor(u(mfr_k, 'hd') * 60) AS INTEGER),
               CAST(floor(u(i, 'hs') * 100) AS INTEGER), CAST(floor(u(i, 'hx') * 10000) AS
                   INTEGER)) AS hts_code,
        CASE WHEN u(i, 'vg') < 0.03 + CASE WHEN z_imp > 1 THEN 0.03 ELSE 0 END + CASE WHEN sign
            THEN 0.12 ELSE 0 END
             THEN {_lst(VAGUE)}[1 + CAST(floor(u(i, 'vgw') * {len(VAGUE)}) AS INTEGER)]
             ELSE {_lst(WORDS)}[1 + CAST(floor(u(i, 'w1') * {n_word}) AS INTEGER)] || ' '
                  || {_lst(NOUNS)}[1 + CAST(floor(u(i, 'w2') * {n_noun}) AS INTEGER)] END AS description,
        round(weight * vpk * exp(0.6 * nrm(i, 'val')) / CASE WHEN undervalued THEN 8 + 40 * u(i,
            'uvf') ELSE 1 END, 2)
            AS declared_value_usd,
        CASE WHEN bad = 4 THEN -weight ELSE weight END AS gross_weight_kg,
        CASE n_cont WHEN 0 THEN NULL WHEN 1 THEN c0 WHEN 2 THEN c0 || ';' || c1
                    ELSE c0 || ';' || c1 || ';' || c2 END AS container_numbers,
        CASE WHEN n_cont = 0 OR u(i, 'ns') < 0.015 + CASE WHEN sign THEN 0.08 ELSE 0 END THEN NULL
             ELSE 'SL' || lpad(CAST(CAST(floor(u(i, 'sn') * 100000000) AS BIGINT) AS VARCHAR), 8, '0') END
            AS seal_numbers,
        n_cont > 0 AND u(i, 'hs17712') < 0.85 - 0.2 * (z_imp > 1)::INTEGER AS seal_high_security,
        n_cont > 0 AND u(i, 'smm') < 0.001 + CASE WHEN sign THEN 0.08 ELSE 0 END AS seal_mismatch,
        n_cont > 0 AND u(i, 'stp') < 0.0002 + CASE WHEN sign THEN 0.015 ELSE 0 END AS seal_tampered,
        mode = 'sea' AND u(i, 'csd') < 0.05 AND u(i, 'csda') < 0.002 + CASE WHEN sign THEN 0.2 ELSE
            0 END AS csd_alarm,
        mode = 'truck' AND u(i, 'fast') < 0.6 AS fast_driver_card,
        TRUE AS synthetic,
        violation AS synthetic_violation
    FROM y
    """


def _snapshot_sql() -> str:
    return """
        SELECT 'IOR' AS identifier_type, ior AS identifier_value, CAST(k + 1 AS BIGINT) AS partner_id,
               status, CAST(tier AS INTEGER) AS tier
        FROM importers WHERE enrolled
        UNION ALL
        SELECT 'IOR', ior, CAST(k + 1 AS BIGINT), 'applicant', 0 FROM importers
        WHERE NOT enrolled AND u(k, 'appl') < 0.02
        UNION ALL
        SELECT 'MID', mid, CAST(10000000 + k AS BIGINT), 'certified', CAST(tier AS INTEGER) FROM
            mfrs WHERE member
        UNION ALL
        SELECT 'SCAC', scac, CAST(20000000 + k AS BIGINT), 'certified', CAST(tier AS INTEGER)
        FROM carriers WHERE member
    """


def generate(
    rows: int,
    seed: int,
    out_dir: str | Path,
    *,
    bad_rate: float = 0.0002,
    settings: EngineSettings | None = None,
) -> GenerateSummary:
    """Write ``shipments.parquet`` (with ground truth) and ``partners_snapshot.parquet`` into ``out_dir``."""
    import time

    if rows < 1:
        raise ValueError("rows must be positive")
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shipments, snapshot = out / "shipments.parquet", out / "partners_snapshot.parquet"
    con = connect(settings)
    # Cardinality estimates over hash-derived keys are poor; keep hash tables on the small side.
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    try:
        sizes = _setup(con, rows, seed)
        # range() is scanned by one thread; a table of row ids is scanned in parallel.
        con.execute(f"CREATE TEMP TABLE ids AS SELECT range AS i FROM range({rows})")
        meta = json.dumps({"synthetic": True, "seed": seed, "rows": rows, "generator": GENERATOR_VERSION})
        kv = f"KV_METADATA {{greenlane_synthetic: {q(meta)}}}"
        con.execute(
            f"COPY ({_shipments_sql(rows, sizes, bad_rate)}) TO {q(str(shipments))} "
            f"(FORMAT parquet, COMPRESSION zstd, {kv})"
        )
        con.execute(f"COPY ({_snapshot_sql()} ORDER BY 1, 2, 3) TO {q(str(snapshot))} (FORMAT parquet, {kv})")
        viol, bad = con.execute(
            "SELECT count(*) FILTER (synthetic_violation), count(*) FILTER (importer_ior IS NULL "
            "OR country_origin = 'XX' OR gross_weight_kg < 0 OR carrier_scac = 'SCAC1' "
            f"OR substr(container_numbers, 11, 1) = 'X') FROM read_parquet({q(str(shipments))})"
        ).fetchone()  # type: ignore[misc]
        member_share = con.execute("SELECT avg(member::INTEGER) FROM importers").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    return GenerateSummary(
        rows=rows,
        seed=seed,
        shipments_path=str(shipments),
        snapshot_path=str(snapshot),
        importers=sizes["importers"],
        manufacturers=sizes["manufacturers"],
        carriers=sizes["carriers"],
        violations=int(viol),
        violation_rate=round(viol / rows, 6),
        member_share=round(float(member_share), 4),
        bad_rows=int(bad),
        seconds=round(time.perf_counter() - t0, 3),
    )


def summary_dict(s: GenerateSummary) -> dict[str, object]:
    return asdict(s)


def write_synthetic_snapshot(path: str | Path, *, rows: int, seed: int) -> int:
    """Write only the partners' snapshot that ``generate(rows, seed)`` would write; returns its row count."""
    con = connect()
    try:
        _setup(con, rows, seed)
        return int(
            con.execute(
                f"COPY ({_snapshot_sql()} ORDER BY 1, 2, 3) TO {q(str(path))} (FORMAT parquet)"
            ).fetchone()[0]  # type: ignore[index]
        )
    finally:
        con.close()
