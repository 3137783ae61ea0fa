"""Network moderators (Role.MODERATOR) decide youth items in the moderation queue, so they read
every youth space, held content included (issue 9: youth data is shown to the panel's
coordinators and moderators). They neither post, comment nor coordinate there, and are not told
of every new youth post."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from moderation.models import Flag, ModerationItem
from notifications.models import Notification
from youth_panels import services
from youth_panels.models import YouthComment, YouthPost

from .helpers import approved_comment, approved_post, open_item_for

pytestmark = pytest.mark.django_db


def test_a_moderator_flags_an_approved_youth_post_and_a_comment(
    client_for, moderator, irish_panellist, irish_coordinator, irish_panel
):
    post = approved_post(author=irish_panellist, panel=irish_panel, coordinator=irish_coordinator)
    comment = approved_comment(author=irish_panellist, post=post, coordinator=irish_coordinator)
    client = client_for(moderator)
    for model, obj in ((YouthPost, post), (YouthComment, comment)):
        url = reverse("moderation:flag", args=[ContentType.objects.get_for_model(model).pk, obj.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"category": Flag.Category.PERSONAL_INFORMATION})
        assert response.status_code == 302
        assert Flag.objects.filter(flagged_by=moderator, object_id=obj.pk,
                                   content_type=ContentType.objects.get_for_model(model)).exists()


def test_open_in_place_shows_a_held_youth_post_and_comment_to_a_moderator(
    client_for, moderator, irish_panellist, irish_coordinator, irish_panel
):
    held_post, _held = services.create_post(actor=irish_panellist, panel=irish_panel, title="Held post",
                                            body="Waiting for review")
    published = approved_post(author=irish_panellist, panel=irish_panel, coordinator=irish_coordinator,
                              title="Published post")
    held_comment, _held = services.add_comment(actor=irish_panellist, post=published, body="A held comment")
    client = client_for(moderator)
    for obj, text in ((held_post, "Waiting for review"), (held_comment, "A held comment")):
        item = open_item_for(obj)
        card = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
        link = re.search(r'<a href="([^"]+)">Open in place</a>', card)
        assert link is not None
        response = client.get(link.group(1).replace("&amp;", "&"))
        assert response.status_code == 200
        assert text in response.content.decode()
    # And the moderator decides it from the queue.
    response = client.post(reverse("moderation:decide", args=[open_item_for(held_post).pk]),
                           {"decision": ModerationItem.Decision.APPROVED})
    assert response.status_code == 302
    held_post.refresh_from_db()
    assert held_post.moderation_state == "approved"


def test_a_moderator_reads_every_space_but_neither_posts_comments_nor_coordinates(
    client_for, moderator, youth_panellist, youth_coordinator, greek_panel, irish_panel, european_area
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    client = client_for(moderator)
    for space in (greek_panel, irish_panel, european_area):
        assert client.get(space.get_absolute_url()).status_code == 200
        assert client.get(reverse("youth_panels:post_new", args=[space.slug])).status_code in (403, 404)
        assert client.get(reverse("youth_panels:dashboard", args=[space.slug])).status_code == 403
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200 and 'name="body"' not in page.content.decode()
    assert client.post(post.get_absolute_url(), {"body": "A moderator's comment"}).status_code == 403
    assert not YouthComment.all_objects.filter(author=moderator).exists()
    assert client.post(reverse("youth_panels:post_promote", args=[post.pk])).status_code == 403
    assert client.get(reverse("youth_panels:post_delete", args=[post.pk])).status_code == 403


def test_moderators_are_not_told_of_every_new_youth_post(
    moderator, youth_panellist, youth_coordinator, greek_panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    assert Notification.objects.filter(kind="youth_new_post", recipient=youth_coordinator).exists()
    assert not Notification.objects.filter(kind="youth_new_post", recipient=moderator).exists()
