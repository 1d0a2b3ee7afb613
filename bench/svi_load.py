"""Figure: single SVI status lookups under 50 concurrent clients keep ≥ half the throughput of a bare Django
view doing one indexed lookup (same server, database and workers, same run), with p99 under 100 ms.

    python bench/svi_load.py [--partners N] [--clients N] [--workers N] [--seconds S] [--rounds N] [--quick]

Needs PostgreSQL (127.0.0.1:5432, trust auth); skipped with a message when it is not reachable. A fresh
database is created, migrated and filled (bench/_svi_common.populate: --partners importers with IOR numbers,
about 40% SVI participants, and 50 certified participating members each with an API token), then dropped.

The server is gunicorn (gthread workers, keep-alive) on 127.0.0.1 with --workers processes × 2 threads,
running the product's settings plus one extra URL (bench/_svi_load_settings.py, _svi_load_urls.py; never in the product):

(a) `GET /api/v1/svi/status?type=ior&value=...&partner=...` — the product's endpoint: bearer-token
    authentication, the asking company's membership/participation check (403 with the reason), the
    identifier lookup with consent applied, and one audit event written per lookup (a lookup is an audited
    read: docs/svi.md).
(b) `GET /bench/bare-lookup?type=ior&value=...` — a bare Django view: one indexed query, JSON out.

Both go through the same middleware. The load generator (asyncio, in this process) keeps --clients
connections busy, each request for a random existing IOR (member i uses token i); (a) and (b) alternate
for --rounds rounds of --seconds each after a warm-up, and the medians of the rounds are compared. The
machine is shared: client and server compete for the same CPUs, which this ratio measures honestly but
the absolute numbers do not transfer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(REPO_DIR))
sys.path.insert(0, str(BENCH_DIR))

from _svi_common import fresh_database, ior, pg_unreachable  # noqa: E402

BENCH_NAME = "svi_load"
TARGET_RATIO = 0.5
TARGET_P99_MS = 100.0


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _client(port: int, make_path, deadline: float, latencies: list[float], errors: list[str]) -> None:
    """One keep-alive connection issuing requests back to back; reconnects when the server closes it."""
    reader = writer = None
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        path, headers = make_path()
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: keep-alive\r\n\r\n"
        start = time.perf_counter()
        try:
            writer.write(request.encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError):
            # The server closed an idle keep-alive connection: not a failed request; reconnect and retry.
            writer.close()
            writer = None
            continue
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            key, _sep, value = line.partition(":")
            if key.lower() == "content-length":
                length = int(value)
            elif key.lower() == "connection" and value.strip().lower() == "close":
                close = True
        if length:
            await reader.readexactly(length)
        latencies.append((time.perf_counter() - start) * 1000)
        if status != 200:
            errors.append(f"HTTP {status} for {path}")
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _drive(port: int, clients: int, seconds: float, makers) -> tuple[int, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, makers[i], deadline, latencies, errors) for i in range(clients)))
    return len(latencies), latencies, errors


def load(port: int, clients: int, seconds: float, makers) -> dict:
    started = time.perf_counter()
    count, latencies, errors = asyncio.run(_drive(port, clients, seconds, makers))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": count / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0,
        "count": count,
        "errors": errors[:3],
        "error_count": len(errors),
    }


def _setup(env: dict, partners: int, clients: int) -> dict:
    """Migrate and populate in a subprocess (Django set up there, not in the load generator)."""
    code = "\n".join(
        [
            f"import json, sys; sys.path.insert(0, {str(REPO_DIR)!r}); sys.path.insert(0, {str(BENCH_DIR)!r})",
            "import django; django.setup()",
            "from django.core.management import call_command",
            "call_command('migrate', interactive=False, verbosity=0)",
            "from _svi_common import populate",
            f"info = populate({partners}, members={clients})",
            "keys = ('member_pids', 'tokens', 'participants', 'seconds')",
            "print('SETUP ' + json.dumps({k: info[k] for k in keys}))",
        ]
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("SETUP "):
            return json.loads(line[6:])
    raise SystemExit(f"set-up failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start listening in time")


def run(args: argparse.Namespace) -> int:
    with fresh_database("postgres", "sviload") as env:
        if env is None:
            message = (
                pg_unreachable()
                + "; skipped (start it: pg_ctlcluster --skip-systemctl-redirect 15 main start)."
            )
            print(f"[postgres] {message}")
            emit(backend="postgres", status="SKIP", note=message)
            return 0
        t0 = time.perf_counter()
        info = _setup(env, args.partners, args.clients)
        print(
            f"[postgres] migrated and populated ({args.partners:,} partners, {info['participants']:,} SVI "
            f"participants, {args.clients} members with tokens) in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        port = _free_port()
        server_env = dict(
            env,
            DJANGO_SETTINGS_MODULE="_svi_load_settings",
            PYTHONPATH=os.pathsep.join([str(BENCH_DIR), str(REPO_DIR)]),
            GREENLANE_LOG_LEVEL="ERROR",
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        cmd = [
            gunicorn,
            "greenlane.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--keep-alive",
            "30",
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ]
        proc = subprocess.Popen(cmd, env=server_env, cwd=str(REPO_DIR))
        try:
            _wait_ready(port, proc)
            rng = random.Random(11)
            values = [ior(rng.randrange(args.partners)) for _ in range(5000)]
            tokens, pids = info["tokens"], info["member_pids"]

            def svi_maker(i: int):
                auth = f"Authorization: Bearer {tokens[i % len(tokens)]}\r\n"
                pid = pids[i % len(pids)]
                return lambda: (f"/api/v1/svi/status?type=ior&value={rng.choice(values)}&partner={pid}", auth)

            def bare_maker(i: int):
                return lambda: (f"/bench/bare-lookup?type=ior&value={rng.choice(values)}", "")

            svi = [svi_maker(i) for i in range(args.clients)]
            bare = [bare_maker(i) for i in range(args.clients)]
            print(
                f"[postgres] gunicorn: {args.workers} workers × 2 threads on port {port}; warming up...",
                flush=True,
            )
            load(port, args.clients, 3, bare)
            load(port, args.clients, 3, svi)
            rounds: dict[str, list[dict]] = {"bare": [], "svi": []}
            for n in range(args.rounds):
                for name, makers in (("bare", bare), ("svi", svi)):
                    result = load(port, args.clients, args.seconds, makers)
                    rounds[name].append(result)
                    print(
                        f"[postgres] round {n + 1} {name:>4}: {result['rps']:7.1f} req/s, p50 {result['p50']:.1f} ms, "
                        f"p99 {result['p99']:.1f} ms, {result['count']:,} requests, {result['error_count']} errors "
                        f"{result['errors'] or ''}",
                        flush=True,
                    )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("rps", "p50", "p99")} for k, v in rounds.items()
    }
    ratio = med["svi"]["rps"] / med["bare"]["rps"] if med["bare"]["rps"] else 0.0
    errors = sum(r["error_count"] for v in rounds.values() for r in v)
    ok_ratio, ok_p99 = ratio >= TARGET_RATIO, med["svi"]["p99"] < TARGET_P99_MS
    print(
        f"[postgres] bare view: {med['bare']['rps']:.1f} req/s (p99 {med['bare']['p99']:.1f} ms); "
        f"SVI status lookup: {med['svi']['rps']:.1f} req/s (p50 {med['svi']['p50']:.1f} ms, p99 "
        f"{med['svi']['p99']:.1f} ms); errors {errors}"
    )
    print(
        f"[postgres] throughput ratio SVI/bare = {ratio:.2f} (target ≥ {TARGET_RATIO}): "
        f"{'PASS' if ok_ratio else 'MISS'}; p99 {med['svi']['p99']:.1f} ms (target < {TARGET_P99_MS:.0f} ms): "
        f"{'PASS' if ok_p99 else 'MISS'}"
    )
    common = {"backend": "postgres", "via": f"gunicorn {args.workers}x2, {args.clients} clients"}
    emit(
        **common,
        case="status lookup throughput vs bare view",
        ratio=round(ratio, 3),
        svi_rps=round(med["svi"]["rps"], 1),
        bare_rps=round(med["bare"]["rps"], 1),
        target=f"ratio >= {TARGET_RATIO}",
        status="PASS" if ok_ratio and not errors else "MISS",
    )
    emit(
        **common,
        case="status lookup p99",
        p50_ms=round(med["svi"]["p50"], 1),
        p99_ms=round(med["svi"]["p99"], 1),
        target=f"p99 < {TARGET_P99_MS:.0f} ms",
        status="PASS" if ok_p99 and not errors else "MISS",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 2 rounds of 5 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.partners, args.seconds, args.rounds = min(args.partners, 10_000), min(args.seconds, 5.0), 2
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
