import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from community.models import Role

from .factories import give_totp, make_member, make_organisation, make_user


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    """The Redis of the service-backed pass. Tests that need it are skipped on the embedded pass,
    but in CI an unreachable Redis on the service pass is a failure, never a skip."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: this runs on the service-backed pass")
    if not _reachable(url, 6379):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {url} is unreachable in CI")
        pytest.skip(f"Redis at {url} is unreachable")
    return url


@pytest.fixture
def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # A fast hasher: password strength is allauth's and Django's concern, not these tests'.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Another thread cannot see a test's uncommitted rows: emails leave in the test's own thread
    # (tests/notifications/test_delivery.py runs the background sender on committed data).
    settings.NOTIFICATION_EMAILS_IN_BACKGROUND = False


@pytest.fixture
def organisation(db):
    return make_organisation(country_code="GR", name="Hellenic Helpline", services_codes=("helpline", "youth"))


@pytest.fixture
def other_organisation(db):
    return make_organisation(country_code="IE", name="Irish Helpline", services_codes=("helpline",))


@pytest.fixture
def member(organisation):
    return make_member(organisation=organisation, display_name="Giorgos")


@pytest.fixture
def org_admin(organisation):
    return make_member(organisation=organisation, org_admin=True, display_name="Eleni")


@pytest.fixture
def other_org_admin(other_organisation):
    return make_member(organisation=other_organisation, org_admin=True, display_name="Aoife")


@pytest.fixture
def network_coordinator(db):
    coordinator = make_member(
        organisation=make_organisation(country_code="BE"), extra_roles=[Role.NETWORK_COORDINATOR],
        display_name="Nadia",
    )
    give_totp(coordinator)
    return coordinator


@pytest.fixture
def moderator(db):
    person = make_member(organisation=make_organisation(country_code="BE"), extra_roles=[Role.MODERATOR],
                         display_name="Marco")
    give_totp(person)
    return person


@pytest.fixture
def youth_coordinator(organisation):
    return make_member(organisation=organisation, role=Role.YOUTH_COORDINATOR, services_codes=("youth",),
                       display_name="Katerina")


@pytest.fixture
def youth_panellist(organisation):
    return make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                       display_name="Alex", first_name="Alexandros", last_name="Dimitriou", birth_year=2010)


@pytest.fixture
def hotline_analyst(db):
    analyst = make_member(organisation=make_organisation(country_code="IE", services_codes=("hotline",)),
                          services_codes=("hotline",), display_name="Seán")
    give_totp(analyst)
    return analyst


@pytest.fixture
def newcomer(db):
    """Signed up and verified, no organisation yet."""
    return make_user(display_name="Dimitra")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user: `client_for(user)`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
