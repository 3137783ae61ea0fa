from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Invitation, Membership, Role
from tests.factories import make_organisation, make_user


def _invite(actor, organisation, email="invitee@example.org", role=Role.MEMBER):
    return services.create_invitation(actor=actor, organisation=organisation, email=email, role=role)


@pytest.mark.django_db
def test_coordinator_invites_by_email_and_the_invitee_joins_with_that_role(client, client_for, network_coordinator,
                                                                          organisation,
                                                                          django_capture_on_commit_callbacks):
    coordinator_client = client_for(network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("invitation_list"),
            {"email": "Invitee@Example.org", "organisation": organisation.pk, "role": Role.YOUTH_COORDINATOR},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "invitee@example.org"
    message = mail.outbox[-1]
    assert message.to == ["invitee@example.org"]
    token = message.body.split("/join/")[1].split("/")[0]
    # Only a hash of the token is stored.
    assert token not in invitation.token_hash

    # The invitee follows the link signed out, is told to sign up, and comes back to accept.
    client.logout()
    landing = client.get(reverse("invitation_accept", args=[token]))
    assert "You are invited to join" in landing.content.decode()
    invitee = make_user(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert response["Location"] == reverse("dashboard")
    membership = Membership.objects.get(user=invitee)
    assert membership.status == Membership.Status.APPROVED
    assert membership.role == Role.YOUTH_COORDINATOR
    assert membership.organisation == organisation
    assert invitee.has_role(Role.YOUTH_COORDINATOR)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_an_invitation_works_once(client, network_coordinator, organisation):
    _invitation, token = _invite(network_coordinator, organisation)
    first = make_user(email="invitee@example.org")
    services.accept_invitation(user=first, raw_token=token)
    client.force_login(first)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert "already been used" in response.content.decode()
    assert Membership.objects.filter(user=first).count() == 1


@pytest.mark.django_db
def test_an_expired_invitation_is_refused_with_a_clear_message(client, network_coordinator, organisation):
    invitation, token = _invite(network_coordinator, organisation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    invitee = make_user(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert "has expired" in response.content.decode()
    assert not invitee.memberships.exists()


@pytest.mark.django_db
def test_an_invitation_for_another_email_is_refused(client, network_coordinator, organisation):
    _invitation, token = _invite(network_coordinator, organisation)
    stranger = make_user(email="someone.else@example.org")
    client.force_login(stranger)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert "different email address" in response.content.decode()
    assert not stranger.memberships.exists()


@pytest.mark.django_db
def test_an_unverified_address_does_not_match_the_invitation(client, network_coordinator, organisation):
    _invitation, token = _invite(network_coordinator, organisation)
    unverified = make_user(email="invitee@example.org", verified=False)
    client.force_login(unverified)
    client.post(reverse("invitation_accept", args=[token]))
    assert not unverified.memberships.exists()


@pytest.mark.django_db
def test_a_revoked_invitation_stops_working(client, client_for, network_coordinator, organisation):
    invitation, token = _invite(network_coordinator, organisation)
    client_for(network_coordinator).post(reverse("invitation_revoke", args=[invitation.pk]))
    invitee = make_user(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert "not valid" in response.content.decode()
    assert not invitee.memberships.exists()


@pytest.mark.django_db
def test_a_made_up_token_is_not_valid(client):
    invitee = make_user()
    client.force_login(invitee)
    assert "not valid" in client.get(reverse("invitation_accept", args=["made-up"])).content.decode()


@pytest.mark.django_db
def test_youth_coordinator_invites_panellists_of_their_own_country_only(client_for, youth_coordinator,
                                                                       organisation):
    coordinator_client = client_for(youth_coordinator)
    irish = make_organisation(country_code="IE", services_codes=("youth",))
    response = coordinator_client.post(
        reverse("invitation_list"),
        {"email": "teen@example.org", "organisation": irish.pk, "role": Role.YOUTH_PANELLIST},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    response = coordinator_client.post(
        reverse("invitation_list"), {"email": "adult@example.org", "organisation": organisation.pk, "role": Role.MEMBER}
    )
    assert not Invitation.objects.exists()
    coordinator_client.post(
        reverse("invitation_list"),
        {"email": "teen@example.org", "organisation": organisation.pk, "role": Role.YOUTH_PANELLIST},
    )
    assert Invitation.objects.get().role == Role.YOUTH_PANELLIST


@pytest.mark.django_db
def test_plain_members_have_no_invitation_page(client_for, member, other_organisation):
    assert client_for(member).get(reverse("invitation_list")).status_code == 404
    with pytest.raises(PermissionDenied):
        _invite(member, other_organisation)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invited_youth_panellist_gets_high_privacy_defaults(network_coordinator, organisation):
    _invitation, token = _invite(network_coordinator, organisation, email="teen@example.org",
                                 role=Role.YOUTH_PANELLIST)
    teen = make_user(email="teen@example.org")
    services.accept_invitation(user=teen, raw_token=token)
    teen.refresh_from_db()
    assert (teen.show_surname, teen.show_email, teen.show_in_directory) == (False, False, False)
