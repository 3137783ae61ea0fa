"""Joining a panel: invitations scoped to the panel's country, the coordinator's approval,
removal and resending."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import services as community_services
from community.models import Invitation, Role
from tests.factories import make_organisation, make_user
from youth_panels import permissions, services
from youth_panels.models import PanelMembership, YouthPost

pytestmark = pytest.mark.django_db


def _invite(client, panel, email, organisation, **extra):
    return client.post(
        reverse("youth_panels:dashboard", args=[panel.slug]),
        {"email": email, "organisation": organisation.pk, **extra},
    )


def _token_from_last_email() -> str:
    return re.search(r"/join/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_a_coordinator_invites_and_then_confirms_a_panellist(
    client_for, youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(youth_coordinator), greek_panel, "Young.Person@example.gr", organisation,
                           parental_authorisation="on", parental_authorisation_note="Signed form on file",
                           authorised_by="Maria P., mother")
    assert response.status_code == 302
    membership = PanelMembership.objects.get(panel=greek_panel)
    assert membership.invitation.role == Role.YOUTH_PANELLIST
    assert membership.invitation.email == "young.person@example.gr"
    assert membership.parental_authorisation and membership.parental_authorisation_note == "Signed form on file"
    assert membership.authorised_by == "Maria P., mother"
    assert membership.authorisation_recorded_by == youth_coordinator and membership.authorisation_recorded_at

    newcomer = make_user(email="young.person@example.gr", display_name="Yiannis")
    community_services.accept_invitation(user=newcomer, raw_token=_token_from_last_email())
    # Accepted, but not yet confirmed by the coordinator: the panel stays closed.
    assert client_for(newcomer).get(greek_panel.get_absolute_url()).status_code == 404
    assert "confirm your place" in client_for(newcomer).get(reverse("youth_panels:index")).content.decode()
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert "Accepted by Yiannis" in dashboard.content.decode()

    client_for(youth_coordinator).post(reverse("youth_panels:invitation_action", args=[membership.pk]),
                                       {"action": "approve"})
    membership.refresh_from_db()
    assert membership.status == PanelMembership.Status.ACTIVE and membership.user == newcomer
    assert client_for(newcomer).get(greek_panel.get_absolute_url()).status_code == 200


def test_a_coordinator_cannot_invite_into_another_countrys_organisation_or_panel(
    client_for, youth_coordinator, other_organisation, organisation, greek_panel, irish_panel
):
    with pytest.raises(ValidationError):
        services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="a@example.ie",
                                  organisation=other_organisation)
    response = _invite(client_for(youth_coordinator), irish_panel, "b@example.ie", other_organisation)
    assert response.status_code == 404
    response = _invite(client_for(youth_coordinator), greek_panel, "c@example.ie", other_organisation)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_panellists_cannot_invite(client_for, youth_panellist, organisation, greek_panel):
    assert _invite(client_for(youth_panellist), greek_panel, "friend@example.gr", organisation).status_code == 403
    assert not Invitation.objects.exists()


def test_another_panels_coordinator_cannot_confirm_an_invitation(
    client_for, youth_coordinator, irish_coordinator, organisation, greek_panel
):
    membership = services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="x@example.gr",
                                           organisation=organisation, parental_authorisation=True,
                                           authorised_by="Parent")
    response = client_for(irish_coordinator).post(
        reverse("youth_panels:invitation_action", args=[membership.pk]), {"action": "cancel"}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == PanelMembership.Status.INVITED


def test_resending_an_invitation_replaces_the_link(
    youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="r@example.gr",
                                               organisation=organisation, birth_year=2000)
    first_token, old_invitation = _token_from_last_email(), membership.invitation
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(actor=youth_coordinator, membership=membership)
    assert _token_from_last_email() != first_token
    old_invitation.refresh_from_db()
    assert old_invitation.revoked_at is not None
    person = make_user(email="r@example.gr")
    with pytest.raises(ValidationError):
        community_services.accept_invitation(user=person, raw_token=first_token)
    community_services.accept_invitation(user=person, raw_token=_token_from_last_email())
    assert services.approve_panellist(actor=youth_coordinator, membership=membership)


def test_a_removed_panellist_loses_the_national_space_and_the_european_area(
    client_for, youth_panellist, youth_coordinator, greek_panel, european_area
):
    url = reverse("youth_panels:member_remove", args=[greek_panel.slug, youth_panellist.pk])
    response = client_for(youth_coordinator).post(url, {"reason": "Left the panel at the end of the year"})
    assert response.status_code == 302
    client = client_for(youth_panellist)
    assert client.get(greek_panel.get_absolute_url()).status_code == 404
    assert client.get(european_area.get_absolute_url()).status_code == 404
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert youth_panellist.email not in dashboard.content.decode()


def test_another_panels_coordinator_cannot_remove_a_panellist(
    client_for, youth_panellist, irish_coordinator, greek_panel
):
    url = reverse("youth_panels:member_remove", args=[greek_panel.slug, youth_panellist.pk])
    assert client_for(irish_coordinator).post(url).status_code == 404
    permissions.forget_cached_access(youth_panellist)
    assert permissions.can_view_space(youth_panellist, greek_panel)


def test_a_panellist_belongs_to_their_organisations_country_panel_by_default(
    youth_panellist, irish_panellist, greek_panel, irish_panel, european_area
):
    assert permissions.visible_panel_ids(youth_panellist) == {greek_panel.pk, european_area.pk}
    assert permissions.visible_panel_ids(irish_panellist) == {irish_panel.pk, european_area.pk}


def test_a_panellist_of_a_country_without_a_sic_sees_no_space(db):
    from community.models import Country
    from tests.factories import make_member

    Country.objects.get_or_create(code="CO", defaults={"name": "Colombia"})
    organisation = make_organisation(country_code="CO")
    panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST)
    assert permissions.visible_panel_ids(panellist) == frozenset()


def test_a_panellist_below_the_digital_consent_age_needs_a_recorded_parental_authorisation(
    client_for, youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    this_year = datetime.date.today().year
    response = _invite(client_for(youth_coordinator), greek_panel, "young@example.gr", organisation,
                       birth_year=this_year - 13)
    assert response.status_code == 200
    assert "authorisation" in response.content.decode() and "young@example.gr" in response.content.decode()
    assert not Invitation.objects.exists()
    # Unknown age: never assume an adult.
    with pytest.raises(ValidationError):
        services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="u@example.gr",
                                  organisation=organisation)
    # Old enough in Greece (15): no authorisation needed.
    services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="older@example.gr",
                              organisation=organisation, birth_year=this_year - 17)
    assert Invitation.objects.count() == 1


def test_approval_checks_the_age_the_panellist_gave_on_their_profile(
    youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    this_year = datetime.date.today().year
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invite_panellist(actor=youth_coordinator, panel=greek_panel, email="k@example.gr",
                                               organisation=organisation, birth_year=this_year - 17)
    person = make_user(email="k@example.gr", birth_year=this_year - 13)
    community_services.accept_invitation(user=person, raw_token=_token_from_last_email())
    with pytest.raises(ValidationError):
        services.approve_panellist(actor=youth_coordinator, membership=membership)
    membership.refresh_from_db()
    assert membership.status == PanelMembership.Status.INVITED


def _active_panellist_with_authorisation(youth_coordinator, organisation, greek_panel, *, expires_on, capture):
    this_year = datetime.date.today().year
    with capture(execute=True):
        membership = services.invite_panellist(
            actor=youth_coordinator, panel=greek_panel, email="minor@example.gr", organisation=organisation,
            birth_year=this_year - 13, parental_authorisation=True, authorised_by="Maria P., mother",
            authorisation_expires_on=expires_on)
    person = make_user(email="minor@example.gr", display_name="Marios")
    community_services.accept_invitation(user=person, raw_token=_token_from_last_email())
    assert services.approve_panellist(actor=youth_coordinator, membership=membership)
    membership.refresh_from_db()
    return membership, person


def test_a_consent_record_says_who_authorised_who_recorded_it_and_until_when(
    client_for, youth_coordinator, organisation, greek_panel, django_capture_on_commit_callbacks
):
    this_year = datetime.date.today().year
    response = _invite(client_for(youth_coordinator), greek_panel, "young@example.gr", organisation,
                       birth_year=this_year - 13, parental_authorisation="on")
    assert "which parent or guardian" in response.content.decode()
    assert not Invitation.objects.exists()

    until = datetime.date.today() + datetime.timedelta(days=365)
    membership, _person = _active_panellist_with_authorisation(
        youth_coordinator, organisation, greek_panel, expires_on=until, capture=django_capture_on_commit_callbacks)
    assert membership.authorised_by == "Maria P., mother"
    assert membership.authorisation_recorded_by == youth_coordinator
    assert membership.authorisation_expires_on == until
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert "Given by Maria P., mother, recorded by Katerina" in dashboard.content.decode()


def test_an_expired_authorisation_closes_the_youth_area_until_the_coordinator_renews_it(
    client_for, youth_coordinator, organisation, greek_panel, european_area, django_capture_on_commit_callbacks
):
    membership, person = _active_panellist_with_authorisation(
        youth_coordinator, organisation, greek_panel, expires_on=datetime.date.today() + datetime.timedelta(days=1),
        capture=django_capture_on_commit_callbacks)
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 200
    PanelMembership.objects.filter(pk=membership.pk).update(
        authorisation_expires_on=datetime.date.today() - datetime.timedelta(days=1))

    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 404
    assert client_for(person).get(european_area.get_absolute_url()).status_code == 404
    assert "permission for the youth area has run out" in client_for(person).get(
        reverse("youth_panels:index")).content.decode()
    coordinator = client_for(youth_coordinator)
    dashboard = coordinator.get(reverse("youth_panels:dashboard", args=[greek_panel.slug])).content.decode()
    assert "Authorisation expired" in dashboard and "Marios" in dashboard

    coordinator.post(reverse("youth_panels:invitation_action", args=[membership.pk]),
                     {"action": "renew", f"renew-{membership.pk}-authorised_by": "Nikos P., father",
                      f"renew-{membership.pk}-expires_on": ""})
    membership.refresh_from_db()
    assert membership.authorised_by == "Nikos P., father" and membership.authorisation_expires_on is None
    assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 200


def test_a_withdrawn_authorisation_deactivates_the_panellist_and_deletes_their_content(
    client_for, youth_coordinator, youth_panellist, organisation, greek_panel, django_capture_on_commit_callbacks
):
    from .helpers import approved_comment, approved_post

    membership, person = _active_panellist_with_authorisation(
        youth_coordinator, organisation, greek_panel, expires_on=None, capture=django_capture_on_commit_callbacks)
    post = approved_post(author=person, panel=greek_panel, coordinator=youth_coordinator, title="My story")
    other_post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                               title="Someone else's story")
    approved_comment(author=person, post=other_post, coordinator=youth_coordinator, body="Me too, said Marios")
    person_client = client_for(person)

    # A panellist cannot record it for someone else; the coordinator of another panel cannot see them.
    url = reverse("youth_panels:member_remove", args=[greek_panel.slug, person.pk])
    assert client_for(youth_panellist).post(url, {"authorisation_withdrawn": "1", "confirm": "1"}).status_code == 403
    # Without the confirmation box nothing happens: it cannot be undone.
    client_for(youth_coordinator).post(url, {"authorisation_withdrawn": "1"})
    assert YouthPost.all_objects.filter(pk=post.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(youth_coordinator).post(url, {"authorisation_withdrawn": "1", "confirm": "1"})
        assert response.status_code == 302

    membership.refresh_from_db()
    person.refresh_from_db()
    assert membership.status == PanelMembership.Status.REMOVED and membership.authorisation_withdrawn_at
    assert membership.authorised_by == "Maria P., mother"  # the record stays, the content goes
    assert not person.is_active
    assert not YouthPost.all_objects.filter(pk=post.pk).exists()
    page = client_for(youth_panellist).get(other_post.get_absolute_url()).content.decode()
    assert "Someone else&#x27;s story" in page and "said Marios" not in page
    assert person_client.get(greek_panel.get_absolute_url()).status_code != 200


def test_a_withdrawal_for_a_panellist_admitted_without_an_invitation_is_recorded_too(
    client_for, youth_coordinator, youth_panellist, greek_panel, django_capture_on_commit_callbacks
):
    url = reverse("youth_panels:member_remove", args=[greek_panel.slug, youth_panellist.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(youth_coordinator).post(url, {"authorisation_withdrawn": "1", "confirm": "1"})
    record = PanelMembership.objects.get(user=youth_panellist)
    assert record.status == PanelMembership.Status.REMOVED and record.authorisation_withdrawn_at
    youth_panellist.refresh_from_db()
    assert not youth_panellist.is_active
    assert permissions.visible_panel_ids(youth_panellist) == frozenset()
