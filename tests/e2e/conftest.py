"""The browser harness: the real app under daphne, driven by Debian's headless Chromium.

The server runs in a subprocess against its own fresh SQLite database and VAR_DIR, so these
tests never touch pytest-django's test database: they speak HTTP to the app like a user.
"""

import base64
import hashlib
import hmac
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from community.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "var" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# These machines have no internet: Chromium's own background connections would only fail noisily.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

ORG_ADMIN = "orgadmin@demo.sic.community"  # Eleni, admin of Hellenic Helpline for Children Online
HELPLINE_MEMBER = "helpline@demo.sic.community"  # Giorgos, same helpline
NETWORK_COORDINATOR = "coordinator@demo.sic.community"  # Nadia, needs TOTP
HOTLINE_MEMBER = "hotline@demo.sic.community"  # Seán, hotline service only, needs TOTP
YOUTH_COORDINATOR = "youthcoord@demo.sic.community"  # Katerina, Greece's national youth coordinator
YOUTH_PANELLIST = "panellist@demo.sic.community"  # Alex, Greece youth panel
PENDING_APPLICANT = "pending.gr@demo.sic.community"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def totp_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    """RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as authenticator apps compute it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


# --- The server -----------------------------------------------------------------------

def _free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"daphne did not answer /healthz within {timeout}s:\n{log_path.read_text()[-4000:]}")


class LiveApp:
    def __init__(self, url: str, var_dir: Path, env: dict):
        self.url = url
        self.var_dir = var_dir
        self.env = env

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def mail_to(self, address: str) -> list[str]:
        """Every message the file backend wrote to `address`, oldest first."""
        if not self.mail_dir.exists():
            return []
        messages = []
        for path in sorted(self.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
            for message in path.read_text(errors="replace").split("-" * 79):
                if re.search(rf"^To: .*{re.escape(address)}", message, re.MULTILINE):
                    messages.append(message)
        return messages

    def wait_for_mail(self, address: str, containing: str, timeout: float = 15) -> str:
        """The first message to `address` containing the text; notification emails leave from
        the server's background sender, after the page that caused them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [message for message in self.mail_to(address) if containing in message]
            if found:
                return found[0]
            assert time.monotonic() < deadline, f"no email to {address} containing {containing!r}"
            time.sleep(0.1)

    def manage(self, *args: str) -> str:
        return _manage(self.env, *args)


def _server_env(var_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DEBUG": "1",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    if os.environ.get("E2E_APP_URL"):
        # A server started by hand (migrated, seeded, with the file email backend writing under
        # E2E_VAR_DIR), to iterate on one journey without the minute of migrate and seed_demo.
        # Tests that sign new people up (journey 1, the newcomer's pages) need a fresh one.
        var_dir = Path(os.environ["E2E_VAR_DIR"])
        yield LiveApp(os.environ["E2E_APP_URL"], var_dir, _server_env(var_dir))
        return
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = _server_env(var_dir)

    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo")
    port = _free_loopback_port()
    log_path = var_dir / "daphne.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            # The flags of `make run`, so the browser meets the server users meet.
            [sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port", str(port),
             "--websocket_timeout", "3600", "--websocket-max-message-size", "4096",
             "--websocket-max-frame-size", "4096", "community.asgi:application"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, process, log_path)
        yield LiveApp(url, var_dir, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log_path, ARTIFACTS / "daphne.log")


# --- The browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about"}:
        return True
    return parsed.hostname in LOOPBACK_HOSTS


class Browsing:
    """Opens browser contexts for one test, keeps every request on loopback, and screenshots
    every open page when the test fails."""

    def __init__(self, browser, live_app, test_name: str):
        self.browser = browser
        self.app = live_app
        self.test_name = test_name
        self.contexts = []
        self.escaped_requests: list[str] = []

    def new_context(self, *, width: int = 1280, height: int = 900, storage_state=None):
        context = self.browser.new_context(
            base_url=self.app.url, viewport={"width": width, "height": height}, storage_state=storage_state,
            locale="en-GB", timezone_id="Europe/Brussels",
        )
        context.set_default_timeout(10_000)
        context.route("**/*", self._keep_on_loopback)
        context.on("page", lambda page: page.on("websocket", self._check_websocket))
        self.contexts.append(context)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def _keep_on_loopback(self, route):
        url = route.request.url
        if _is_loopback(url):
            route.continue_()
        else:
            self.escaped_requests.append(url)
            route.abort("blockedbyclient")

    def _check_websocket(self, websocket):
        if not _is_loopback(websocket.url.replace("ws", "http", 1)):
            self.escaped_requests.append(websocket.url)

    def screenshot_all(self, label: str) -> None:
        folder = ARTIFACTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for c_index, context in enumerate(self.contexts):
            for p_index, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(folder / f"{label}-{c_index}-{p_index}.png"), full_page=True)
                except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
                    pass

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(request, browser, live_app):
    session = Browsing(browser, live_app, request.node.name)
    yield session
    call_report = getattr(request.node, "report_call", None)
    if call_report is not None and call_report.failed:
        session.screenshot_all(re.sub(r"[^\w.-]+", "_", request.node.name))
    session.close()
    assert not session.escaped_requests, f"Requests left loopback: {session.escaped_requests}"


# --- Accessibility ---------------------------------------------------------------------

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of impact serious or critical, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
                                       "resultTypes": ["violations"]})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> {node['html'][:160]}"
        for violation in results.response["violations"] if violation["impact"] in BLOCKING_IMPACTS
        for node in violation["nodes"]
    ]


def assert_accessible(page) -> None:
    violations = serious_accessibility_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


# --- Signing in -----------------------------------------------------------------------

def sign_in(page, email: str, password: str = DEMO_PASSWORD, *, totp_secret: str = DEMO_TOTP_SECRET) -> None:
    """Sign in through the login form, answering the two-factor step when the account has one."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login" not in url, timeout=30_000)
    if "/accounts/2fa/authenticate/" in page.url:
        # The server accepts only the current 30-second code, once: type one that will still be
        # current when a loaded machine gets round to checking it.
        if 30 - time.time() % 30 < 8:
            time.sleep(30 - time.time() % 30 + 0.5)
        page.get_by_label("Code", exact=True).fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign In", exact=True).click()
        page.wait_for_url(lambda url: "/2fa/authenticate" not in url, timeout=30_000)


def confirmation_path(live_app, email: str) -> str:
    messages = live_app.mail_to(email)
    assert messages, f"no email was sent to {email}"
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", messages[-1])
    assert match, messages[-1]
    return match.group(1)


def sign_up_and_verify(page, live_app, *, email: str, display_name: str, password: str, check=None) -> None:
    """Sign up from the login page and confirm the address with the link from the mailbox.
    `check(page)` runs on every page of the way (the accessibility audit, for instance)."""
    check = check or (lambda _page: None)
    page.goto("/accounts/login/")
    check(page)
    page.get_by_role("link", name="Join").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label(re.compile(r"Password \(again\)", re.I)).fill(password)
    page.get_by_label("Display name").fill(display_name)
    check(page)
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify your email", re.I))
    check(page)
    page.goto(confirmation_path(live_app, email))
    check(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/onboarding/$"))


@pytest.fixture(scope="session")
def signed_in_state(browser, live_app, tmp_path_factory):
    """Storage state (cookies) per demo account, signed in once per session: allauth rate-limits
    logins per IP, and a TOTP code may be used only once."""
    states: dict[str, Path | Exception] = {}
    folder = tmp_path_factory.mktemp("e2e-states")

    def state_for(email: str) -> Path:
        if email not in states:
            context = browser.new_context(base_url=live_app.url)
            context.set_default_timeout(10_000)
            try:
                page = context.new_page()
                sign_in(page, email)
                states[email] = folder / f"{email}.json"
                context.storage_state(path=str(states[email]))
            except Exception as error:  # noqa: BLE001 - remembered so later tests fail fast, not retry
                states[email] = error
                (ARTIFACTS / "failures").mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "failures" / f"sign-in-{email}.png"), full_page=True)
                raise
            finally:
                context.close()
        if isinstance(states[email], Exception):
            raise RuntimeError(f"signing in as {email} failed earlier") from states[email]
        return states[email]

    return state_for


@pytest.fixture
def page_as(browsing, signed_in_state):
    """A fresh page signed in as the given demo account."""

    def open_page(email: str, **kwargs):
        return browsing.new_page(storage_state=signed_in_state(email), **kwargs)

    return open_page


@pytest.fixture(scope="session")
def newcomer_state(browser, live_app, tmp_path_factory):
    """A verified account that has not chosen an organisation yet."""
    context = browser.new_context(base_url=live_app.url)
    page = context.new_page()
    sign_up_and_verify(page, live_app, email="newcomer.e2e@example.org", display_name="Noa Newcomer",
                       password="Another-long-passphrase-77")
    path = tmp_path_factory.mktemp("e2e-newcomer") / "state.json"
    context.storage_state(path=str(path))
    context.close()
    return path
