"""Security profiles and automated decisions (issues 3 and 4), on SQLite and PostgreSQL, one subprocess each.

    .venv/bin/python bench/decisions.py [--partners N] [--runs N] [--backend sqlite|postgres|all] [--quick]

Figures, each beside a baseline measured in the same run:
- catalog load of all entity types (both bundled catalog versions): under 5 s;
- saving one answer (profiles.services.answer_save, a real change each time): p95 under 50 ms;
- submission to decision (screening.services.application_submit) for a profile of ~110 answers:
  p95 under 300 ms;
- simulating a candidate rule set over 100,000 partners (applicants and members): under 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BENCH_NAME = "decisions"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def emit(
    backend: str, case: str, samples_ms: list[float], target_ms: float | None, *, single: bool = False
) -> None:
    p50, p95 = (
        (samples_ms[0], samples_ms[0]) if single else (statistics.median(samples_ms), pct(samples_ms, 0.95))
    )
    status = "INFO" if target_ms is None else ("PASS" if p95 < target_ms else "MISS")
    target = (
        None
        if target_ms is None
        else (f"< {target_ms / 1000:.0f} s" if single else f"p95 < {target_ms:.0f} ms")
    )
    print(f"  {case:<46} p50 {p50:10.1f} ms  p95 {p95:10.1f} ms  {status if target else ''} {target or ''}")
    print(
        "BENCH-RESULT "
        + json.dumps(
            {
                "bench": BENCH_NAME,
                "backend": backend,
                "case": case,
                "via": "service",
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "target": target,
                "status": status,
            }
        )
    )


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from greenlane.accounts.services import user_create
    from greenlane.criteria.models import CatalogVersion
    from greenlane.partners.models import Partner
    from greenlane.profiles import selectors as profile_selectors
    from greenlane.profiles import services as profile_services
    from greenlane.screening import services as screening
    from greenlane.screening.rules import parse_ruleset
    from greenlane.screening.simulation import simulate

    call_command("migrate", interactive=False, verbosity=0)
    print(
        f"\n== Profiles and decisions, {backend} ({connection.vendor}); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs =="
    )
    # 1. Catalog load: both bundled versions, every entity type, into the fresh database.
    load_ms = timed(lambda: call_command("load_criteria", stdout=open(os.devnull, "w")))  # noqa: SIM115
    base_ms = timed(lambda: list(CatalogVersion.objects.all()))
    emit(backend, "baseline: list catalog versions", [base_ms], None, single=True)
    emit(backend, "catalog load (all entity types, 2 versions)", [load_ms], 5000, single=True)

    officer = user_create(
        actor=None, email="bench-officer@example.com", password="bench-password-123", verified=True
    )
    user_create(actor=None, email="bench-scs@example.com", password="bench-password-123", staff_role="scs")
    from greenlane.partners.tests.factories import complete_importer

    # 2. Saving one answer, alternating the narrative so each save is a real, audited change.
    partner = complete_importer(officer, with_profile=False)
    _access, profile = profile_services.profile_ensure(actor=officer, partner_id=partner.pk)
    codes = [a.criterion.code for a in profile_selectors.answers(profile)]
    answer_id = profile_selectors.answer_for(profile, codes[0]).pk
    from greenlane.profiles.models import Answer

    baseline, samples = [], []
    for i in range(args.runs + 3):
        b = timed(lambda i=i: Answer.objects.filter(pk=answer_id).update(narrative=f"baseline {i}"))
        s = timed(
            lambda i=i: profile_services.answer_save(
                actor=officer,
                partner_id=partner.pk,
                criterion_code=codes[i % len(codes)],
                status="implemented",
                narrative=f"Procedure version {i}",
            )
        )
        if i >= 3:
            baseline.append(b)
            samples.append(s)
    emit(backend, "baseline: one UPDATE of an answer row", baseline, None)
    emit(backend, f"save one answer ({len(codes)} in the profile)", samples, 50)

    # 3. Submission to decision, for ready importers (profile answered and submitted, agreement signed).
    from greenlane.partners import services as partner_services

    ready = []
    for _ in range(args.runs + 3):
        p = complete_importer(officer)
        partner_services.agreement_sign(
            actor=officer, partner_id=p.pk, name="Bench Officer", title="CSO", accept=True
        )
        ready.append(p.pk)
    n_answers = len(
        profile_selectors.answers(profile_selectors.current_profile(Partner.objects.get(pk=ready[0])))
    )
    baseline, samples = [], []
    for i, pid in enumerate(ready):
        b = timed(lambda pid=pid: Partner.objects.filter(pk=pid).first())
        s = timed(lambda pid=pid: screening.application_submit(actor=officer, partner_id=pid))
        if i >= 3:
            baseline.append(b)
            samples.append(s)
    emit(backend, "baseline: partner lookup by id", baseline, None)
    emit(backend, f"submission to decision ({n_answers} answers)", samples, 300)

    # 4. Simulation over a large population (partners with identifiers, sites and profile summaries).
    from partner_search import populate

    t0 = time.perf_counter()
    info = populate(args.partners, seed=2004)
    _add_snapshots()
    print(f"  (populated {info['partners']:,} partners in {time.perf_counter() - t0:.0f} s)")
    _version, current = screening.active_ruleset()
    candidate_text = _version.text.replace("certify_below: 30", "certify_below: 20").replace(
        'version: "2026.1"', 'version: "bench"'
    )
    candidate = parse_ruleset(candidate_text)
    base_ms = timed(lambda: list(Partner.objects.values_list("id", "status")))
    report = None

    def run():
        nonlocal report
        report = simulate(current, candidate, examples=5)

    sim_ms = timed(run)
    emit(backend, "baseline: read id and status of every partner", [base_ms], None, single=True)
    emit(
        backend,
        f"simulate a rule set over {report.population:,} applicants+members",
        [sim_ms],
        30000,
        single=True,
    )
    print(f"  ({report.changed:,} decisions would change)")
    return 0


def _add_snapshots() -> None:
    """Give populated applicants and members a current profile with a submitted snapshot (summary only)."""
    import hashlib

    from django.utils import timezone

    from greenlane.accounts.models import User
    from greenlane.criteria.selectors import active_version
    from greenlane.partners.models import Partner
    from greenlane.profiles.models import ProfileSnapshot, SecurityProfile

    rng = random.Random(7)
    version = active_version()
    user = User.objects.order_by("id").first()
    ids = list(
        Partner.objects.filter(status__in=["submitted", "under_review", "certified", "suspended"])
        .exclude(profiles__isnull=False)
        .values_list("id", flat=True)
    )
    now = timezone.now()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        profiles = SecurityProfile.objects.bulk_create(
            [
                SecurityProfile(partner_id=pid, catalog_version=version, state="submitted", submitted_at=now)
                for pid in chunk
            ]
        )
        if not all(p.pk for p in profiles):
            profiles = list(SecurityProfile.objects.filter(partner_id__in=chunk))
        snaps = []
        for p in profiles:
            gap = rng.choice([0.0, 0.0, 0.0, 0.02, 0.08, 0.2])
            summary = {
                "answers": 100,
                "must_total": 65,
                "must_not_implemented_share": gap / 2,
                "must_gap_share": gap,
                "not_applicable_share": rng.choice([0.02, 0.05, 0.4]),
            }
            snaps.append(
                ProfileSnapshot(
                    profile_id=p.pk,
                    revision=1,
                    catalog_version=version,
                    submitted_at=now,
                    submitted_by=user,
                    data={},
                    summary=summary,
                    sha256=hashlib.sha256(str(p.pk).encode()).hexdigest(),
                )
            )
        ProfileSnapshot.objects.bulk_create(snaps)


def run_backend(backend: str, argv: list[str]) -> int:
    from partner_search import PG_ADMIN_URL, _pg_admin

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="greenlane.settings",
        PYTHONUNBUFFERED="1",
        GREENLANE_AXES="0",
        GREENLANE_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        dbname = ""
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            try:
                admin = _pg_admin()
            except Exception as exc:
                print(f"[postgres] not reachable ({type(exc).__name__}); skipped.")
                print(
                    "BENCH-RESULT "
                    + json.dumps(
                        {
                            "bench": BENCH_NAME,
                            "backend": "postgres",
                            "status": "SKIP",
                            "note": "PostgreSQL not reachable",
                        }
                    )
                )
                return 0
            dbname = f"greenlane_bench_decisions_{os.getpid()}"
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            return subprocess.call(
                [sys.executable, os.path.abspath(__file__), "--worker", backend, *argv], env=env
            )
        finally:
            if dbname:
                with _pg_admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 10 runs")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.partners, args.runs = min(args.partners, 10_000), min(args.runs, 10)
    if args.worker:
        return worker(args.worker, args)
    argv = ["--partners", str(args.partners), "--runs", str(args.runs)]
    rc = 0
    for backend in ["sqlite", "postgres"] if args.backend == "all" else [args.backend]:
        rc = run_backend(backend, argv) or rc
    return rc


if __name__ == "__main__":
    sys.exit(main())
