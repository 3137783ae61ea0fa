"""Accounts and sessions: enumeration, notifications, reauthentication, rate limits, MFA,
session lifetimes by role, and every session ending on logout, password change and suspension."""

import re
import time

import pytest
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from community import services
from community.models import User
from community.security import AUTHENTICATED_AT_KEY, LAST_SEEN_KEY

from ..factories import make_member, make_organisation

PASSWORD = "a-Long-test-password-1"
# A members-only page of the community app itself, so these tests do not depend on panels
# other apps add to the dashboard.
MEMBERS_PAGE = "profile_edit"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _signed_in_client(user) -> Client:
    """A client signed in as `user`, its session recorded as allauth's sign-in records it
    (force_login skips allauth, and activity tracking is off)."""
    client = Client()
    client.force_login(user)
    UserSession.objects.create(user=user, session_key=client.session.session_key, ip="127.0.0.1",
                               user_agent="test")
    return client


def _sign_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": user.email, "password": password}, **extra)


# --- Enumeration ----------------------------------------------------------------------


def test_sign_up_answers_the_same_for_a_known_and_an_unknown_email(client, member):
    def sign_up(email):
        return Client().post(reverse("account_signup"), {
            "email": email, "password1": "Another-long-pass-77", "password2": "Another-long-pass-77",
            "display_name": "Someone",
        })

    known = sign_up(member.email)
    unknown = sign_up("nobody-yet@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert User.objects.filter(email__iexact=member.email).count() == 1
    # The owner of the known address is told by email instead of the visitor on screen.
    assert [message.to for message in mail.outbox].count([member.email]) == 1


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(member):
    known = Client().post(reverse("account_reset_password"), {"email": member.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


# --- Notifications and reauthentication -----------------------------------------------


def test_password_change_emails_the_member_and_ends_every_session(member):
    here, elsewhere = _signed_in_client(member), _signed_in_client(member)
    response = here.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "A-brand-new-pass-42", "password2": "A-brand-new-pass-42",
    })
    assert response.status_code == 302
    assert any(member.email in message.to and "password" in message.subject.lower() for message in mail.outbox)
    assert here.get(reverse(MEMBERS_PAGE)).status_code == 302
    assert elsewhere.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    assert not UserSession.objects.filter(user=member).exists()


def test_adding_an_email_address_asks_for_the_password_again(client_for, member):
    response = client_for(member).post(reverse("account_email"), {"email": "second@example.org", "action_add": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not member.emailaddress_set.filter(email="second@example.org").exists()


def test_activating_two_factor_authentication_emails_the_member(member, monkeypatch, security_log,
                                                                 django_capture_on_commit_callbacks):
    now = (int(time.time()) // 30) * 30 + 5
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time.time", lambda: now)
    client = Client()
    _sign_in(client, member)
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, now // 30))})
    assert response.status_code == 302
    # allauth sends the email after commit, from within the request it was activated in.
    request = RequestFactory().get("/")
    request.user, request.session = member, client.session
    request._messages = default_storage(request)
    with context.request_context(request):
        for callback in callbacks:
            callback()
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert any(member.email in message.to and "authenticator" in message.body.lower() for message in mail.outbox)
    added = {(event["user_id"], event["authenticator"]) for event in security_log.of("mfa_authenticator_added")}
    assert added == {(member.pk, "totp"), (member.pk, "recovery_codes")}


# --- Sessions you can see and end -----------------------------------------------------


def test_a_member_sees_their_sessions_and_ends_the_others(member):
    here = Client()
    _sign_in(here, member)
    elsewhere = Client()
    _sign_in(elsewhere, member)
    assert UserSession.objects.filter(user=member).count() == 2
    listing = here.get(reverse("usersessions_list"))
    assert listing.status_code == 200
    response = here.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert here.get(reverse(MEMBERS_PAGE)).status_code == 200
    assert elsewhere.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))


def test_signing_out_ends_every_session_of_that_member(member):
    here, elsewhere = _signed_in_client(member), _signed_in_client(member)
    here.post(reverse("account_logout"))
    assert elsewhere.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    assert not Session.objects.exists()


def test_suspension_ends_every_session_of_that_member(member, moderator, django_capture_on_commit_callbacks):
    here, elsewhere = _signed_in_client(member), _signed_in_client(member)
    bystander = _signed_in_client(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_member(actor=moderator, user=member, reason="Spam")
    assert not UserSession.objects.filter(user=member).exists()
    for client in (here, elsewhere):
        assert client.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    assert bystander.get(reverse(MEMBERS_PAGE)).status_code == 200


# --- Rate limits and proxies ----------------------------------------------------------

ATTACKER_IP = "198.51.100.7"


def _fail_logins_from(ip, count, **headers):
    client = Client(REMOTE_ADDR=ip)
    for attempt in range(count):
        client.post(reverse("account_login"), {"login": f"guess{attempt}@example.org", "password": "wrong"},
                    **headers)


def test_a_forged_x_forwarded_for_cannot_reset_a_lock_out(member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_logins_from(ATTACKER_IP, 10)
    locked = Client(REMOTE_ADDR=ATTACKER_IP)
    forged = _sign_in(locked, member, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert forged.status_code == 200
    assert "too many" in forged.content.decode().lower()
    assert "_auth_user_id" not in locked.session
    # The lock-out is per client address: the same member signs in from elsewhere.
    assert _sign_in(Client(REMOTE_ADDR="192.0.2.10"), member).status_code == 302


def test_behind_one_trusted_proxy_only_the_address_the_proxy_saw_counts(member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    _fail_logins_from(proxy, 10, HTTP_X_FORWARDED_FOR=ATTACKER_IP)
    locked = Client(REMOTE_ADDR=proxy)
    # The attacker prepends a made-up address; the proxy appends the real one.
    forged = _sign_in(locked, member, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {ATTACKER_IP}")
    assert "too many" in forged.content.decode().lower()
    other_person = _sign_in(Client(REMOTE_ADDR=proxy), member, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert other_person.status_code == 302


def test_too_many_sign_in_requests_get_the_friendly_429_page(member):
    client = Client(REMOTE_ADDR=ATTACKER_IP)
    statuses = [_sign_in(client, member, password="wrong").status_code for _ in range(31)]
    assert statuses[-1] == 429
    assert "Too many attempts" in client.post(reverse("account_login"), {}).content.decode()


# --- Two-factor authentication --------------------------------------------------------


@pytest.fixture
def org_admin_without_mfa(organisation):
    person = make_member(organisation=organisation, org_admin=True)
    Authenticator.objects.filter(user=person).delete()
    return person


@pytest.fixture
def hotline_analyst_without_mfa(db):
    return make_member(organisation=make_organisation(country_code="IE", services_codes=("hotline",)),
                       services_codes=("hotline",))


@pytest.mark.parametrize("person", ["org_admin_without_mfa", "hotline_analyst_without_mfa", "moderator",
                                    "network_coordinator"])
def test_roles_that_need_two_factor_authentication_are_sent_to_set_it_up(request, person):
    user = request.getfixturevalue(person)
    Authenticator.objects.filter(user=user).delete()
    client = _signed_in_client(user)
    for url in (reverse(MEMBERS_PAGE), reverse("member_directory"), reverse("account_email"),
                reverse("usersessions_list"), reverse("notifications:list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_index"), url
    overview = client.get(reverse("mfa_index"))
    assert overview.status_code == 200
    assert reverse("mfa_activate_totp") in overview.content.decode()
    assert reverse("mfa_add_webauthn") in overview.content.decode()
    # Setting either up asks for the password first; that page is reachable too.
    assert client.get(reverse("mfa_add_webauthn"))["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_the_sign_in_page_offers_a_passkey(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("mfa_login_webauthn") in page


def test_a_plain_member_is_not_forced_into_two_factor_authentication(client_for, member):
    assert client_for(member).get(reverse(MEMBERS_PAGE)).status_code == 200


def test_a_passkey_counts_as_the_second_factor(org_admin_without_mfa):
    Authenticator.objects.create(user=org_admin_without_mfa, type=Authenticator.Type.WEBAUTHN,
                                 data={"name": "Laptop", "credential": {}, "passwordless": True})
    assert _signed_in_client(org_admin_without_mfa).get(reverse(MEMBERS_PAGE)).status_code == 200


@pytest.fixture
def frozen_totp_clock(monkeypatch):
    """Pin allauth's TOTP clock to one 30-second window so the test cannot straddle two."""
    now = (int(time.time()) // 30) * 30 + 5
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time.time", lambda: now)
    return format_hotp_value(hotp_value(TOTP_SECRET, now // 30))


def test_a_replayed_totp_code_is_refused(moderator, frozen_totp_clock, security_log):
    first = Client()
    assert _sign_in(first, moderator)["Location"] == reverse("mfa_authenticate")
    assert first.post(reverse("mfa_authenticate"), {"code": frozen_totp_clock}).status_code == 302
    assert first.get(reverse(MEMBERS_PAGE)).status_code == 200

    replay = Client()
    assert _sign_in(replay, moderator)["Location"] == reverse("mfa_authenticate")
    refused = replay.post(reverse("mfa_authenticate"), {"code": frozen_totp_clock})
    assert refused.status_code == 200
    assert replay.get(reverse(MEMBERS_PAGE)).status_code == 302
    assert [event["user_id"] for event in security_log.of("mfa_failed")] == [moderator.pk]


def test_a_password_reset_does_not_bypass_two_factor_authentication(moderator):
    client = Client()
    client.post(reverse("account_reset_password"), {"email": moderator.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(form_url, {"password1": "Fresh-long-pass-93", "password2": "Fresh-long-pass-93"})
    assert done.status_code == 302
    assert client.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    signed_in = _sign_in(client, moderator, password="Fresh-long-pass-93")
    assert signed_in["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))


# --- Session lifetimes by role --------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": AUTHENTICATED_AT_KEY, "seen": LAST_SEEN_KEY}[key]] = now - ago
    session.save()


def test_sensitive_roles_are_signed_out_after_thirty_idle_minutes(moderator, member):
    moderator_client, member_client = _signed_in_client(moderator), _signed_in_client(member)
    other_device = _signed_in_client(moderator)
    for client in (moderator_client, member_client):
        _age_session(client, started=31 * 60, seen=31 * 60)
    assert moderator_client.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    assert member_client.get(reverse(MEMBERS_PAGE)).status_code == 200
    # One device timing out does not sign the moderator out elsewhere.
    assert other_device.get(reverse(MEMBERS_PAGE)).status_code == 200


def test_sensitive_roles_are_signed_out_after_twelve_hours_however_active(moderator, member):
    moderator_client, member_client = _signed_in_client(moderator), _signed_in_client(member)
    for client in (moderator_client, member_client):
        _age_session(client, started=12 * 3600 + 60, seen=60)
    assert moderator_client.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))
    assert member_client.get(reverse(MEMBERS_PAGE)).status_code == 200


def test_other_members_stay_signed_in_for_fourteen_days(member):
    recent, old = _signed_in_client(member), _signed_in_client(member)
    _age_session(recent, started=13 * 86400, seen=13 * 86400)
    _age_session(old, started=14 * 86400 + 60, seen=60)
    assert recent.get(reverse(MEMBERS_PAGE)).status_code == 200
    assert old.get(reverse(MEMBERS_PAGE))["Location"].startswith(reverse("account_login"))


def test_session_cookie_lifetime_follows_the_role(moderator, member):
    moderator_client, member_client = _signed_in_client(moderator), _signed_in_client(member)
    moderator_client.get(reverse(MEMBERS_PAGE))
    member_client.get(reverse(MEMBERS_PAGE))
    assert moderator_client.session.get_expiry_age() == 30 * 60
    assert member_client.session.get_expiry_age() == 14 * 86400


def test_background_requests_of_an_open_page_do_not_keep_an_idle_session_alive(moderator):
    feed = reverse("notifications:feed")
    background = {"X-Background-Request": "1"}
    unattended = _signed_in_client(moderator)
    _age_session(unattended, started=20 * 60, seen=20 * 60)

    assert unattended.get(feed, headers=background).status_code == 200
    assert int(time.time()) - unattended.session[LAST_SEEN_KEY] >= 20 * 60
    _age_session(unattended, started=31 * 60, seen=31 * 60)
    assert unattended.get(feed, headers=background)["Location"].startswith(reverse("account_login"))

    # Someone opening the bell's list is using the page: that keeps the session.
    in_use = _signed_in_client(moderator)
    _age_session(in_use, started=20 * 60, seen=20 * 60)
    assert in_use.get(feed).status_code == 200
    assert int(time.time()) - in_use.session[LAST_SEEN_KEY] < 60

