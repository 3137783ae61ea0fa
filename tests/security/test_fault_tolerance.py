"""Fault tolerance: Redis gone, PostgreSQL restarted, forms submitted twice."""

import glob
import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from community.models import Invitation, Membership, Organisation, Role
from forums import services as forum_services
from forums.models import Forum, Post
from notifications.models import Notification

from ..factories import make_user

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "a-Long-test-password-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Redis unreachable ----------------------------------------------------------------


@pytest.fixture
def redis_unreachable(settings, monkeypatch):
    """The channel layer production builds from REDIS_URL, pointed at a port where nothing listens."""
    import runpy

    url = f"redis://127.0.0.1:{_free_port()}/0"
    monkeypatch.setenv("REDIS_URL", url)
    production = runpy.run_path(str(BASE_DIR / "community" / "settings.py"))
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS = production["CHANNEL_LAYERS"]
    from channels.layers import get_channel_layer

    assert "Redis" in type(get_channel_layer()).__name__
    return url


MAIN_PAGES = [
    ("dashboard", ()), ("member_directory", ()), ("profile_edit", ()), ("your_data", ()),
    ("notifications:list", ()), ("membership_requests", ()), ("invitation_list", ()),
    ("forums:index", ()), ("youth_panels:index", ()), ("meetings:index", ()),
]


def test_with_redis_unreachable_500_requests_answer_without_a_server_error(
    redis_unreachable, organisation, member, org_admin, moderator, network_coordinator, youth_panellist,
    django_capture_on_commit_callbacks,
):
    statuses = []

    def record(response):
        statuses.append(response.status_code)
        return response

    # Signing in through the form, as people do.
    signed_in = {}
    for person in (member, youth_panellist):
        client = Client()
        record(client.get(reverse("account_login")))
        assert record(client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
                      ).status_code == 302
        signed_in[person] = client
    for person in (org_admin, moderator, network_coordinator):
        signed_in[person] = Client()
        signed_in[person].force_login(person)

    # State changes that notify people: each push to the dead Redis runs right after its request,
    # as transaction.on_commit does in production, and must not raise.
    newcomers = [make_user(display_name=f"Newcomer {n}") for n in range(5)]
    for newcomer in newcomers:
        client = Client()
        client.force_login(newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            record(client.post(reverse("onboarding_join", args=[organisation.pk]),
                               {"role": Role.MEMBER, "job_title": "Counsellor"}))
    for membership in Membership.objects.filter(user__in=newcomers):
        with django_capture_on_commit_callbacks(execute=True):
            record(signed_in[org_admin].post(reverse("membership_approve", args=[membership.pk])))
    with django_capture_on_commit_callbacks(execute=True):
        record(signed_in[member].post(reverse("profile_edit"), {"display_name": "Giorgos", "languages": "el"}))
        record(signed_in[org_admin].post(reverse("notifications:mark_all_read")))
    # Posting: replies notify the topic's author, who watches it.
    topic = forum_services.create_topic(actor=org_admin, forum=Forum.objects.get(slug="helplines"),
                                        title="Sextortion cases rising", body="We see more contacts about this.")
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert record(signed_in[member].post(reverse("forums:topic_reply", args=[topic.pk]),
                                                 {"body": f"Same here, reply {number}."})).status_code == 302

    while len(statuses) < 500:
        for client in signed_in.values():
            for name, args in MAIN_PAGES:
                record(client.get(reverse(name, args=args)))

    server_errors = [status for status in statuses if status >= 500]
    assert len(statuses) >= 500
    assert server_errors == []
    # Stored notifications are the truth: the request and the approval both reached people.
    assert Notification.objects.filter(kind="membership_request", recipient=org_admin).count() == 5
    assert Notification.objects.filter(kind="membership_decision", recipient__in=newcomers).count() == 5
    assert Membership.objects.filter(user__in=newcomers, status=Membership.Status.APPROVED).count() == 5
    assert Post.all_objects.filter(topic=topic, author=member).count() == 3
    assert Notification.objects.filter(recipient=org_admin, url__startswith="/forums/").count() >= 3


# --- Double submits -------------------------------------------------------------------


def test_joining_twice_creates_one_membership_request(organisation, newcomer, client_for):
    client = client_for(newcomer)
    url = reverse("onboarding_join", args=[organisation.pk])
    for _ in range(2):
        assert client.post(url, {"role": Role.MEMBER}).status_code == 302
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_requesting_a_missing_organisation_twice_creates_one(newcomer, client_for):
    client = client_for(newcomer)
    data = {"name": "Brand New Helpline", "country": "GR", "website": "https://new.example.org",
            "role": Role.MEMBER, "services": []}
    from community.models import Country

    data["country"] = Country.objects.get(code="GR").pk
    for _ in range(2):
        client.post(reverse("onboarding_request_organisation"), data)
    assert Organisation.objects.filter(name="Brand New Helpline").count() == 1
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_approving_twice_approves_once_and_notifies_once(organisation, org_admin, newcomer, client_for,
                                                          django_capture_on_commit_callbacks):
    from community import services

    membership = services.request_membership(user=newcomer, organisation=organisation)
    client = client_for(org_admin)
    for _ in range(2):
        client.post(reverse("membership_approve", args=[membership.pk]))
    assert Notification.objects.filter(recipient=newcomer, kind="membership_decision").count() == 1


def test_sending_the_same_invitation_twice_creates_one(organisation, org_admin, client_for, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    client = client_for(org_admin)
    data = {"email": "new.colleague@example.org", "organisation": organisation.pk, "role": Role.MEMBER}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_list"), data)
        second = client.post(reverse("invitation_list"), data)
    assert Invitation.objects.filter(email="new.colleague@example.org").count() == 1
    assert len(mailoutbox) == 1
    assert "already has an open invitation" in second.content.decode()
    assert 'value="new.colleague@example.org"' in second.content.decode()


# --- PostgreSQL restarted mid-run -----------------------------------------------------


def _postgres_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class ThrowawayPostgres:
    """A private PostgreSQL cluster in a temp dir on a free port, never the shared server."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.directory = Path(tempfile.mkdtemp(prefix="sic-pg-"))
        self.data = self.directory / "data"
        self.port = _free_port()
        self.as_postgres = []
        if os.geteuid() == 0:
            # initdb refuses to run as root.
            import pwd

            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args):
        subprocess.run(self.as_postgres + [str(self.bin_dir / args[0]), *args[1:]], check=True,
                       capture_output=True, timeout=120)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.directory / "server.log"), "-o",
                  f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start")

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are missing in CI")
        pytest.skip("PostgreSQL server binaries are not installed here")
    server = ThrowawayPostgres(bin_dir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.destroy()


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path, data=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")


def _wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("the server did not start")


def test_after_a_postgresql_restart_no_request_fails_and_the_outage_shows_a_friendly_503(
    throwaway_postgres, tmp_path
):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=throwaway_postgres.url, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0", DB_CONN_MAX_AGE="600", VAR_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True,
                   timeout=300)
    subprocess.run(
        [python, "manage.py", "shell", "-c",
         "from tests.factories import make_member; make_member(email='restart@example.org')"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=120,
    )
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(python).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port), "community.asgi:application"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, server)
        browser = Browser(f"http://127.0.0.1:{port}")
        assert browser.request("/accounts/login/")[0] == 200
        status, _ = browser.request("/accounts/login/", {
            "login": "restart@example.org", "password": PASSWORD, "csrfmiddlewaretoken": browser.csrf_token()})
        assert status == 200  # followed the redirect to the dashboard or profile
        before = [browser.request("/profile/")[0] for _ in range(5)]
        assert before == [200] * 5

        throwaway_postgres.stop()
        status, body = browser.request("/profile/")
        assert status == 503
        assert "briefly unavailable" in body and "Traceback" not in body and "psycopg" not in body

        throwaway_postgres.start()
        after = [browser.request(path)[0] for path in ["/profile/", "/members/", "/your-data/"] * 5]
        assert after == [200] * 15
    finally:
        server.terminate()
        server.wait(timeout=10)

