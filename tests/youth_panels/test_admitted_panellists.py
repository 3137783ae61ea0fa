"""A panellist admitted outside the panel invitation (a network coordinator's community
invitation, an organisation admin's approval) gets their country's panel place only when their
birth year shows they are at or above the digital-consent age; otherwise the place waits until
the coordinator records a parent's authorisation (issue 9)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from community import services as community_services
from community.models import Membership, Role
from notifications.models import Notification
from tests.factories import make_user
from youth_panels import services
from youth_panels.models import PanelMembership

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year  # Greek age of digital consent: 15


def _admitted_by_community_invitation(inviter, organisation, **user_fields):
    invitation, token = community_services.create_invitation(
        actor=inviter, organisation=organisation, email="young@example.gr", role=Role.YOUTH_PANELLIST)
    person = make_user(email="young@example.gr", display_name="Eleni", **user_fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        community_services.accept_invitation(user=person, raw_token=token)
    return person


def _place_of(person):
    return PanelMembership.objects.get(user=person, status__in=["awaiting", "active"])


def test_a_panellist_of_unknown_age_waits_until_the_coordinator_records_the_authorisation(
    client_for, network_coordinator, youth_coordinator, organisation, greek_panel, european_area
):
    person = _admitted_by_community_invitation(network_coordinator, organisation)
    place = _place_of(person)
    assert place.status == PanelMembership.Status.AWAITING_AUTHORISATION and place.panel == greek_panel

    young = client_for(person)
    assert young.get(greek_panel.get_absolute_url()).status_code == 404
    assert young.get(european_area.get_absolute_url()).status_code == 404
    assert young.get(reverse("youth_panels:post_new", args=[greek_panel.slug])).status_code == 404
    index = young.get(reverse("youth_panels:index")).content.decode()
    assert "your youth coordinator needs to note that a parent or guardian said yes" in index
    assert "youth coordinator needs to note" in young.get(reverse("dashboard")).content.decode()
    assert Notification.objects.filter(recipient=youth_coordinator, kind="youth_authorisation_needed").exists()

    coordinator = client_for(youth_coordinator)
    url = reverse("youth_panels:dashboard", args=[greek_panel.slug])
    dashboard = coordinator.get(url).content.decode()
    assert "Waiting for a parent's authorisation" in dashboard and "Eleni" in dashboard
    action = reverse("youth_panels:invitation_action", args=[place.pk])
    # Who authorised is required.
    coordinator.post(action, {"action": "authorise", f"authorise-{place.pk}-authorised_by": ""})
    assert young.get(greek_panel.get_absolute_url()).status_code == 404
    response = coordinator.post(action, {"action": "authorise",
                                         f"authorise-{place.pk}-authorised_by": "Sofia K., mother"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == PanelMembership.Status.ACTIVE
    assert (place.authorised_by, place.authorisation_recorded_by) == ("Sofia K., mother", youth_coordinator)
    assert young.get(greek_panel.get_absolute_url()).status_code == 200
    assert young.get(european_area.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=person, kind="youth_panel_joined").exists()
    assert "Waiting for a parent's authorisation" not in coordinator.get(url).content.decode()


def test_a_panellist_at_the_consent_age_gets_the_place_at_once(
    client_for, network_coordinator, organisation, greek_panel
):
    person = _admitted_by_community_invitation(network_coordinator, organisation, birth_year=THIS_YEAR - 16)
    assert _place_of(person).status == PanelMembership.Status.ACTIVE
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 200


def test_a_panellist_below_the_consent_age_waits(client_for, network_coordinator, organisation, greek_panel):
    person = _admitted_by_community_invitation(network_coordinator, organisation, birth_year=THIS_YEAR - 13)
    assert _place_of(person).status == PanelMembership.Status.AWAITING_AUTHORISATION
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 404


def test_a_panellist_approved_by_an_organisation_admin_waits_for_the_authorisation(
    client_for, org_admin, organisation, greek_panel
):
    person = make_user(display_name="Petros")
    request = Membership.objects.create(user=person, organisation=organisation, role=Role.YOUTH_PANELLIST)
    assert community_services.approve_membership(actor=org_admin, membership=request)
    assert _place_of(person).status == PanelMembership.Status.AWAITING_AUTHORISATION
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 404


def test_the_panel_invitation_still_decides_for_itself(
    client_for, youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invite_panellist(
            actor=youth_coordinator, panel=greek_panel, email="young@example.gr", organisation=organisation,
            birth_year=THIS_YEAR - 13, parental_authorisation=True, authorised_by="Sofia K., mother")
    token = re.search(r"/join/([^/\s]+)/", mail.outbox[-1].body).group(1)
    person = make_user(email="young@example.gr", display_name="Eleni")
    with django_capture_on_commit_callbacks(execute=True):
        community_services.accept_invitation(user=person, raw_token=token)
    assert not PanelMembership.objects.filter(user=person, status__in=["awaiting", "active"]).exists()
    # The authorisation was recorded at invitation: nobody is asked for it again.
    assert not Notification.objects.filter(kind="youth_authorisation_needed").exists()
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 404
    assert services.approve_panellist(actor=youth_coordinator, membership=membership)
    membership.refresh_from_db()
    assert membership.status == PanelMembership.Status.ACTIVE and membership.user == person
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 200


def test_a_coordinator_may_remove_a_panellist_waiting_for_the_authorisation(
    client_for, network_coordinator, youth_coordinator, organisation, greek_panel
):
    person = _admitted_by_community_invitation(network_coordinator, organisation)
    response = client_for(youth_coordinator).post(
        reverse("youth_panels:member_remove", args=[greek_panel.slug, person.pk]), {"reason": "Parent said no"})
    assert response.status_code == 302
    assert not PanelMembership.objects.filter(user=person, status__in=["awaiting", "active"]).exists()
    assert "Eleni" not in client_for(youth_coordinator).get(
        reverse("youth_panels:dashboard", args=[greek_panel.slug])).content.decode()


def test_another_countrys_coordinator_cannot_record_the_authorisation(
    client_for, network_coordinator, irish_coordinator, organisation, greek_panel
):
    person = _admitted_by_community_invitation(network_coordinator, organisation)
    place = _place_of(person)
    response = client_for(irish_coordinator).post(
        reverse("youth_panels:invitation_action", args=[place.pk]),
        {"action": "authorise", f"authorise-{place.pk}-authorised_by": "Someone"})
    assert response.status_code == 404
    place.refresh_from_db()
    assert place.status == PanelMembership.Status.AWAITING_AUTHORISATION
