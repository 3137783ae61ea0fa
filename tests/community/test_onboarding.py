"""Sign up → verify → choose organisation → wait → approval or rejection → access."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Membership, Organisation, Role, Service
from notifications.models import Notification
from tests.factories import make_user

PASSWORD = "Correct-horse-battery-9"


def _sign_up_and_verify(client, email="dimitra@example.org"):
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Dimitra"},
    )
    assert response.status_code == 302
    confirmation = next(m for m in mail.outbox if email in m.to)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body).group(1)
    assert client.get(link).status_code == 200
    return client.post(link)


@pytest.mark.django_db
def test_newcomer_signs_up_verifies_and_requests_membership_then_waits(client, organisation, org_admin,
                                                                        network_coordinator, member,
                                                                        django_capture_on_commit_callbacks):
    response = _sign_up_and_verify(client)
    assert response.status_code == 302

    # Verified and signed in, but not approved: every members' page leads to the waiting page.
    assert client.get(reverse("dashboard"))["Location"] == reverse("onboarding_waiting")
    assert client.get(reverse("onboarding_waiting"))["Location"] == reverse("onboarding_choose")

    choose = client.get(reverse("onboarding_choose"), {"country": "GR", "q": "Hellenic"})
    assert organisation.name in choose.content.decode()

    mail.outbox.clear()
    helpline = Service.objects.get(code="helpline")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onboarding_join", args=[organisation.pk]),
            {"role": Role.MEMBER, "services": [helpline.pk], "job_title": "Counsellor", "motivation": "Hi Eleni"},
        )
    assert response["Location"] == reverse("onboarding_waiting")
    membership = Membership.objects.get(user__email="dimitra@example.org")
    assert membership.status == Membership.Status.PENDING
    assert membership.organisation == organisation

    waiting = client.get(reverse("onboarding_waiting"))
    assert "waiting for approval" in waiting.content.decode()
    for path in [reverse("dashboard"), reverse("member_directory"), "/forums/", reverse("profile_edit")]:
        assert client.get(path)["Location"] == reverse("onboarding_waiting")

    # The organisation's admins and the network coordinators are told, in the app and by email;
    # ordinary members of the organisation are not.
    told = set(Notification.objects.filter(kind="membership_request").values_list("recipient__email", flat=True))
    assert told == {org_admin.email, network_coordinator.email}
    emailed = {address for message in mail.outbox for address in message.to}
    assert {org_admin.email, network_coordinator.email} <= emailed
    assert member.email not in emailed


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    for path in [reverse("dashboard"), reverse("member_directory"), reverse("membership_requests"), "/forums/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("legal", args=["privacy"])).status_code == 200


def _pending_request(organisation, email="applicant@example.org"):
    from community import services

    applicant = make_user(email=email, display_name="Applicant")
    return services.request_membership(user=applicant, organisation=organisation,
                                       services=Service.objects.filter(code="helpline"))


@pytest.mark.django_db
def test_org_admin_approves_a_request_and_the_applicant_gets_access(client, client_for, organisation, org_admin):
    membership = _pending_request(organisation)
    admin_client = client_for(org_admin)
    page = admin_client.get(reverse("membership_requests"))
    assert membership.user.display_name in page.content.decode()

    response = admin_client.post(reverse("membership_approve", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == org_admin
    assert membership.user.has_role(Role.MEMBER)
    assert Notification.objects.filter(recipient=membership.user, kind="membership_decision").exists()

    client.force_login(membership.user)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_org_admin", "member", "youth_panellist"])
def test_people_who_may_not_decide_get_404_and_the_request_stays_pending(request, client_for, organisation, who):
    membership = _pending_request(organisation)
    outsider = request.getfixturevalue(who)
    outsider_client = client_for(outsider)
    assert membership.user.display_name not in outsider_client.get(reverse("membership_requests")).content.decode()
    assert outsider_client.post(reverse("membership_approve", args=[membership.pk])).status_code == 404
    assert outsider_client.post(reverse("membership_reject", args=[membership.pk]), {"reason": "no"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


@pytest.mark.django_db
def test_anonymous_cannot_approve(client, organisation):
    membership = _pending_request(organisation)
    response = client.post(reverse("membership_approve", args=[membership.pk]))
    assert response["Location"].startswith(reverse("account_login"))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


@pytest.mark.django_db
def test_network_coordinator_sees_and_decides_requests_of_every_organisation(client_for, organisation,
                                                                            other_organisation, network_coordinator):
    greek = _pending_request(organisation, "greek@example.org")
    irish = _pending_request(other_organisation, "irish@example.org")
    coordinator_client = client_for(network_coordinator)
    page = coordinator_client.get(reverse("membership_requests")).content.decode()
    assert greek.user.display_name in page and "irish@example.org" in page
    coordinator_client.post(reverse("membership_approve", args=[irish.pk]))
    irish.refresh_from_db()
    assert irish.status == Membership.Status.APPROVED


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_the_applicant_reads_it_and_may_reapply(client, client_for, organisation,
                                                                           other_organisation, org_admin):
    membership = _pending_request(organisation)
    admin_client = client_for(org_admin)

    response = admin_client.post(reverse("membership_reject", args=[membership.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING

    reason = "We could not find you in our staff list — please write to Eleni first."
    admin_client.post(reverse("membership_reject", args=[membership.pk]), {"reason": reason})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REJECTED
    assert Notification.objects.get(recipient=membership.user, kind="membership_decision").body == reason

    client.force_login(membership.user)
    waiting = client.get(reverse("onboarding_waiting")).content.decode()
    assert "not approved" in waiting
    assert "We could not find you in our staff list" in waiting
    assert client.get(reverse("dashboard"))["Location"] == reverse("onboarding_waiting")

    # Rejected people may apply again, to the same or another organisation.
    response = client.post(reverse("onboarding_join", args=[other_organisation.pk]), {"role": Role.MEMBER})
    assert response["Location"] == reverse("onboarding_waiting")
    assert membership.user.memberships.filter(status=Membership.Status.PENDING).count() == 1


@pytest.mark.django_db
def test_a_rejected_form_keeps_what_the_user_typed(client, organisation):
    applicant = make_user(display_name="Typist")
    client.force_login(applicant)
    response = client.post(
        reverse("onboarding_join", args=[organisation.pk]),
        {"role": "not-a-role", "job_title": "Senior counsellor", "motivation": "I run the chat service."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Senior counsellor" in page and "I run the chat service." in page
    assert "Select a valid choice" in page
    assert not applicant.memberships.exists()


@pytest.mark.django_db
def test_youth_panellist_role_cannot_be_requested_only_invited(client, organisation):
    applicant = make_user()
    client.force_login(applicant)
    response = client.post(reverse("onboarding_join", args=[organisation.pk]), {"role": Role.YOUTH_PANELLIST})
    assert response.status_code == 200
    assert not applicant.memberships.exists()


@pytest.mark.django_db
def test_a_person_cannot_hold_two_live_memberships(client, organisation, other_organisation):
    membership = _pending_request(organisation)
    client.force_login(membership.user)
    response = client.post(reverse("onboarding_join", args=[other_organisation.pk]), {"role": Role.MEMBER})
    assert response["Location"] == reverse("onboarding_waiting")
    assert membership.user.memberships.count() == 1


@pytest.mark.django_db
def test_missing_organisation_is_requested_and_approved_by_a_coordinator(client, client_for, network_coordinator):
    applicant = make_user(display_name="Founder")
    client.force_login(applicant)
    response = client.post(
        reverse("onboarding_request_organisation"),
        {"name": "Cyprus Youth Online", "country": _country_id("CY"), "website": "https://example.org",
         "role": Role.MEMBER},
    )
    assert response["Location"] == reverse("onboarding_waiting")
    organisation = Organisation.objects.get(name="Cyprus Youth Online")
    assert organisation.status == Organisation.Status.REQUESTED
    assert "checking your organisation" in client.get(reverse("onboarding_waiting")).content.decode()
    # Nobody may join a requested organisation but the person who asked for it.
    other = make_user()
    client.force_login(other)
    assert client.get(reverse("onboarding_join", args=[organisation.pk])).status_code == 404

    coordinator_client = client_for(network_coordinator)
    assert "Cyprus Youth Online" in coordinator_client.get(reverse("organisation_requests")).content.decode()
    coordinator_client.post(reverse("organisation_request_decide", args=[organisation.pk]), {"decision": "approve"})
    organisation.refresh_from_db()
    assert organisation.is_active
    # Now the applicant's request appears among the decidable ones.
    assert "Founder" in coordinator_client.get(reverse("membership_requests")).content.decode()


@pytest.mark.django_db
def test_only_network_coordinators_see_organisation_requests(client_for, org_admin):
    assert client_for(org_admin).get(reverse("organisation_requests")).status_code == 404


def _country_id(code):
    from community.models import Country

    return Country.objects.get(code=code).pk


@pytest.mark.django_db
def test_membership_requests_page_query_count_is_constant(client_for, organisation, org_admin,
                                                         django_assert_max_num_queries):
    admin_client = client_for(org_admin)
    for n in range(3):
        _pending_request(organisation, f"few{n}@example.org")
    admin_client.get(reverse("dashboard"))  # the first request of a session also records it (usersessions)
    # session + user + middleware checks (membership, groups, MFA) + notifications count +
    # guardian lookups + requests + their services prefetch: independent of the number of requests.
    with django_assert_max_num_queries(16) as few:
        admin_client.get(reverse("membership_requests"))
    for n in range(30):
        _pending_request(organisation, f"many{n}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("membership_requests"))
    assert response.content.decode().count("Approve<span") == 33


@pytest.mark.django_db
def test_approving_twice_is_harmless(client_for, organisation, org_admin):
    membership = _pending_request(organisation)
    admin_client = client_for(org_admin)
    admin_client.post(reverse("membership_approve", args=[membership.pk]))
    response = admin_client.post(reverse("membership_approve", args=[membership.pk]), follow=True)
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=membership.user, kind="membership_decision").count() == 1

