"""Figure: vetting match of one company against 1,000,000 compliance records under 1 s.

    python bench/vetting.py [--records N] [--companies N] [--db-records N] [--runs N] [--seed N] [--quick]
                            [--backend sqlite|postgres|all|none]

Part 1, the matching core at full size (no database): 1,000,000 synthetic compliance records (about 400,000
subjects, most with one to three records, some repeat offenders; names from a 6,000-word vocabulary plus
trade words and legal forms, 30 countries weighted like CBP's trade) are generated in memory and loaded
straight into `greenlane.vetting.matching.MatchIndex` (the index the service keeps per import version).
Index build time and its memory are printed. Then 20 companies are matched: 8 whose name is in the data
under another legal form, 6 misspelled, 6 absent; 5 of them have a second (DBA) name. Each match is the
service's work minus the database: `Subject.of` + `MatchIndex.candidates` + exact scores with addresses
(`rank`), timed wall-clock and CPU. Baselines in the same run: an exact identifier lookup in a dict of
1,000,000 identifiers, and the naive way (the full formula in a pure-Python loop) over 10,000 records,
extrapolated to 1,000,000.

Part 2, end to end through the database (each backend in its own subprocess and a throwaway database,
like bench/partner_search.py): --db-records records (default 100,000) are written as a CSV and imported
with `services.compliance_import` (validation pass + bulk insert; rows/s), 20 partners are inserted, and
`services.run_matching(partner)` is timed: the first call (which builds the index from the database), then
each partner's first run (writes its matches), then re-runs (nothing changes).

Wall-clock figures depend on the machine's load (printed): the CPU time of the same work is printed next
to them. Lines starting with `BENCH-RESULT ` carry one JSON result each, for bench/run.py's summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from greenlane.vetting import matching  # noqa: E402  (pure: no Django)

BENCH_NAME = "vetting"
TARGET_MS = 1000.0
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

COUNTRY_WEIGHTS = {
    "US": 30,
    "CN": 16,
    "MX": 12,
    "CA": 6,
    "VN": 4,
    "IN": 4,
    "DE": 3,
    "JP": 2,
    "KR": 2,
    "TW": 2,
    "IT": 2,
    "TH": 1.5,
    "TR": 1.5,
    "BR": 1.5,
    "GB": 1.5,
    "FR": 1,
    "MY": 1,
    "ID": 1,
    "BD": 1,
    "PK": 1,
    "CO": 1,
    "GT": 1,
    "HN": 1,
    "SV": 0.5,
    "DO": 0.5,
    "CR": 0.5,
    "PE": 0.5,
    "CL": 0.5,
    "PH": 0.5,
    "KH": 0.5,
}
LEGAL = {
    "US": ["LLC", "Inc.", "Corp.", "Co.", ""],
    "CN": ["Co., Ltd.", "Limited", ""],
    "MX": ["S.A. de C.V.", "S. de R.L. de C.V.", ""],
    "CA": ["Ltd.", "Inc.", ""],
    "DE": ["GmbH", "AG", "GmbH & Co. KG"],
    "JP": ["K.K.", "Co., Ltd."],
    "IT": ["S.p.A.", "S.r.l."],
    "BR": ["Ltda.", "S.A."],
    "GB": ["Ltd", "PLC"],
    "FR": ["SAS", "SARL"],
    "IN": ["Pvt. Ltd.", "Limited"],
    "CO": ["S.A.S."],
}
_TRADE_WORDS = (
    "Imports Trading Logistics Transport Industries Manufacturing Group Global International Freight "
    "Textiles Electronics Apparel Foods Metals Plastics Holdings Enterprises Supply Exports Chemicals "
    "Furniture Footwear Components Machinery Seafood Auto Parts Steel Paper Packaging Garments Toys Tools "
    "Pharma Ceramics Glass Rubber Solar Lighting Cargo Shipping Marine Agro Produce Coffee Cotton Leather "
    "Wood Stone Distribution"
)
TRADE_WORDS = _TRADE_WORDS.split()
STREETS = [
    "Industrial Park",
    "Harbor Way",
    "Port Road",
    "Commerce Street",
    "Avenida Central",
    "Dock Road",
    "Export Zone",
    "Free Trade Zone",
    "Main Street",
    "Calle 5 de Mayo",
    "Keji Road",
    "Nanjing Road",
]
_SYLLABLES = (
    "ka lo mi ne ro sa ta vi zu an el or ba de fi gu ha jo ku la ma no pe qu ri so tu wa ya xi bel cor "
    "dan fen gar hol kin lar mor nor pal quin ros sten tor val wen zor ash bri cla dro"
)
SYLLABLES = _SYLLABLES.split()


@dataclass
class Subject:
    name: str
    country: str
    address: str
    key: str
    address_key: str


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize())
    return sorted(words)


def make_subject(rng: random.Random, words: list[str]) -> Subject:
    country = weighted(rng, COUNTRY_WEIGHTS)
    distinctive = " ".join(rng.choice(words) for _ in range(rng.choice((1, 1, 2))))
    trade = " ".join(rng.sample(TRADE_WORDS, rng.choice((1, 1, 2))))
    name = f"{distinctive} {trade} {rng.choice(LEGAL.get(country, ['Ltd.', '']))}".strip()
    address = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}, {rng.choice(words)} {rng.randint(10000, 99999)}"
    return Subject(name, country, address, matching.name_key(name), matching.address_key(address))


def generate(n_records: int, rng: random.Random) -> tuple[list[Subject], array]:
    """Subjects and, per record (record id = position + 1), the index of its subject."""
    words = vocabulary(rng)
    subjects: list[Subject] = []
    owner = array("l")
    while len(owner) < n_records:
        subject = make_subject(rng, words)
        subjects.append(subject)
        roll = rng.random()
        count = 1 if roll < 0.6 else rng.randint(2, 3) if roll < 0.9 else rng.randint(4, 10)
        for _ in range(min(count, n_records - len(owner))):
            owner.append(len(subjects) - 1)
    return subjects, owner


def misspell(name: str, rng: random.Random) -> str:
    letters = list(name)
    i = rng.randrange(1, max(2, len(letters) - 1))
    if rng.random() < 0.5:
        del letters[i]
    else:
        letters[i] = rng.choice(string.ascii_lowercase)
    return "".join(letters).upper()


@dataclass
class Company:
    label: str
    names: list[str]
    address: str
    country: str
    identifier: str


def companies(subjects: list[Subject], n: int, rng: random.Random) -> list[Company]:
    words = vocabulary(random.Random(99))
    out: list[Company] = []
    for i in range(n):
        kind = "present" if i < n * 0.4 else "misspelled" if i < n * 0.7 else "absent"
        if kind == "absent":
            s = make_subject(rng, [w + "q" for w in words[:500]])
            base = s.name
        else:
            s = subjects[rng.randrange(len(subjects))]
            stem = matching.fold(s.name)
            base = f"{stem} Incorporated" if kind == "present" else misspell(s.name, rng)
        names = [base] + ([f"{rng.choice(words)} {rng.choice(TRADE_WORDS)}"] if i % 4 == 1 else [])
        out.append(Company(kind, names, s.address, s.country, f"ein 12-{rng.randrange(10**7):07d}"))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def load() -> str:
    try:
        one, five, _fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def index_bytes(index: matching.MatchIndex) -> int:
    strings = sum(sys.getsizeof(s) for s in index.names)
    arrays = sum(a.buffer_info()[1] * a.itemsize for a in (index.ids, index.starts, index.country_of))
    return strings + sys.getsizeof(index.names) + arrays


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def verdict(p95_ms: float) -> str:
    return "PASS" if p95_ms < TARGET_MS else "MISS"


# --- part 1: the core at full size ----------------------------------------------------------------------


def part_core(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    print(f"Machine load: {load()}", flush=True)
    t0 = time.perf_counter()
    subjects, owner = generate(args.records, rng)
    print(
        f"Generated {len(owner):,} records of {len(subjects):,} subjects in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    rows = sorted(
        ((rid + 1, subjects[s].country, subjects[s].key) for rid, s in enumerate(owner)),
        key=lambda r: (r[1], r[2], r[0]),
    )
    sort_s = time.perf_counter() - t0
    index = matching.MatchIndex.build(rows, version="bench")
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    del rows
    size_mb = index_bytes(index) / 1e6
    print(
        f"Index: {index.record_count:,} records, {len(index):,} distinct (country, name) entries; built in "
        f"{build_s:.2f} s wall / {build_cpu:.2f} s CPU (of which sorting {sort_s:.2f} s; the service reads "
        f"the rows already sorted from the database); {size_mb:.0f} MB (strings and arrays; peak RSS grew "
        f"{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024:.0f} MB)",
        flush=True,
    )
    emit(
        backend="memory",
        case="index build",
        via="core",
        seconds=round(build_s, 2),
        memory_mb=round(size_mb, 1),
        records=index.record_count,
        distinct_names=len(index),
    )

    # What the service would fetch from the database for the candidates: name key, address key, country.
    def detail(rid: int) -> tuple[int, str, str, str]:
        s = subjects[owner[rid - 1]]
        return rid, s.key, s.address_key, s.country

    cases = companies(subjects, args.companies, rng)
    walls: list[float] = []
    cpus: list[float] = []
    print(
        "\n" + f"{'company':<11} {'names':>5} {'groups':>6} {'matches':>7} {'best':>6} "
        f"{'wall ms':>8} {'cpu ms':>7}"
    )
    for _warm in range(2):
        subject = matching.Subject.of(cases[0].names, [cases[0].address], [cases[0].country])
        matching.rank(subject, [detail(r) for c in index.candidates(subject) for r in c.record_ids])
    for case in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        subject = matching.Subject.of(case.names, [case.address], [case.country])
        candidates = index.candidates(subject)
        ranked = matching.rank(subject, [detail(r) for c in candidates for r in c.record_ids])
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        walls.append(wall)
        cpus.append(cpu)
        best = f"{ranked[0][1].score:.1f}" if ranked else "-"
        print(
            f"{case.label:<11} {len(case.names):>5} {len(candidates):>6} {len(ranked):>7} {best:>6} "
            f"{wall:8.1f} {cpu:7.1f}"
        )

    # Baseline 1: exact identifier lookup in a dict of every record's identifier.
    ids: dict[str, list[int]] = {}
    for rid in range(1, len(owner) + 1):
        ids.setdefault(f"ein 12-{(rid * 7919) % 10**7:07d}", []).append(rid)
    lookups = []
    for case in cases:
        t0 = time.perf_counter()
        ids.get(case.identifier, [])
        lookups.append((time.perf_counter() - t0) * 1000)
    # Baseline 2: the naive way, the full formula for every record in a Python loop, over 10,000 records.
    sample = [detail(rid) for rid in range(1, min(10_000, len(owner)) + 1)]
    subject = matching.Subject.of(cases[0].names, [cases[0].address], [cases[0].country])
    t0 = time.perf_counter()
    for _rid, nk, ak, country in sample:
        matching.score_record(subject, nk, ak, country)
    naive_ms = (time.perf_counter() - t0) * 1000 * (len(owner) / len(sample))

    p50, p95 = statistics.median(walls), percentile(walls, 95)
    print(
        f"\nMatch one company against {index.record_count:,} records ({len(cases)} companies): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms wall; CPU p50 {statistics.median(cpus):.0f} ms, "
        f"p95 {percentile(cpus, 95):.0f} ms  ->  {verdict(p95)} (target p95 < {TARGET_MS:.0f} ms)"
    )
    print(
        f"Baseline, exact identifier lookup (dict of {len(ids):,}): "
        f"p50 {statistics.median(lookups) * 1000:.1f} µs"
    )
    print(
        f"Baseline, naive loop (the formula per record, pure Python): {naive_ms / 1000:.1f} s for "
        f"{len(owner):,} records (measured on {len(sample):,}, extrapolated); the index is "
        f"{naive_ms / p50:.0f}x faster at the median"
    )
    emit(
        backend="memory",
        case=f"match 1 company vs {index.record_count:,} records",
        via="core",
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        cpu_p50_ms=round(statistics.median(cpus), 1),
        cpu_p95_ms=round(percentile(cpus, 95), 1),
        target=f"p95 < {TARGET_MS:.0f} ms",
        status=verdict(p95),
        baseline_naive_ms=round(naive_ms),
        baseline_dict_us=round(statistics.median(lookups) * 1000, 1),
        load=load(),
    )


# --- part 2: end to end through the database ----------------------------------------------------------


def write_csv(path: Path, subjects: list[Subject], owner: array, rng: random.Random) -> None:
    kinds = (
        ["penalty"] * 40
        + ["seizure"] * 20
        + ["liquidated_damages"] * 20
        + ["unpaid_debt"] * 10
        + ["prior_suspension", "prior_removal", "watch_list"] * 3
    )
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "source_ref",
                "kind",
                "date",
                "name",
                "address",
                "country",
                "identifier_type",
                "identifier_value",
                "amount",
                "details",
            ]
        )
        for rid, s_index in enumerate(owner, start=1):
            s = subjects[s_index]
            has_id = rid % 3 == 0
            writer.writerow(
                [
                    f"R{rid:08d}",
                    rng.choice(kinds),
                    f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    s.name,
                    s.address,
                    s.country,
                    "ein" if has_id else "",
                    f"12-{(s_index * 7919) % 10**7:07d}" if has_id else "",
                    f"{rng.randint(100, 90000)}.00",
                    "",
                ]
            )


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from greenlane.partners.models import Identifier, Partner, Site
    from greenlane.vetting import index, services
    from greenlane.vetting.models import VettingMatch

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    subjects, owner = generate(args.db_records, rng)
    tmp = Path(os.environ["GREENLANE_VAR_DIR"])
    path = tmp / "compliance.csv"
    write_csv(path, subjects, owner, rng)
    print(
        f"[{backend}] {connection.vendor}: importing {len(owner):,} records "
        f"({path.stat().st_size / 1e6:.0f} MB CSV)...",
        flush=True,
    )
    t0 = time.perf_counter()
    with path.open("rb") as stream:
        batch = services.compliance_import(actor=None, stream=stream, file_name=path.name, source="bench")
    import_s = time.perf_counter() - t0
    print(
        f"[{backend}] imported {batch.created_count:,} rows in {import_s:.1f} s "
        f"({batch.created_count / import_s:,.0f} rows/s, validation pass included)",
        flush=True,
    )
    t0 = time.perf_counter()
    with path.open("rb") as stream:
        again = services.compliance_import(actor=None, stream=stream, file_name=path.name, source="bench")
    print(
        f"[{backend}] the same file again: {again.unchanged_count:,} unchanged, 0 written, in "
        f"{time.perf_counter() - t0:.1f} s",
        flush=True,
    )

    cases = companies(subjects, args.companies, rng)
    partners = []
    for n, case in enumerate(cases):
        p = Partner.objects.create(
            reference=f"GL-BENCH{n:04d}",
            entity_type="importer",
            legal_name=case.names[0],
            dba_name=case.names[1] if len(case.names) > 1 else "",
            country=case.country,
            search_name=case.names[0].lower(),
        )
        # Every third company shares an identifier with one record: an automatic identifier match.
        if n % 3 == 0:
            Identifier.objects.create(
                partner=p,
                type="ein",
                value=f"12-{(owner[n * 3 + 2] * 7919) % 10**7:07d}",
                entity_type="importer",
            )
        Site.objects.create(
            partner=p, kind="headquarters", name="HQ", street=case.address, city="City", country=case.country
        )
        partners.append(p)

    t0 = time.perf_counter()
    index.clear()
    services.run_matching(partners[0])
    cold_ms = (time.perf_counter() - t0) * 1000
    print(
        f"[{backend}] first run_matching in this process (builds the index from the database): "
        f"{cold_ms:.0f} ms",
        flush=True,
    )
    first: list[float] = []
    for p in partners[1:]:
        t0 = time.perf_counter()
        services.run_matching(p)
        first.append((time.perf_counter() - t0) * 1000)
    reruns: list[float] = []
    for _round in range(args.runs):
        for p in partners:
            t0 = time.perf_counter()
            services.run_matching(p)
            reruns.append((time.perf_counter() - t0) * 1000)
    found = VettingMatch.objects.count()
    for label, values in (("first run (writes matches)", first), ("re-run (nothing changes)", reruns)):
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(
            f"[{backend}] run_matching vs {len(owner):,} records, {label}: p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms "
            f"-> {verdict(p95)}",
            flush=True,
        )
        emit(
            backend=backend,
            case=f"run_matching vs {len(owner):,} records, {label}",
            via="service",
            p50_ms=round(p50, 1),
            p95_ms=round(p95, 1),
            target=f"p95 < {TARGET_MS:.0f} ms",
            status=verdict(p95),
        )
    print(
        f"[{backend}] {found} matches stored for {len(partners)} partners; index build "
        f"{cold_ms:.0f} ms; import {batch.created_count / import_s:,.0f} rows/s; load {load()}",
        flush=True,
    )
    emit(
        backend=backend,
        case="import",
        via="service",
        rows=batch.created_count,
        seconds=round(import_s, 1),
        rows_per_s=round(batch.created_count / import_s),
        index_build_ms=round(cold_ms),
    )
    return 0


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def run_backend(backend: str, args: argparse.Namespace, passthrough: list[str]) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        dbname = ""
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            try:
                admin = _pg_admin()
            except Exception as exc:  # any failure to connect means "not reachable"
                message = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({exc.__class__.__name__}); skipped."
                print(f"[postgres] {message}")
                emit(backend="postgres", status="SKIP", note=message)
                return 0
            dbname = f"greenlane_bench_vetting_{os.getpid()}"
            with admin:
                admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            return subprocess.call(
                [sys.executable, os.path.abspath(__file__), "--worker", backend, *passthrough], env=env
            )
        finally:
            if dbname:
                with _pg_admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="records in the in-memory index")
    parser.add_argument("--companies", type=int, default=20, help="companies matched (default 20)")
    parser.add_argument("--db-records", type=int, default=100_000, help="records in the database part")
    parser.add_argument("--runs", type=int, default=3, help="re-run rounds in the database part")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all", "none"], default="all")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--quick", action="store_true", help="100,000 records in memory, 20,000 in the database"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.records, args.db_records = 100_000, 20_000
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker, args)
    part_core(args)
    passthrough = [
        "--db-records",
        str(args.db_records),
        "--companies",
        str(args.companies),
        "--runs",
        str(args.runs),
        "--seed",
        str(args.seed),
    ]
    backends = {"all": ["sqlite", "postgres"], "none": []}.get(args.backend, [args.backend])
    failed = 0
    for backend in backends:
        print(f"\n--- end to end, {backend} ---", flush=True)
        rc = run_backend(backend, args, passthrough)
        if rc:
            print(f"[{backend}] crashed (exit {rc})", file=sys.stderr)
            failed = rc
    return failed


if __name__ == "__main__":
    sys.exit(main())
