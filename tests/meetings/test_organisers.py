"""Co-organisers: the series owner or a network coordinator adds and removes them on the site."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Service
from meetings import permissions, services
from meetings.models import MeetingSeries
from tests.factories import make_member


@pytest.fixture
def owned_series(org_admin, network_coordinator):
    """A helpline series owned by a helpline member who is not a coordinator."""
    return services.save_series(actor=network_coordinator,
                                series=MeetingSeries(title="Helpline case clinic", owner=org_admin),
                                audience_roles=[], audience_services=Service.objects.filter(code=Service.HELPLINE))


@pytest.fixture
def colleague(organisation):
    return make_member(organisation=organisation, display_name="Eleni")


def _page(series):
    return reverse("meetings:series_organisers", args=[series.pk])


def _remove(series, person):
    return reverse("meetings:series_organiser_remove", args=[series.pk, person.pk])


@pytest.mark.django_db
def test_the_owner_adds_a_colleague_of_the_audience_who_may_then_organise(client_for, org_admin, member,
                                                                          owned_series):
    client = client_for(org_admin)
    detail = client.get(reverse("meetings:series_detail", args=[owned_series.pk]))
    assert _page(owned_series) in detail.content.decode()

    page = client.get(_page(owned_series))
    assert page.status_code == 200
    assert f'value="{member.pk}"' in page.content.decode()

    response = client.post(_page(owned_series), {"person": member.pk}, follow=True)

    assert "Giorgos now organises this series." in response.content.decode()
    assert list(permissions.co_organisers_of(owned_series)) == [member]
    assert client_for(member).get(reverse("meetings:series_edit", args=[owned_series.pk])).status_code == 200


@pytest.mark.django_db
def test_someone_outside_the_audience_cannot_be_added(client_for, org_admin, awareness_member, owned_series):
    client = client_for(org_admin)
    assert f'value="{awareness_member.pk}"' not in client.get(_page(owned_series)).content.decode()

    response = client.post(_page(owned_series), {"person": awareness_member.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not permissions.co_organisers_of(owned_series).exists()
    with pytest.raises(ValidationError):
        services.add_organiser(actor=org_admin, series=owned_series, person=awareness_member)
    assert not permissions.can_manage_series(awareness_member, owned_series)


@pytest.mark.django_db
def test_removing_a_co_organiser_takes_organising_away(client_for, org_admin, member, owned_series):
    services.add_organiser(actor=org_admin, series=owned_series, person=member)

    response = client_for(org_admin).post(_remove(owned_series, member), follow=True)

    assert "Giorgos no longer organises this series." in response.content.decode()
    assert not permissions.co_organisers_of(owned_series).exists()
    member_client = client_for(member)
    assert member_client.get(reverse("meetings:series_edit", args=[owned_series.pk])).status_code == 403
    # Still in the audience: the series page stays open to them.
    assert member_client.get(reverse("meetings:series_detail", args=[owned_series.pk])).status_code == 200


@pytest.mark.django_db
def test_the_owner_cannot_be_removed_and_nobody_else_is_touched(client_for, network_coordinator, org_admin,
                                                                member, owned_series):
    client = client_for(network_coordinator)
    assert client.post(_remove(owned_series, org_admin)).status_code == 404
    assert client.post(_remove(owned_series, member)).status_code == 404
    assert owned_series.owner == org_admin
    assert permissions.can_manage_series(org_admin, owned_series)


@pytest.mark.django_db
def test_a_coordinator_manages_organisers_of_any_series(client_for, network_coordinator, member, owned_series):
    client = client_for(network_coordinator)
    assert client.post(_page(owned_series), {"person": member.pk}).status_code == 302
    assert permissions.can_manage_series(member, owned_series)
    assert client.post(_remove(owned_series, member)).status_code == 302
    assert not permissions.can_manage_series(member, owned_series)


@pytest.mark.django_db
def test_co_organisers_and_the_audience_may_not_choose_organisers(client_for, org_admin, member, colleague,
                                                                  awareness_member, owned_series):
    services.add_organiser(actor=org_admin, series=owned_series, person=member)
    co_organiser = client_for(member)
    assert co_organiser.get(_page(owned_series)).status_code == 403
    assert co_organiser.post(_page(owned_series), {"person": colleague.pk}).status_code == 403
    assert co_organiser.post(_remove(owned_series, member)).status_code == 403
    assert _page(owned_series) not in co_organiser.get(
        reverse("meetings:series_detail", args=[owned_series.pk])).content.decode()
    assert client_for(colleague).get(_page(owned_series)).status_code == 403
    # Someone who may not see the series does not learn it exists.
    assert client_for(awareness_member).get(_page(owned_series)).status_code == 404
    assert client_for(awareness_member).post(_remove(owned_series, member)).status_code == 404
    assert list(permissions.co_organisers_of(owned_series)) == [member]
