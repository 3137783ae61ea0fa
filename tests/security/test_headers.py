"""Browser hardening: CSP, Permissions-Policy, no-store, cookies, HSTS, deploy checks, redirects."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from community.models import Membership, Role

BASE_DIR = Path(settings.BASE_DIR)
MEMBERS_PAGE = "profile_edit"


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_every_page_carries_a_strict_content_security_policy(client_for, member):
    response = client_for(member).get(reverse(MEMBERS_PAGE))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["connect-src"][0] == "'self'"
    assert any(origin.startswith(("ws://", "wss://")) for origin in policy["connect-src"][1:])


def test_inline_scripts_run_only_with_the_request_nonce(rf):
    """A template that needs an inline script gets a fresh nonce, and the header names it."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    nonce = request.csp_nonce
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])["script-src"]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_project_templates_have_no_inline_event_handlers_or_scripts_without_nonce():
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        lowered = text.lower()
        for handler in re.findall(r"\son[a-z]+\s*=|javascript:", lowered):
            offenders.append(f"{path.relative_to(BASE_DIR)}: {handler.strip()}")
        for chunk in lowered.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            if "src=" not in opening and "nonce=" not in opening and "application/json" not in opening:
                offenders.append(f"{path.relative_to(BASE_DIR)}: inline <script> without nonce")
    assert offenders == []


def test_permissions_policy_denies_camera_microphone_geolocation_payment_usb(client):
    response = client.get(reverse("account_login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("url_name", ["member_directory", "profile_edit", "your_data", "notifications:list"])
def test_members_only_pages_are_never_stored_by_a_cache(client_for, member, url_name):
    response = client_for(member).get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_data_export_is_not_stored_by_a_cache(client_for, member):
    response = client_for(member).get(reverse("your_data_export"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_signing_out_clears_site_data_and_a_plain_page_does_not(client_for, member):
    client = client_for(member)
    assert "Clear-Site-Data" not in client.get(reverse(MEMBERS_PAGE))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get(reverse(MEMBERS_PAGE)).status_code == 302


def _production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="community.example.org", **extra)
    return env


def test_deploy_check_with_production_environment_gives_zero_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_host_cookies_hsts_and_ssl_redirect():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR,
        env=_production_env(SECURE_PROXY_SSL_HEADER_ENABLED="1"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "__Host-sessionid __Host-csrftoken True True 31536000 True True ['community.example.org'] "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_hsts_header_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("account_login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", "https:/\\elsewhere.example"])
def test_sign_in_with_a_foreign_next_stays_on_site(client, member, target):
    response = client.post(
        reverse("account_login") + "?next=" + target,
        {"login": member.email, "password": "a-Long-test-password-1", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


def test_sign_in_with_a_local_next_goes_there(client, member):
    target = reverse("member_directory")
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "a-Long-test-password-1", "next": target}
    )
    assert response["Location"] == target


def test_profile_form_ignores_role_staff_status_and_organisation(client_for, member, other_organisation):
    response = client_for(member).post(reverse("profile_edit"), {
        "display_name": "Giorgos P.", "first_name": "Giorgos", "last_name": "P", "languages": "el, en",
        "bio": "Hi", "is_staff": "on", "is_superuser": "on", "role": Role.NETWORK_COORDINATOR,
        "status": "approved", "organisation": other_organisation.pk, "groups": "1", "suspended_at": "",
        "email": "taken-over@example.org",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Giorgos P."
    assert not member.is_staff and not member.is_superuser
    assert member.email != "taken-over@example.org"
    assert member.role_names == {Role.MEMBER}
    membership = member.memberships.get()
    assert membership.organisation_id != other_organisation.pk
    assert membership.status == Membership.Status.APPROVED
