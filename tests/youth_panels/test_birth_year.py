"""A panellist's own birth year (issue 5): a year under the country's digital-consent age closes
the youth area until a coordinator records a parent's authorisation; a year that would lift
that requirement counts only once a coordinator of the panel confirms it."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from community import services as community_services
from community.models import Role
from notifications.models import Notification
from tests.factories import make_user
from youth_panels import services
from youth_panels.models import BirthYearChange, PanelMembership

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year  # Greek age of digital consent: 15
UNDER_CONSENT_AGE = THIS_YEAR - 13
ABOVE_CONSENT_AGE = THIS_YEAR - 17
PROFILE = reverse("profile_edit")


def _profile_data(person, birth_year):
    return {"display_name": person.display_name, "languages": "", "bio": "", "birth_year": str(birth_year)}


def _waiting_for_authorisation(network_coordinator, organisation):
    """Admitted by a community invitation, of unknown age: the place waits for a parent's
    authorisation (see test_admitted_panellists.py)."""
    invitation, token = community_services.create_invitation(
        actor=network_coordinator, organisation=organisation, email="young@example.gr", role=Role.YOUTH_PANELLIST)
    person = make_user(email="young@example.gr", display_name="Eleni")
    with TestCase.captureOnCommitCallbacks(execute=True):
        community_services.accept_invitation(user=person, raw_token=token)
    assert PanelMembership.objects.get(user=person).status == PanelMembership.Status.AWAITING_AUTHORISATION
    return person


def test_a_panellist_who_turns_out_under_the_consent_age_is_told_and_their_coordinators_are_asked(
    client_for, second_greek_panellist, youth_coordinator, irish_coordinator, greek_panel,
    django_capture_on_commit_callbacks,
):
    young = client_for(second_greek_panellist)
    assert young.get(greek_panel.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = young.post(PROFILE, _profile_data(second_greek_panellist, UNDER_CONSENT_AGE), follow=True)

    assert "the law in Greece says a parent or guardian must agree before you take part" in response.content.decode()
    assert young.get(greek_panel.get_absolute_url()).status_code == 404
    place = PanelMembership.objects.get(user=second_greek_panellist)
    assert place.status == PanelMembership.Status.AWAITING_AUTHORISATION
    asked = Notification.objects.filter(kind="youth_authorisation_needed")
    assert [note.recipient for note in asked] == [youth_coordinator]
    assert "Niki gave a birth year under the age of digital consent" in asked.get().title
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert "Waiting for a parent's authorisation" in dashboard.content.decode()

    # Recording the authorisation opens the youth area again.
    assert services.authorise_waiting_panellist(actor=youth_coordinator, membership=place, authorised_by="Mother")
    assert young.get(greek_panel.get_absolute_url()).status_code == 200


def test_a_year_that_would_lift_the_parents_authorisation_waits_for_the_coordinator(
    client_for, network_coordinator, organisation, youth_coordinator, irish_coordinator, second_greek_panellist,
    greek_panel,
):
    person = _waiting_for_authorisation(network_coordinator, organisation)
    young = client_for(person)
    response = young.post(PROFILE, _profile_data(person, ABOVE_CONSENT_AGE), follow=True)
    page = response.content.decode()
    assert "Your youth coordinator will check the year you gave before it counts" in page
    assert "Your youth coordinator is checking the birth year you gave" in page
    person.refresh_from_db()
    assert person.birth_year is None
    assert young.get(greek_panel.get_absolute_url()).status_code == 404
    change = BirthYearChange.objects.get(user=person, status=BirthYearChange.Status.WAITING)
    assert Notification.objects.filter(recipient=youth_coordinator, kind="youth_birth_year_to_check").exists()
    assert not Notification.objects.filter(recipient=irish_coordinator, kind="youth_birth_year_to_check").exists()

    confirm = reverse("youth_panels:birth_year_check", args=[change.pk])
    # Another country's coordinator does not know the panellist; the panellist and their peers
    # may not decide it.
    assert client_for(irish_coordinator).post(confirm, {"action": "confirm"}).status_code == 404
    assert young.post(confirm, {"action": "confirm"}).status_code == 404
    assert client_for(second_greek_panellist).post(confirm, {"action": "confirm"}).status_code == 403
    person.refresh_from_db()
    assert person.birth_year is None

    coordinator = client_for(youth_coordinator)
    dashboard = coordinator.get(reverse("youth_panels:dashboard", args=[greek_panel.slug])).content.decode()
    assert "Birth years to check" in dashboard and "Confirm Eleni's birth year" in dashboard
    assert coordinator.post(confirm, {"action": "confirm"}).status_code == 302
    person.refresh_from_db()
    assert person.birth_year == ABOVE_CONSENT_AGE
    assert PanelMembership.objects.get(user=person).status == PanelMembership.Status.ACTIVE
    assert young.get(greek_panel.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=person, kind="youth_panel_joined").exists()
    assert Notification.objects.filter(recipient=person, kind="youth_birth_year_checked").exists()
    # Deciding twice changes nothing.
    assert not services.decline_birth_year(actor=youth_coordinator, change=change)


def test_a_coordinator_may_keep_the_earlier_year(client_for, network_coordinator, organisation, youth_coordinator,
                                                  greek_panel):
    person = _waiting_for_authorisation(network_coordinator, organisation)
    client_for(person).post(PROFILE, _profile_data(person, ABOVE_CONSENT_AGE))
    change = BirthYearChange.objects.get(user=person)
    response = client_for(youth_coordinator).post(
        reverse("youth_panels:birth_year_check", args=[change.pk]), {"action": "decline"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.birth_year is None
    assert PanelMembership.objects.get(user=person).status == PanelMembership.Status.AWAITING_AUTHORISATION
    told = Notification.objects.get(recipient=person, kind="youth_birth_year_checked")
    assert "kept your earlier birth year" in told.title
    assert "is checking" not in client_for(person).get(PROFILE).content.decode()


def test_after_a_recorded_authorisation_becoming_older_goes_to_the_coordinator(
    client_for, network_coordinator, organisation, youth_coordinator, greek_panel
):
    person = _waiting_for_authorisation(network_coordinator, organisation)
    young = client_for(person)
    young.post(PROFILE, _profile_data(person, UNDER_CONSENT_AGE))
    place = PanelMembership.objects.get(user=person)
    assert services.authorise_waiting_panellist(actor=youth_coordinator, membership=place, authorised_by="Father")

    # Older, still under the consent age: nothing is lifted, the change applies (and is logged).
    young.post(PROFILE, _profile_data(person, UNDER_CONSENT_AGE - 1))
    person.refresh_from_db()
    assert person.birth_year == UNDER_CONSENT_AGE - 1
    # Older past the consent age: waits for the coordinator.
    young.post(PROFILE, _profile_data(person, ABOVE_CONSENT_AGE))
    person.refresh_from_db()
    assert person.birth_year == UNDER_CONSENT_AGE - 1
    assert BirthYearChange.objects.filter(user=person, status=BirthYearChange.Status.WAITING).exists()

    # A later answer that lifts nothing replaces the waiting one.
    young.post(PROFILE, _profile_data(person, UNDER_CONSENT_AGE))
    person.refresh_from_db()
    assert person.birth_year == UNDER_CONSENT_AGE
    assert BirthYearChange.objects.get(user=person).status == BirthYearChange.Status.WITHDRAWN
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert "Birth years to check" not in dashboard.content.decode()
    # The recorded authorisation still holds: the panellist keeps the youth area.
    assert young.get(greek_panel.get_absolute_url()).status_code == 200


def test_staff_birth_years_concern_no_youth_panel(client_for, member):
    client_for(member).post(PROFILE, {"display_name": "Giorgos", "birth_year": "1985"})
    member.refresh_from_db()
    assert member.birth_year == 1985
    assert not BirthYearChange.objects.exists() and not PanelMembership.objects.exists()
