import json

import pytest
from django.urls import reverse

from community.models import Role
from notifications.services import notify
from tests.factories import make_member


@pytest.mark.django_db
def test_export_holds_my_data_and_nobody_elses(client_for, member, organisation):
    colleague = make_member(organisation=organisation, display_name="Colleague", first_name="Col", last_name="League",
                            email="colleague@example.org")
    notify(recipients=[member], kind="mention", title="You were mentioned by Colleague", actor=colleague)
    notify(recipients=[colleague], kind="mention", title="A secret for the colleague only")

    response = client_for(member).get(reverse("your_data_export"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["memberships"][0]["organisation"] == organisation.name
    assert [n["title"] for n in data["notifications"]] == ["You were mentioned by Colleague"]
    raw = response.content.decode()
    assert "colleague@example.org" not in raw
    assert "A secret for the colleague only" not in raw


@pytest.mark.django_db
def test_a_member_asks_for_deletion_and_coordinators_are_told(client_for, member, network_coordinator):
    client_for(member).post(reverse("your_data_delete"))
    member.refresh_from_db()
    assert member.deletion_requested_at is not None
    assert network_coordinator.notifications.filter(kind="deletion_request").exists()


@pytest.mark.django_db
def test_export_requires_sign_in(client):
    assert client.get(reverse("your_data_export"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_youth_panellist_export_lists_their_roles(client_for, youth_panellist):
    data = json.loads(client_for(youth_panellist).get(reverse("your_data_export")).content)
    assert data["account"]["roles"] == [Role.YOUTH_PANELLIST]
    assert data["account"]["privacy"] == {"show_surname": False, "show_email": False, "show_in_directory": False}
