"""Every URL pattern × every role, compared with an explicit expected-access table.

The walk is resolver-driven: a URL pattern that the table does not know fails the test
(`test_every_project_url_pattern_is_in_the_access_table`), so a new page cannot ship without
someone deciding who may reach it. Object URLs are tried with an object of the role's own
organisation/country ("own") and of another one ("other"); a foreign object answers 404.

Each cell runs in a savepoint that is rolled back, so POSTs (approve, suspend, revoke...)
do not change the world the next cell sees.

Reading a row: one answer per role, in ROLES order.
  200/403/404/405  the status code
  login            redirect to the sign-in page
  wait             redirect to the "waiting for approval" page
  302              any other redirect (a POST that did its job, or a page sending you on)
"""

import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community import services
from community.models import Role
from notifications.services import notify

from ..factories import make_member, make_user
from .access_tables import EXPECTED, POST_DATA, TARGETS, extend_world

ROLES = ("anonymous", "pending", "member", "org_admin", "youth_panellist", "youth_coordinator", "moderator",
         "network_coordinator")

# Third-party URL namespaces with their own test suites; our rules on them (MFA, rate limits,
# reauthentication, staff-only admin) are tested in test_accounts.py.
THIRD_PARTY_PREFIXES = ("accounts/", "admin/")


def project_url_names() -> set[str]:
    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if not route.startswith(THIRD_PARTY_PREFIXES):
                    yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver()))


class World:
    """Two organisations in two countries and something of each kind in both."""

    def __init__(self, request):
        fixture = request.getfixturevalue
        self.organisation = fixture("organisation")  # GR: the own organisation of the GR roles
        self.other_organisation = fixture("other_organisation")  # IE
        pending = make_user(display_name="Pending Person")
        self.own_request = services.request_membership(user=pending, organisation=self.organisation)
        self.other_request = services.request_membership(user=make_user(), organisation=self.other_organisation)
        self.users = {
            "anonymous": None,
            "pending": pending,
            "member": fixture("member"),
            "org_admin": fixture("org_admin"),
            "youth_panellist": fixture("youth_panellist"),
            "youth_coordinator": fixture("youth_coordinator"),
            "moderator": fixture("moderator"),
            "network_coordinator": fixture("network_coordinator"),
        }
        self.colleague = make_member(organisation=self.organisation, display_name="Colleague")
        self.other_admin = fixture("other_org_admin")
        self.other_member = make_member(organisation=self.other_organisation, display_name="Foreigner")
        self.own_membership = self.colleague.memberships.get()
        self.other_membership = self.other_member.memberships.get()
        self.own_invitation, _ = services.create_invitation(
            actor=self.users["org_admin"], organisation=self.organisation, email="invitee@example.org",
            role=Role.MEMBER)
        self.other_invitation, _ = services.create_invitation(
            actor=self.other_admin, organisation=self.other_organisation, email="invitee2@example.org",
            role=Role.MEMBER)
        self.requested_organisation = services.request_organisation(
            user=make_user(), name="Requested Org", country=self.other_organisation.country).organisation
        extend_world(self, request)


def _answer(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return "login"
        if location.startswith(reverse("onboarding_waiting")):
            return "wait"
        return "302"
    return str(response.status_code)


def _signed_in_clients(world) -> dict[str, Client]:
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return clients


def _observe(world, clients, url_name, method, variant) -> list[str]:
    build = TARGETS[url_name][method][variant]
    answers = []
    for role in ROLES:
        # A savepoint per cell: whatever the request changes is rolled back.
        with transaction.atomic():
            url = reverse(url_name, kwargs=build(world, world.users[role]))
            client = clients[role]
            response = client.post(url, POST_DATA.get(url_name, {})) if method == "POST" else client.get(url)
            answers.append(_answer(response))
            transaction.set_rollback(True)
    return answers


CELLS = [(name, method, variant) for name, methods in TARGETS.items() for method, variants in methods.items()
         for variant in variants]


def test_every_role_reaches_exactly_what_the_access_table_says(request):
    world = World(request)
    clients = _signed_in_clients(world)
    assert set(CELLS) == set(EXPECTED), "every target has one expected row and every row a target"
    unexpected = []
    for name, method, variant in CELLS:
        observed = _observe(world, clients, name, method, variant)
        expected = EXPECTED[(name, method, variant)].split()
        for role, want, got in zip(ROLES, expected, observed, strict=True):
            if want != got:
                unexpected.append(f"{method} {name} [{variant or '-'}] as {role}: expected {want}, got {got}")
    assert unexpected == []


def test_someone_elses_notification_is_never_marked_or_followed(client_for, member, org_admin):
    theirs = notify(recipients=[org_admin], kind="role_change", title="Theirs", url="/members/")[0]
    client = client_for(member)
    for name in ("notifications:open", "notifications:mark_read"):
        response = client.post(reverse(name, kwargs={"pk": theirs.pk}))
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_state_changes_refuse_get_and_posts_without_a_csrf_token(request):
    """Every state change is a POST with a CSRF token: a link or an image cannot trigger one."""
    world = World(request)
    coordinator = world.users["network_coordinator"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    for name, method, variant in CELLS:
        if method != "POST":
            continue
        url = reverse(name, kwargs=TARGETS[name][method][variant](world, coordinator))
        assert client.get(url).status_code == 405, name
        assert client.post(url, POST_DATA.get(name, {})).status_code == 403, name


def test_every_project_url_pattern_is_in_the_access_table():
    missing = sorted(project_url_names() - set(TARGETS))
    assert missing == []


@pytest.mark.skipif(not os.environ.get("MATRIX_DISCOVER"), reason="prints the observed table for review")
def test_print_observed_table(request):
    """MATRIX_DISCOVER=forums: prints the observed rows of the URL names starting with it."""
    world = World(request)
    clients = _signed_in_clients(world)
    prefix = os.environ["MATRIX_DISCOVER"]
    for name, method, variant in CELLS:
        if not name.startswith(prefix):
            continue
        answers = " ".join(_observe(world, clients, name, method, variant))
        print(f'    ("{name}", "{method}", "{variant}"): "{answers}",')
