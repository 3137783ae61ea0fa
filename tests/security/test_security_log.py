"""One JSON line per security event: who, what, when (UTC), IP; never a secret; one line each."""

import json

from django.test import Client
from django.urls import reverse

from community import roles
from community.models import Role
from community.security import log_security_event

PASSWORD = "a-Long-test-password-1"


def _sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_successful_sign_in_is_logged_with_who_when_and_ip(member, security_log):
    _sign_in(Client(REMOTE_ADDR="192.0.2.33"), member.email, PASSWORD)
    [event] = security_log.of("login_succeeded")
    assert event["user_id"] == member.pk
    assert event["ip"] == "192.0.2.33"
    assert event["at"].endswith("+00:00")
    assert PASSWORD not in "".join(security_log.lines)


def test_a_failed_sign_in_is_logged_without_the_password(member, security_log):
    _sign_in(Client(), member.email, "Wrong-password-secret-9")
    [event] = security_log.of("login_failed")
    assert event["login"] == member.email
    assert "Wrong-password-secret-9" not in "".join(security_log.lines)
    assert not security_log.of("login_succeeded")


def test_newlines_in_user_supplied_values_cannot_forge_a_second_log_line(db, security_log):
    forged = 'x@example.org\n{"event": "login_succeeded", "user_id": 1}\r\u2028'
    log_security_event("login_failed", login=forged)
    [line] = security_log.lines
    assert "\n" not in line and "\r" not in line and "\u2028" not in line
    assert json.loads(line)["login"] == forged


def test_a_lock_out_is_logged(member, security_log):
    client = Client()
    for _ in range(6):
        _sign_in(client, member.email, "Wrong-password-secret-9")
    assert [event["login"] for event in security_log.of("login_locked_out")] == [member.email]


def test_a_refused_request_is_logged_as_forbidden(client_for, member, security_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("profile_edit"), {"display_name": "No token"})
    assert response.status_code == 403
    [event] = security_log.of("forbidden")
    assert (event["actor_id"], event["path"], event["status"]) == (member.pk, "/profile/", 403)


def test_a_rate_limited_request_is_logged(member, security_log):
    client = Client()
    for _ in range(31):
        _sign_in(client, member.email, "Wrong-password-secret-9")
    assert security_log.of("rate_limited")[0]["status"] == 429


def test_role_changes_are_logged(member, security_log):
    roles.grant_role(member, Role.MODERATOR)
    roles.revoke_role(member, Role.MODERATOR)
    assert [(event["event"], event["user_id"], event["roles"]) for event in security_log.events] == [
        ("role_granted", member.pk, "moderator"), ("role_revoked", member.pk, "moderator"),
    ]


def test_a_suspension_is_logged_with_the_moderator_as_actor(client_for, moderator, member, security_log):
    response = client_for(moderator).post(reverse("member_suspend", args=[member.pk]),
                                          {"reason": "Harassment\nof a panellist"})
    assert response.status_code == 302
    [event] = security_log.of("member_suspended")
    assert (event["user_id"], event["actor_id"]) == (member.pk, moderator.pk)
    assert "Harassment" not in "".join(security_log.lines)


def test_secrets_are_never_written_whatever_the_caller_passes(db, security_log):
    log_security_event("example", password="p4ss", otp_code="123456", session_key="abc", token="t0k",
                       csrfmiddlewaretoken="c", api_secret="s", note="kept")
    [line] = security_log.lines
    assert json.loads(line) == {"at": json.loads(line)["at"], "event": "example", "note": "kept"}
