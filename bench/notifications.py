"""Benchmark of notification fan-out and live delivery (issue 7).

1. Fan-out: one reply notifies 10, 100 and 1,000 watchers; the number of queries notify()
   runs must not grow with the watchers (target: constant).
2. Live delivery: 500 websocket clients, each a signed-in member, connected to one daphne
   process; a notification to all 500 is created here and pushed through Redis. Reports
   p50/p99 latency from the start of notify() to each client's receipt (target p99 < 500 ms on
   a 2-core machine) and daphne's resident memory per connection.

It runs in a throw-away test database (``test_<name>``), created and dropped here, so it never
touches real data. Part 2 needs PostgreSQL (shared with the daphne process) and Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sic_notifications_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/notifications.py

Options: --clients N (default 500), --rounds N (default 5), --skip-live.
"""

import argparse
import asyncio
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Production settings for this process and the daphne it starts (which inherits them): DEBUG
# logs every query, and the session cookie's name depends on it.
os.environ.update({
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + os.urandom(16).hex(),
    "ALLOWED_HOSTS": "127.0.0.1",
    "VAR_DIR": os.environ.get("VAR_DIR") or tempfile.mkdtemp(prefix="sic-notifications-bench-"),
    # This process creates and drops the test database; only the daphne it starts pools.
    "DB_POOL": "0",
})

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
# Creating the members logs one role change each; the bench reports only its own figures.
logging.getLogger("security").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from notifications.kinds import Delivery, register_kind  # noqa: E402
from notifications.services import notify  # noqa: E402
from tests.notifications import wsclient  # noqa: E402

User = get_user_model()


def make_users(count: int, prefix: str) -> list:
    User.objects.bulk_create(
        [User(email=f"{prefix}{n}@bench.example", display_name=f"{prefix} {n}", password="!") for n in range(count)]
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def bench_fan_out() -> None:
    print("== Fan-out: one reply, N watchers ==")
    register_kind("bench_reply", label="Replies (bench)", default_delivery=Delivery.SITE)
    register_kind("bench_mention", label="Mentions (bench)", default_delivery=Delivery.EMAIL)
    watchers = make_users(1000, "watcher")
    actor = make_users(1, "replier")[0]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for kind in ("bench_reply", "bench_mention"):
        for count in (10, 100, 1000):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                created = notify(recipients=watchers[:count], kind=kind, title="New reply", url="/forums/t/1/",
                                 actor=actor)
                elapsed = time.perf_counter() - started
            assert len(created) == count
            print(f"  {kind:14} {count:5} watchers: {len(queries.captured_queries):3} queries, "
                  f"{elapsed * 1000:7.1f} ms")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def make_members(count: int) -> list:
    from community.models import Country, Organisation, Role
    from community.services import admit_member

    country = Country.objects.get(code="GR")
    organisation = Organisation.objects.create(name="Bench organisation", country=country)
    people = make_users(count, "member")
    for person in people:
        admit_member(user=person, organisation=organisation, role=Role.MEMBER)
    return list(User.objects.filter(pk__in=[p.pk for p in people]))


async def run_clients(port: int, cookies: list[str], rounds: int, trigger, trigger_thread, daphne_pid: int) -> dict:
    base_rss = rss_kib(daphne_pid)
    sockets = []
    # Handshakes authenticate against the database one after another in daphne's worker
    # thread; small batches keep each within daphne's websocket connect timeout, as the
    # clients' jittered reconnect back-off does in real life.
    for start in range(0, len(cookies), 10):
        batch = cookies[start : start + 10]
        sockets += await asyncio.gather(
            *(wsclient.connect("127.0.0.1", port, "/ws/notifications/",
                               {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}) for cookie in batch)
        )
    await asyncio.sleep(1)
    connected_rss = rss_kib(daphne_pid)
    latencies = []

    async def receive(ws, received):
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        received.append(time.perf_counter())
        return message

    for round_number in range(rounds):
        received = []
        waiting = [asyncio.create_task(receive(ws, received)) for ws in sockets]
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        await asyncio.get_running_loop().run_in_executor(trigger_thread, trigger, f"Round {round_number}")
        await asyncio.gather(*waiting)
        latencies += [(moment - started) * 1000 for moment in received]
    for ws in sockets:
        await ws.close()
    # Let daphne run the consumers' disconnects, which leave their groups. (Members a run
    # leaves behind are dropped by the next run's first push, once this process's "alive"
    # key has lapsed: notifications.layers.)
    await asyncio.sleep(3)
    return {"base_rss": base_rss, "connected_rss": connected_rss, "latencies": latencies}


def bench_live(clients: int, rounds: int) -> None:
    print(f"== Live delivery: {clients} websocket clients on one daphne process ==")
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        print("  skipped: needs DATABASE_URL (PostgreSQL) and REDIS_URL shared with the daphne process")
        return
    members = make_members(clients)
    cookies = [session_cookie(member) for member in members]
    db = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DB_POOL": "1",
    }
    daphne = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "--websocket-max-message-size", "4096",
         "community.asgi:application"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("BENCH_DAPHNE_LOG", os.devnull), "w"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if daphne.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("daphne did not start") from None
                time.sleep(0.1)

        notify_ms = []

        def trigger(title):
            started = time.perf_counter()
            notify(recipients=members, kind="bench_reply", title=title, url="/forums/t/1/")
            notify_ms.append((time.perf_counter() - started) * 1000)

        # Every round notifies from one thread, which keeps its database connection between
        # rounds as a server's pooled connections do, and closes it at the end (an open one
        # would keep the test database from being dropped).
        trigger_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            result = asyncio.run(run_clients(port, cookies, rounds, trigger, trigger_thread, daphne.pid))
        finally:
            trigger_thread.submit(connections.close_all).result()
            trigger_thread.shutdown()
    finally:
        daphne.terminate()
        daphne.wait(timeout=10)
    latencies = sorted(result["latencies"])
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    per_connection = (result["connected_rss"] - result["base_rss"]) / clients
    print(f"  deliveries: {len(latencies)} ({rounds} rounds x {clients} clients)")
    print(f"  latency from notify() to receipt: p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {latencies[-1]:.0f} ms")
    print(f"  of which notify() itself (store + push to Redis): median {statistics.median(notify_ms):.0f} ms")
    print(f"  daphne RSS: {result['base_rss'] / 1024:.1f} MiB idle, {result['connected_rss'] / 1024:.1f} MiB with "
          f"{clients} sockets: {per_connection:.0f} KiB per connection")
    print(f"  target p99 < 500 ms: {'met' if p99 < 500 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-live", action="store_true")
    options = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        bench_fan_out()
        if not options.skip_live:
            bench_live(options.clients, options.rounds)
    finally:
        connections.close_all()
        # The daphne process's connections may take a moment to go after it exits.
        for _ in range(10):
            try:
                connection.creation.destroy_test_db(old_name, verbosity=0)
                break
            except Exception:  # noqa: BLE001
                time.sleep(1)


if __name__ == "__main__":
    main()
