import pytest
from django.test import Client

from community.models import Role
from tests.factories import make_member, make_organisation
from youth_panels.models import YouthPanel


@pytest.fixture
def greek_panel(db):
    return YouthPanel.objects.get(country__code="GR")


@pytest.fixture
def irish_panel(db):
    return YouthPanel.objects.get(country__code="IE")


@pytest.fixture
def european_area(db):
    return YouthPanel.objects.get(is_european=True)


@pytest.fixture
def irish_panellist(other_organisation):
    return make_member(organisation=other_organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                       display_name="Ciara", first_name="Ciara", last_name="Byrne-Secretname",
                       email="ciara.private@example.ie")


@pytest.fixture
def irish_coordinator(other_organisation):
    return make_member(organisation=other_organisation, role=Role.YOUTH_COORDINATOR, services_codes=("youth",),
                       display_name="Siobhan")


@pytest.fixture
def second_greek_panellist(organisation):
    return make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                       display_name="Niki", first_name="Nikoleta", last_name="Papadopoulou-Hidden",
                       email="niki.hidden@example.gr")


@pytest.fixture
def greek_helpline(db):
    return make_organisation(country_code="GR", name="Greek Child Helpline", services_codes=("helpline",),
                             helpline_phone="210 123 4567", helpline_url="https://helpline.example.gr/chat")


@pytest.fixture
def irish_helpline(db):
    return make_organisation(country_code="IE", name="Childline Ireland", services_codes=("helpline",),
                             helpline_phone="1800 66 66 66", helpline_url="https://childline.example.ie/")


@pytest.fixture
def client_for(db):
    """A fresh signed-in client per call, so tests can hold several people's clients at once
    (the shared fixture signs one client in and out)."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login
