"""Who may read, post in and moderate each forum: every role against every seeded forum,
through the one permissions module and through the pages (exact 404 / 403)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from community.models import Role, Service
from forums import permissions, services
from forums.models import Forum
from tests.factories import make_member, make_organisation

R, P, M = "read", "post", "moderate"
STAFF = {"awareness": {R, P}, "helplines": {R, P}, "hotlines": set(), "youth": {R, P}}
EVERYTHING = {slug: {R, P, M} for slug in ("awareness", "helplines", "hotlines", "youth")}
MATRIX = {
    "member": STAFF,
    "org_admin": STAFF,
    "youth_coordinator": STAFF,
    "youth_panellist": {"awareness": set(), "helplines": set(), "hotlines": set(), "youth": {R, P}},
    "hotline_analyst": {"awareness": {R, P}, "helplines": {R, P}, "hotlines": {R, P}, "youth": {R, P}},
    "network_coordinator": EVERYTHING,
    "moderator": EVERYTHING,
    "newcomer": {slug: set() for slug in EVERYTHING},
}


def _abilities(user, forum) -> set[str]:
    found = set()
    if permissions.can_read_forum(user, forum):
        found.add(R)
    if permissions.can_post_in_forum(user, forum):
        found.add(P)
    if permissions.can_moderate_forum(user, forum):
        found.add(M)
    return found


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_each_role_reads_posts_and_moderates_exactly_the_default_forums(role, request, forums):
    user = request.getfixturevalue(role)
    assert {slug: _abilities(user, forum) for slug, forum in forums.items()} == MATRIX[role]


# Newcomers never reach a forum page: the members-only middleware sends them to onboarding.
@pytest.mark.parametrize("role", sorted(set(MATRIX) - {"newcomer"}))
def test_forum_pages_answer_404_for_forums_a_role_cannot_read(role, request, forums, client_for):
    user = request.getfixturevalue(role)
    client = client_for(user)
    for slug in forums:
        response = client.get(f"/forums/f/{slug}/")
        assert response.status_code == (200 if R in MATRIX[role][slug] else 404), slug


def test_the_index_lists_only_readable_forums(client_for, member, hotline_analyst):
    member_page = client_for(member).get("/forums/").content.decode()
    assert "Helplines" in member_page and "/forums/f/hotlines/" not in member_page
    analyst_page = client_for(hotline_analyst).get("/forums/").content.decode()
    assert "/forums/f/hotlines/" in analyst_page


def test_hotline_staff_is_decided_by_the_approved_membership_service_not_a_group(hotlines):
    helpline_worker = make_member(organisation=make_organisation(country_code="PL"), services_codes=("helpline",))
    hotline_worker = make_member(organisation=make_organisation(country_code="PL"), services_codes=("hotline",))
    assert not permissions.can_read_forum(helpline_worker, hotlines)
    assert permissions.can_post_in_forum(hotline_worker, hotlines)


def test_suspended_members_lose_access_to_every_forum(member, helplines):
    member.suspended_at = timezone.now()
    member.save()
    assert not permissions.can_read_forum(member, helplines)


def test_a_forum_moderator_moderates_only_their_forum(network_coordinator, member, forums):
    services.make_forum_moderator(actor=network_coordinator, forum=forums["helplines"], user=member)
    assert permissions.can_moderate_forum(member, forums["helplines"])
    assert not permissions.can_moderate_forum(member, forums["awareness"])


def test_only_network_coordinators_appoint_forum_moderators(member, org_admin, helplines):
    with pytest.raises(PermissionDenied):
        services.make_forum_moderator(actor=org_admin, forum=helplines, user=member)


def test_a_read_only_audience_may_read_but_posting_is_refused_with_403(member, client_for):
    forum = services.create_forum(actor=None, name="Announcements", slug="announcements",
                                  reader_groups=[Role.MEMBER])
    client = client_for(member)
    assert client.get("/forums/f/announcements/").status_code == 200
    assert client.get("/forums/f/announcements/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_topic(actor=member, forum=forum, title="Hello", body="Can I post?")


def test_a_panellist_trying_to_post_in_helplines_gets_404(youth_panellist, helplines, client_for):
    response = client_for(youth_panellist).post("/forums/f/helplines/new/", {"title": "Hi", "body": "Hello"})
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.create_topic(actor=youth_panellist, forum=helplines, title="Hi", body="Hello")


def test_another_apps_unlisted_space_is_readable_only_by_the_people_it_grants(member, org_admin, youth_panellist):
    space = services.create_forum(actor=None, name="Youth panel Greece", slug="youth-panel-gr", is_listed=False)
    services.grant_forum_access(forum=space, to=youth_panellist)
    topic = services.create_topic(actor=youth_panellist, forum=space, title="Our next campaign", body="Ideas?")
    assert permissions.can_read_topic(youth_panellist, topic)
    assert not permissions.can_read_forum(member, space)
    services.revoke_forum_access(forum=space, to=youth_panellist)
    assert not permissions.can_read_forum(youth_panellist, space)


def test_only_network_coordinators_create_forums(member, network_coordinator):
    with pytest.raises(PermissionDenied):
        services.create_forum(actor=member, name="Mine", slug="mine")
    forum = services.create_forum(actor=network_coordinator, name="Research", slug="research",
                                  poster_groups=[Role.MEMBER])
    assert permissions.can_post_in_forum(member, forum)


def test_moderation_powers_over_topics_are_refused_to_members_with_403(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    client = client_for(member)
    assert client.post(f"/forums/t/{topic.pk}/moderate/", {"action": "pin"}).status_code == 403
    assert client.get(f"/forums/t/{topic.pk}/move/").status_code == 403
    topic.refresh_from_db()
    assert not topic.is_pinned


def test_a_coordinator_opens_a_forum_from_the_site_with_its_audience(network_coordinator, member, youth_panellist,
                                                                     hotline_analyst, client_for):
    client = client_for(network_coordinator)
    assert "/forums/new/" in client.get("/forums/").content.decode()
    response = client.post("/forums/new/", {
        "name": "Safer Internet Forum", "slug": "sif", "description": "Planning the SIF", "position": 50,
        "reader_roles": ["member"], "post_services": [Service.objects.get(code="hotline").pk],
        "composer_notice": "",
    })
    assert response.status_code == 302 and response["Location"] == "/forums/f/sif/"
    forum = Forum.objects.get(slug="sif")
    assert permissions.can_read_forum(member, forum) and not permissions.can_post_in_forum(member, forum)
    assert permissions.can_post_in_forum(hotline_analyst, forum)
    assert not permissions.can_read_forum(youth_panellist, forum)


def test_a_forum_needs_an_audience_and_only_coordinators_open_one(network_coordinator, org_admin, client_for):
    response = client_for(network_coordinator).post("/forums/new/", {"name": "Nobody", "slug": "nobody",
                                                                     "position": 1})
    assert response.status_code == 200 and "Choose who may read the forum" in response.content.decode()
    assert client_for(org_admin).get("/forums/new/").status_code == 403
    assert "/forums/new/" not in client_for(org_admin).get("/forums/").content.decode()
    assert not Forum.objects.filter(slug="nobody").exists()


def test_a_coordinator_switches_safe_mode_when_editing_the_forum(network_coordinator, member, helplines, client_for):
    topic = services.create_topic(actor=member, forum=helplines, title="Links", body="See https://example.org/a")
    assert client_for(member).get("/forums/f/helplines/edit/").status_code == 403
    client = client_for(network_coordinator)
    assert "/forums/f/helplines/edit/" in client.get("/forums/f/helplines/").content.decode()
    response = client.post("/forums/f/helplines/edit/", {
        "name": "Helplines", "description": helplines.description, "safe_mode": "on", "composer_notice": "",
        "position": 20, "poster_roles": ["member", "org_admin", "youth_coordinator"]})
    assert response.status_code == 302
    helplines.refresh_from_db()
    assert helplines.safe_mode and helplines.position == 20
    assert "hxxps://example[.]org/a" in topic.posts.get().body_html
