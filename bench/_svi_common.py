"""Shared by bench/svi_bulk.py and bench/svi_load.py: a throwaway database and an SVI population.

`fresh_database(backend)` yields the environment of a new SQLite file or PostgreSQL database (dropped at the
end; None when PostgreSQL is not reachable). `populate()` bulk-inserts importers with IOR numbers, some SVI
participants among them, and member users with API tokens (the set-up is not what is measured).
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def ior(n: int) -> str:
    """A valid, normalised IOR number (EIN-based), distinct for every n below 10,000,000."""
    return f"12-{n:07d}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}"


def pg_unreachable() -> str:
    """Why PostgreSQL cannot be used, or '' when it can."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3):
            return ""
    except Exception as exc:  # any failure to connect means "not reachable"
        return (
            f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}: {' '.join(str(exc).split())})"
        )


@contextlib.contextmanager
def fresh_database(backend: str, name: str) -> Iterator[dict | None]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix=f"greenlane-{name}-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        env["GREENLANE_MEDIA_ROOT"] = os.path.join(tmp, "media")
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            yield env
            return
        if pg_unreachable():
            yield None
            return
        import psycopg

        dbname = f"greenlane_{name}_{os.getpid()}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            admin.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            yield env
        finally:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            print(f"[postgres] dropped database {dbname}", flush=True)


def populate(partners: int, *, members: int, participant_share: float = 0.4, seed: int = 2004) -> dict:
    """Insert `partners` importers (IOR each), SVI participation for a share of them, and `members` certified
    participants each with a company officer and an API token. Returns the raw tokens and the values."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from greenlane.accounts.models import ApiToken, User, hash_token
    from greenlane.partners.models import Identifier, Membership, Partner
    from greenlane.svi.models import SviParticipation

    rng = random.Random(seed)
    now = timezone.now()
    started = time.perf_counter()
    statuses = ["certified"] * 70 + ["suspended"] * 8 + ["draft"] * 10 + ["removed"] * 6 + ["withdrawn"] * 6
    shares = ["status_only", "status_tier", "status_tier_contact"]
    with transaction.atomic():
        rows = []
        for n in range(partners):
            status = "certified" if n < members else rng.choice(statuses)
            name = f"Bench Importer {n:06d} LLC"
            rows.append(
                Partner(
                    reference=f"BS{n:08d}",
                    entity_type="importer",
                    legal_name=name,
                    country="US",
                    status=status,
                    tier=(rng.choice([1, 1, 2, 3]) if status in ("certified", "suspended") else 0),
                    certified_at=now if status in ("certified", "suspended") else None,
                    suspended_at=now if status == "suspended" else None,
                    search_name=name.lower(),
                )
            )
        Partner.objects.bulk_create(rows, batch_size=2000)
        ids = dict(Partner.objects.filter(reference__startswith="BS").values_list("reference", "pk"))
        pks = [ids[f"BS{n:08d}"] for n in range(partners)]
        Identifier.objects.bulk_create(
            (
                Identifier(partner_id=pk, type="ior", value=ior(n), entity_type="importer")
                for n, pk in enumerate(pks)
            ),
            batch_size=2000,
        )
        participants = [
            SviParticipation(
                partner_id=pk,
                share=rng.choice(shares),
                contact_name="Desk" if n % 3 == 0 else "",
                contact_email="desk@bench.example" if n % 3 == 0 else "",
            )
            for n, pk in enumerate(pks)
            if n < members or rng.random() < participant_share
        ]
        SviParticipation.objects.bulk_create(participants, batch_size=2000)
        unusable = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"member{i:03d}@bench.example",
                full_name=f"Member {i:03d}",
                password=unusable,
                email_verified_at=now,
            )
            for i in range(members)
        )
        users = list(User.objects.filter(email__endswith="@bench.example").order_by("email"))
        Membership.objects.bulk_create(
            Membership(user=u, partner_id=pks[i], role="company_officer") for i, u in enumerate(users)
        )
        tokens = []
        for i, u in enumerate(users):
            raw = f"glt_bench_{i:03d}_{rng.getrandbits(64):016x}"
            ApiToken.objects.create(user=u, name="bench", prefix=raw[:10], token_hash=hash_token(raw))
            tokens.append(raw)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {
        "partners": partners,
        "participants": len(participants),
        "member_pids": pks[:members],
        "member_users": [u.pk for u in users],
        "tokens": tokens,
        "seconds": time.perf_counter() - started,
    }
