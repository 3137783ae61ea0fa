"""Friendly 403, 404, 429, 500 and 503 pages that never show internals with DEBUG off."""

import pytest
from django.test import Client
from django.urls import reverse

INTERNALS = ("Traceback", "internal detail", "db-internal.example", "internal rule", "settings.py", "Exception")


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.security.urls_with_failures"
    settings.DEBUG = False


@pytest.fixture
def member_client(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


def _assert_friendly(response, status, phrase):
    body = response.content.decode()
    assert response.status_code == status
    assert phrase in body
    for internal in INTERNALS:
        assert internal not in body


def test_an_unknown_page_gets_the_friendly_404(member_client):
    _assert_friendly(member_client.get("/no-such-page/"), 404, "We could not find that page")


def test_a_refusal_gets_the_friendly_403(failing_site, member_client):
    _assert_friendly(member_client.get("/test-failures/forbidden/"), 403, "You cannot do this here")


def test_a_form_without_its_csrf_token_gets_the_friendly_403(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    _assert_friendly(client.post(reverse("profile_edit"), {}), 403, "This form expired")


def test_a_crash_gets_the_friendly_500(failing_site, member_client):
    response = member_client.get("/test-failures/crash/")
    _assert_friendly(response, 500, "Something went wrong on our side")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/test-failures/database-gone/", "/test-failures/connection-closed/"])
def test_a_lost_database_gets_the_friendly_503_with_retry_after(failing_site, member_client, url):
    response = member_client.get(url)
    _assert_friendly(response, 503, "briefly unavailable")
    assert response["Retry-After"] == "30"


def test_too_many_requests_get_the_friendly_429(member):
    client = Client()
    for _ in range(30):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    _assert_friendly(client.post(reverse("account_login"), {"login": member.email, "password": "wrong"}), 429,
                     "Too many attempts")
