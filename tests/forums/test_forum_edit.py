"""Network coordinators edit a forum on the site: its settings, safe mode and audience (issue 3:
"which roles/services may read and which may post, enforced with django-guardian object
permissions granted to groups")."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Role, Service
from forums import permissions, services
from forums.models import Forum
from forums.permissions import ForumAudience
from moderation.models import AuditEntry
from notifications.models import Notification

STAFF = ["member", "org_admin", "youth_coordinator", "network_coordinator", "moderator"]


def _form_data(forum, **changes) -> dict:
    """What the edit form sends back unchanged, with `changes` on top."""
    audience = permissions.audience_of(forum)
    data = {
        "name": forum.name, "description": forum.description, "composer_notice": forum.composer_notice,
        "position": forum.position, "reader_roles": sorted(audience.reader_roles),
        "poster_roles": sorted(audience.poster_roles), "moderator_roles": sorted(audience.moderator_roles),
        "read_services": [service.pk for service in Service.objects.filter(code__in=audience.read_services)],
        "post_services": [service.pk for service in Service.objects.filter(code__in=audience.post_services)],
    }
    if forum.safe_mode:
        data["safe_mode"] = "on"
    data.update(changes)
    return data


def _without_members(forum) -> dict:
    """Helplines for everyone on staff except plain members (SIC staff without another role)."""
    return _form_data(forum, poster_roles=[role for role in STAFF if role != Role.MEMBER])


def test_a_coordinator_finds_the_edit_page_on_the_forum_prefilled(network_coordinator, member, helplines,
                                                                  client_for, django_assert_max_num_queries):
    assert "/forums/f/helplines/edit/" not in client_for(member).get("/forums/f/helplines/").content.decode()
    client = client_for(network_coordinator)
    assert "/forums/f/helplines/edit/" in client.get("/forums/f/helplines/").content.decode()
    # Request overhead (9): session, user, roles, authenticator, membership with its services,
    # unread notifications, the header's moderation queue (2); the coordinator's grants (2);
    # the forum, its role grants and service audiences (4); the services ticked (up to 2) and
    # the choices of the two service fields (2).
    with django_assert_max_num_queries(19):
        page = client.get("/forums/f/helplines/edit/").content.decode()
    assert 'value="Helplines"' in page
    assert 'name="poster_roles" value="member" id="id_poster_roles_0" checked' in page
    assert 'name="reader_roles" value="member" id="id_reader_roles_0" checked' not in page


def test_a_member_who_loses_read_access_no_longer_finds_the_forum_its_topics_or_search_results(
        network_coordinator, member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(org_admin, helplines, title="Weekend rota for the chat", body="Who covers sextortion?")
    assert "Weekend rota" in client_for(member).get("/forums/search/?q=sextortion").content.decode()

    response = client_for(network_coordinator).post("/forums/f/helplines/edit/", _without_members(helplines))
    assert response.status_code == 302 and response["Location"] == "/forums/f/helplines/"

    client = client_for(member)
    assert client.get("/forums/f/helplines/").status_code == 404
    assert client.get(f"/forums/t/{topic.pk}/").status_code == 404
    assert "/forums/f/helplines/" not in client.get("/forums/").content.decode()
    assert "Weekend rota" not in client.get("/forums/search/?q=sextortion").content.decode()
    # Whoever keeps access keeps everything.
    assert client_for(org_admin).get(f"/forums/t/{topic.pk}/").status_code == 200


def test_a_member_who_loses_read_access_loses_the_forums_notifications(
        network_coordinator, member, org_admin, youth_coordinator, helplines, forums, start_topic, client_for):
    services.set_forum_tracking(user=member, forum=helplines, level="watching")
    services.set_forum_tracking(user=youth_coordinator, forum=helplines, level="watching")
    in_helplines = start_topic(org_admin, helplines, title="Rota", body=f"@{member.display_name} can you cover?")
    elsewhere = start_topic(org_admin, forums["awareness"], title="SID", body=f"@{member.display_name} ideas?")
    assert Notification.objects.filter(recipient=member, url__startswith="/forums/p/").count() == 2

    client_for(network_coordinator).post("/forums/f/helplines/edit/", _without_members(helplines))

    left = Notification.objects.filter(recipient=member)
    assert [notification.url for notification in left] == [elsewhere.posts.get().get_absolute_url()]
    assert Notification.objects.filter(recipient=youth_coordinator, url=in_helplines.posts.get().get_absolute_url(),
                                       kind="forum_topic").exists()
    start_topic(org_admin, helplines, title="Another rota", body="Next month")
    assert not Notification.objects.filter(recipient=member, title__contains="Another rota").exists()
    assert Notification.objects.filter(recipient=youth_coordinator, title__contains="Another rota").exists()


def test_an_audience_change_is_a_policy_change_in_the_moderation_audit_log(network_coordinator, helplines,
                                                                          client_for):
    client = client_for(network_coordinator)
    client.post("/forums/f/helplines/edit/", _form_data(helplines, description="Unchanged audience"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.POLICY_CHANGED).exists()

    client.post("/forums/f/helplines/edit/", {**_without_members(helplines), "safe_mode": "on"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.POLICY_CHANGED)
    assert (entry.actor, entry.space_kind, entry.space_id) == (network_coordinator, "forum", helplines.pk)
    assert "Read and post: Member (SIC staff), Moderator" in entry.reason
    assert "Safe mode: off → on" in entry.reason


def test_a_form_that_leaves_the_forum_without_readers_is_refused_and_keeps_what_was_typed(
        network_coordinator, member, helplines, client_for):
    response = client_for(network_coordinator).post("/forums/f/helplines/edit/", _form_data(
        helplines, name="Helplines and chat", description="Typed with care", poster_roles=[]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose who may read the forum: at least one role or service." in page
    assert 'value="Helplines and chat"' in page and "Typed with care" in page
    helplines.refresh_from_db()
    assert helplines.name == "Helplines"
    assert permissions.can_read_forum(member, helplines)
    with pytest.raises(ValidationError):
        services.update_forum(actor=network_coordinator, forum=helplines, name="Helplines", description="",
                              safe_mode=False, composer_notice="", position=20, audience=ForumAudience())


def test_only_network_coordinators_edit_a_forum(network_coordinator, moderator, org_admin, helplines):
    arguments = {"name": "Helplines", "description": "", "safe_mode": False, "composer_notice": "", "position": 20,
                 "audience": ForumAudience.of(poster_roles=[Role.ORG_ADMIN])}
    for refused in (moderator, org_admin):
        with pytest.raises(PermissionDenied):
            services.update_forum(actor=refused, forum=helplines, **arguments)
    assert permissions.audience_of(helplines).poster_roles == set(STAFF)
    services.update_forum(actor=network_coordinator, forum=helplines, **arguments)
    assert permissions.audience_of(Forum.objects.get(pk=helplines.pk)) == arguments["audience"]


def test_roles_given_moderation_moderate_and_personal_forum_moderators_stay(
        network_coordinator, youth_coordinator, member, forums, client_for):
    youth = forums["youth"]
    services.make_forum_moderator(actor=network_coordinator, forum=youth, user=member)
    client_for(network_coordinator).post("/forums/f/youth/edit/", _form_data(
        youth, poster_roles=["youth_panellist", "network_coordinator", "moderator"],
        moderator_roles=["youth_coordinator"]))
    assert permissions.can_moderate_forum(youth_coordinator, youth)
    assert permissions.can_moderate_forum(member, youth)
    assert permissions.audience_of(youth).moderator_roles == {"youth_coordinator"}


def test_service_audiences_are_edited_too(network_coordinator, hotline_analyst, member, hotlines, client_for):
    helpline = Service.objects.get(code="helpline")
    client_for(network_coordinator).post("/forums/f/hotlines/edit/", _form_data(
        hotlines, read_services=[helpline.pk], post_services=[]))
    hotlines.refresh_from_db()
    assert not permissions.can_read_forum(hotline_analyst, hotlines)
    assert permissions.can_read_forum(member, hotlines) and not permissions.can_post_in_forum(member, hotlines)
    assert hotlines.safe_mode


def test_another_apps_space_is_edited_without_its_audience(network_coordinator, youth_panellist, client_for):
    space = services.create_forum(actor=None, name="Youth panel Greece", slug="youth-panel-gr", is_listed=False)
    services.grant_forum_access(forum=space, to=youth_panellist)
    page = client_for(network_coordinator).get("/forums/f/youth-panel-gr/edit/").content.decode()
    assert "Roles who may read" not in page and "follows the area this forum belongs to" in page
    with pytest.raises(PermissionDenied):
        services.update_forum(actor=network_coordinator, forum=space, name="Youth panel Greece", description="",
                              safe_mode=False, composer_notice="", position=100,
                              audience=ForumAudience.of(reader_roles=[Role.MEMBER]))
    response = client_for(network_coordinator).post("/forums/f/youth-panel-gr/edit/", {
        "name": "Youth panel Greece", "description": "Our space", "composer_notice": "", "position": 100})
    assert response.status_code == 302
    assert permissions.can_read_forum(youth_panellist, space)


def test_a_new_forum_can_have_roles_who_moderate_it(network_coordinator, youth_coordinator, member, client_for):
    client_for(network_coordinator).post("/forums/new/", {
        "name": "Youth participation methods", "slug": "youth-methods", "position": 60,
        "poster_roles": ["member"], "moderator_roles": ["youth_coordinator"]})
    forum = Forum.objects.get(slug="youth-methods")
    assert permissions.can_moderate_forum(youth_coordinator, forum)
    assert permissions.can_post_in_forum(member, forum) and not permissions.can_moderate_forum(member, forum)
