"""Safeguarding concerns: confidential, to the designated leads, never in the queue."""

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import ConcernEvent, ModerationItem, SafeguardingConcern
from notifications.models import Notification
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def greek_lead(organisation, network_coordinator):
    lead = make_member(organisation=organisation, display_name="Greek Lead")
    services.appoint_safeguarding_lead(actor=network_coordinator, member=lead)
    return lead


@pytest.fixture
def irish_lead(other_organisation, network_coordinator):
    lead = make_member(organisation=other_organisation, display_name="Irish Lead")
    services.appoint_safeguarding_lead(actor=network_coordinator, member=lead)
    return lead


@pytest.fixture
def network_lead(network_coordinator):
    services.appoint_safeguarding_lead(actor=network_coordinator, member=network_coordinator)
    return network_coordinator


@pytest.fixture
def greek_helpline(db):
    return make_organisation(country_code="GR", name="Hellenic Child Helpline", services_codes=("helpline",),
                             helpline_phone="10306", helpline_url="https://www.help-line.gr/")


def test_a_concern_goes_to_the_leads_of_that_country_and_not_to_the_queue(
    youth_panellist, greek_lead, irish_lead, moderator
):
    concern = services.raise_concern(
        actor=youth_panellist, message="My friend on the panel talks about hurting herself."
    )
    assert concern.country.code == "GR"
    notes = Notification.objects.filter(kind="safeguarding_concern")
    assert [note.recipient for note in notes] == [greek_lead]
    assert "friend" not in notes[0].title
    assert not ModerationItem.objects.exists()
    assert ConcernEvent.objects.get(concern=concern).action == "raised"


def test_network_leads_are_the_fallback_when_a_country_has_no_lead(youth_panellist, network_lead, irish_lead):
    services.raise_concern(actor=youth_panellist, message="Worried", about_self=True)
    assert [note.recipient for note in Notification.objects.filter(kind="safeguarding_concern")] == [network_lead]


def test_the_person_raising_it_sees_their_national_helpline_at_once(client_for, youth_panellist, greek_helpline):
    client = client_for(youth_panellist)
    form_page = client.get(reverse("moderation:concern_new")).content.decode()
    assert "Hellenic Child Helpline" in form_page
    assert "10306" in form_page
    response = client.post(reverse("moderation:concern_new"), {"message": "I'm scared of someone online"})
    assert response.status_code == 200
    assert "10306" in response.content.decode()
    assert "https://www.help-line.gr/" in response.content.decode()
    assert SafeguardingConcern.objects.get().about_self is False


def test_without_a_national_helpline_the_european_number_is_shown(client_for, other_org_admin):
    page = client_for(other_org_admin).get(reverse("moderation:concern_new")).content.decode()
    assert "116 111" in page


def test_an_empty_concern_is_refused_and_nothing_is_lost(client_for, youth_panellist):
    response = client_for(youth_panellist).post(reverse("moderation:concern_new"), {"message": "", "about_self": "on"})
    assert response.status_code == 400
    assert not SafeguardingConcern.objects.exists()


def test_a_concern_about_another_member_is_routed_to_that_members_country(
    client_for, member, other_org_admin, greek_lead, irish_lead
):
    response = client_for(other_org_admin).post(
        reverse("moderation:concern_new") + f"?about={member.pk}", {"message": "He seemed very low in the meeting"}
    )
    assert response.status_code == 200
    concern = SafeguardingConcern.objects.get()
    assert (concern.about_user, concern.country.code) == (member, "GR")
    assert [note.recipient for note in Notification.objects.filter(kind="safeguarding_concern")] == [greek_lead]


def test_only_the_countrys_leads_and_network_leads_can_open_a_concern(
    client_for, youth_panellist, greek_lead, irish_lead, network_lead, moderator
):
    concern = services.raise_concern(actor=youth_panellist, message="Confidential words")
    url = reverse("moderation:concern", args=[concern.pk])
    assert "Confidential words" in client_for(greek_lead).get(url).content.decode()
    assert client_for(network_lead).get(url).status_code == 200
    assert client_for(irish_lead).get(url).status_code == 404
    assert client_for(moderator).get(url).status_code == 404
    assert client_for(moderator).get(reverse("moderation:concerns")).status_code == 404
    assert "Confidential words" not in client_for(moderator).get(reverse("moderation:index")).content.decode()


def test_leads_record_status_and_notes_in_the_concerns_own_trail(client_for, youth_panellist, greek_lead):
    concern = services.raise_concern(actor=youth_panellist, message="Worried")
    response = client_for(greek_lead).post(
        reverse("moderation:concern", args=[concern.pk]), {"status": "in_progress", "note": "Called the coordinator"}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "in_progress"
    assert list(concern.events.values_list("action", "note")) == [
        ("raised", ""), ("in_progress", "Called the coordinator"),
    ]


def test_an_unanswered_concern_is_escalated_to_network_leads_after_a_day(youth_panellist, greek_lead, network_lead):
    from datetime import timedelta

    from django.utils import timezone

    concern = services.raise_concern(actor=youth_panellist, message="Worried")
    SafeguardingConcern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert services.send_deadline_reminders()["concerns_escalated"] == 1
    assert services.send_deadline_reminders()["concerns_escalated"] == 0
    assert Notification.objects.filter(kind="safeguarding_concern", recipient=network_lead).count() == 1


def test_only_network_coordinators_appoint_leads_and_never_panellists(moderator, youth_panellist, network_coordinator):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    with pytest.raises(Http404):
        services.appoint_safeguarding_lead(actor=moderator, member=moderator)
    with pytest.raises(ValidationError):
        services.appoint_safeguarding_lead(actor=network_coordinator, member=youth_panellist)
