"""Privacy: digital-consent ages, erasure of adults and minors, IP retention, the data export."""

import datetime
import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import erasure
from community.consent import DIGITAL_CONSENT_AGE, digital_consent_age, needs_parental_authorisation
from community.models import Country, User
from community.security import truncate_old_ip_addresses_in_log
from notifications.models import Notification
from notifications.services import notify

# --- Digital consent age (GDPR art. 8) ------------------------------------------------


def test_every_european_sic_country_has_a_consent_age_between_13_and_16(db):
    for country in Country.objects.filter(is_sic_plus=False):
        assert 13 <= digital_consent_age(country.code) <= 16, country.code


@pytest.mark.parametrize(("code", "age"), [("BE", 13), ("FR", 15), ("GR", 15), ("DE", 16), ("IE", 16), ("AT", 14)])
def test_known_national_consent_ages(code, age):
    assert DIGITAL_CONSENT_AGE[code] == age == digital_consent_age(code.lower())


def test_a_country_without_its_own_age_gets_the_gdpr_default_of_16():
    assert digital_consent_age("XX") == 16


def test_parental_authorisation_depends_on_the_country_and_assumes_the_youngest_age():
    today = datetime.date(2026, 6, 1)
    # Born in 2012: 13 or 14 in June 2026, so counted as 13.
    assert not needs_parental_authorisation(birth_year=2012, country_code="BE", today=today)
    assert needs_parental_authorisation(birth_year=2012, country_code="DE", today=today)
    assert needs_parental_authorisation(birth_year=2013, country_code="BE", today=today)
    assert needs_parental_authorisation(birth_year=None, country_code="BE", today=today)


# --- Erasure --------------------------------------------------------------------------


@pytest.fixture
def recorded_erasers(monkeypatch):
    calls = []
    monkeypatch.setitem(erasure._erasers, "test_app",
                        lambda user, *, delete_content: calls.append((user.pk, delete_content)))
    return calls


def test_erasing_an_adult_keeps_content_as_former_member_and_removes_personal_data(
    network_coordinator, member, org_admin, recorded_erasers, security_log
):
    original_email, original_name = member.email, member.display_name
    session = Client()
    session.post(reverse("account_login"), {"login": member.email, "password": "a-Long-test-password-1"})
    notify(recipients=[member], kind="role_change", title="For the member")
    notify(recipients=[org_admin], kind="role_change", title="From the member", actor=member)

    assert erasure.erase_member(actor=network_coordinator, user=member) is True

    member.refresh_from_db()
    assert recorded_erasers == [(member.pk, False)]
    assert member.display_name == "Former member"
    assert (member.first_name, member.last_name, member.bio, member.birth_year) == ("", "", "", None)
    assert member.email not in (original_email,) and member.email.endswith(".invalid")
    assert not member.is_active and not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not member.memberships.exists() and not member.groups.exists()
    assert not Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.get(recipient=org_admin, title="From the member").actor_name == "Former member"
    assert not UserSession.objects.filter(user=member).exists()
    assert session.get(reverse("profile_edit"))["Location"].startswith(reverse("account_login"))
    assert Client().post(reverse("account_login"), {"login": original_email,
                                                    "password": "a-Long-test-password-1"}).status_code == 200
    [event] = security_log.of("member_erased")
    assert (event["user_id"], event["actor_id"], event["minor"]) == (member.pk, network_coordinator.pk, False)
    assert original_email not in json.dumps(event) and original_name not in json.dumps(event)


def test_erasing_a_minor_deletes_their_content(network_coordinator, youth_panellist, recorded_erasers):
    erasure.erase_member(actor=network_coordinator, user=youth_panellist)
    assert recorded_erasers == [(youth_panellist.pk, True)]


def test_erasure_is_idempotent(network_coordinator, member, recorded_erasers):
    assert erasure.erase_member(actor=network_coordinator, user=member) is True
    assert erasure.erase_member(actor=network_coordinator, user=User.objects.get(pk=member.pk)) is False
    assert len(recorded_erasers) == 1


@pytest.mark.parametrize("actor_name", ["member", "org_admin", "moderator"])
def test_only_network_coordinators_erase_members(request, actor_name, youth_panellist, recorded_erasers):
    with pytest.raises(PermissionDenied):
        erasure.erase_member(actor=request.getfixturevalue(actor_name), user=youth_panellist)
    assert recorded_erasers == []
    assert User.objects.get(pk=youth_panellist.pk).display_name == "Alex"


def test_a_coordinator_cannot_erase_themselves(network_coordinator):
    with pytest.raises(PermissionDenied):
        erasure.erase_member(actor=network_coordinator, user=network_coordinator)


# --- Export ---------------------------------------------------------------------------


def test_the_export_holds_the_members_data_and_nobody_elses(client_for, member, org_admin):
    notify(recipients=[org_admin], kind="role_change", title="Only for the admin")
    response = client_for(member).get(reverse("your_data_export"))
    exported = response.content.decode()
    assert json.loads(exported)["account"]["email"] == member.email
    assert org_admin.email not in exported and "Only for the admin" not in exported


# --- Retention of IP addresses --------------------------------------------------------


def _session(user, *, ip, days_ago):
    return UserSession.objects.create(user=user, ip=ip, session_key=f"k{ip}{days_ago}", user_agent="test",
                                      created_at=timezone.now() - timedelta(days=days_ago))


def test_retention_truncates_ips_older_than_seven_days_and_is_idempotent(member):
    old_v4 = _session(member, ip="203.0.113.77", days_ago=8)
    old_v6 = _session(member, ip="2001:db8:abcd:12:1:2:3:4", days_ago=30)
    recent = _session(member, ip="198.51.100.9", days_ago=6)
    call_command("truncate_old_ip_addresses", stdout=open("/dev/null", "w"))
    old_v4.refresh_from_db(), old_v6.refresh_from_db(), recent.refresh_from_db()
    assert (old_v4.ip, old_v6.ip, recent.ip) == ("203.0.113.0", "2001:db8:abcd::", "198.51.100.9")

    from io import StringIO

    second_run = StringIO()
    call_command("truncate_old_ip_addresses", stdout=second_run)
    assert "usersessions.UserSession: 0 truncated" in second_run.getvalue()


def test_retention_truncates_old_ips_in_the_security_log_file(tmp_path, settings):
    log = tmp_path / "security.log"
    now = timezone.now()
    log.write_text(
        json.dumps({"at": (now - timedelta(days=9)).isoformat(), "event": "login_failed", "ip": "192.0.2.200"})
        + "\n"
        + json.dumps({"at": (now - timedelta(days=1)).isoformat(), "event": "login_failed", "ip": "192.0.2.201"})
        + "\nnot json\n"
    )
    assert truncate_old_ip_addresses_in_log(log) == 1
    assert truncate_old_ip_addresses_in_log(log) == 0
    lines = log.read_text().splitlines()
    assert [json.loads(line)["ip"] for line in lines[:2]] == ["192.0.2.0", "192.0.2.201"]
    assert lines[2] == "not json"
