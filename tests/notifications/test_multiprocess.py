"""Two daphne processes share Redis: a request on one reaches a socket on the other."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from . import wsclient

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def daphne(port: int, redis_url: str, log):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.live_settings",
        "DB_CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "--websocket-max-message-size", "4096", "community.asgi:application"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"daphne on {port} did not start; see {log.name}") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _post(port: int, path: str, cookie: str, data: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookie}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_a_notification_created_on_process_a_reaches_a_socket_on_process_b_within_a_second(
    redis_url, on_postgres, member, org_admin, tmp_path
):
    if not on_postgres:
        pytest.skip("both processes must share the test database, which needs PostgreSQL")
    recipient_cookie = _session_cookie(member)
    actor_cookie = _session_cookie(org_admin)
    port_a, port_b = _free_port(), _free_port()
    # The processes open their own connections; ours must not hold the test database open.
    connections.close_all()

    async def scenario():
        ws = await wsclient.connect("127.0.0.1", port_b, "/ws/notifications/",
                                    {"Cookie": recipient_cookie, "Origin": f"http://127.0.0.1:{port_b}"})
        try:
            # Quiet for longer than Redis's read timeout: the socket must stay open.
            await asyncio.sleep(2.5)
            # Warm process A up (imports, first connection) so the timing is of the push.
            await asyncio.to_thread(
                _post, port_a, f"/test-only/notify/{member.pk}/", actor_cookie, {"title": "Warm-up"}
            )
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["notification"]["title"] == "Warm-up"

            started = time.monotonic()
            status = await asyncio.to_thread(
                _post, port_a, f"/test-only/notify/{member.pk}/", actor_cookie, {"title": "Eleni made you an org admin"}
            )
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            return status, message, time.monotonic() - started
        finally:
            await ws.close()

    with (open(tmp_path / "a.log", "w") as log_a, open(tmp_path / "b.log", "w") as log_b,
          daphne(port_a, redis_url, log_a), daphne(port_b, redis_url, log_b)):
        status, message, elapsed = asyncio.run(scenario())

    assert status == 204
    assert message["type"] == "notification"
    assert message["notification"]["title"] == "Eleni made you an org admin"
    assert message["notification"]["actor_name"] == "Eleni"
    assert elapsed < 1.0, f"took {elapsed:.3f} s"


def test_a_foreign_origin_is_refused_by_a_real_daphne(redis_url, on_postgres, member, tmp_path):
    if not on_postgres:
        pytest.skip("the process must share the test database, which needs PostgreSQL")
    cookie = _session_cookie(member)
    port = _free_port()
    connections.close_all()

    async def attempt(origin):
        ws = await wsclient.connect("127.0.0.1", port, "/ws/notifications/", {"Cookie": cookie, "Origin": origin})
        await ws.close()

    with open(tmp_path / "daphne.log", "w") as log, daphne(port, redis_url, log):
        asyncio.run(attempt(f"http://127.0.0.1:{port}"))
        with pytest.raises(wsclient.HandshakeRefused, match="403"):
            asyncio.run(attempt("https://evil.example"))
