"""Panellists can delete their own content at any time (issue 5): posts, comments and discussion
replies, whatever a moderator decided about them. Deleting withdraws what waited in the queue,
keeps the moderation audit log, and the content no longer shows to anyone."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forums import services as forum_services
from moderation.models import AuditEntry, Flag, ModerationItem
from moderation.services import decide, flag_content
from youth_panels import services

from .helpers import approved_post, open_item_for

pytestmark = pytest.mark.django_db

HIDDEN_LABEL = "Hidden by a moderator: only you and the coordinators see this"


def _hide(coordinator, obj) -> None:
    assert decide(actor=coordinator, item=open_item_for(obj), decision=ModerationItem.Decision.HIDDEN,
                  reason_code="unkind")
    obj.refresh_from_db()


def _items_of(obj):
    return ModerationItem.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def _queue(client) -> str:
    return client.get(reverse("moderation:index")).content.decode()


def test_a_panellist_deletes_their_own_post_that_a_moderator_hid(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, irish_coordinator, greek_panel
):
    post, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Regretted post", body="Oops")
    _hide(youth_coordinator, post)
    author = client_for(youth_panellist)
    page = author.get(post.get_absolute_url())
    assert page.status_code == 200 and HIDDEN_LABEL in page.content.decode()
    assert "Regretted post" in author.get(greek_panel.get_absolute_url()).content.decode()
    # A hidden post cannot be edited back into view, only deleted.
    assert author.get(reverse("youth_panels:post_edit", args=[post.pk])).status_code == 403
    delete_url = reverse("youth_panels:post_delete", args=[post.pk])
    assert "This cannot be undone" in author.get(delete_url).content.decode()

    # Other panellists do not see the hidden post; another country's coordinator does not know it.
    assert client_for(second_greek_panellist).post(delete_url).status_code == 404
    assert client_for(irish_coordinator).post(delete_url).status_code == 404
    assert author.post(delete_url).status_code == 302

    for person in (youth_panellist, youth_coordinator, second_greek_panellist):
        client = client_for(person)
        assert client.get(post.get_absolute_url()).status_code == 404
        assert "Regretted post" not in client.get(greek_panel.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.HIDDEN, object_id=post.pk,
                                     content_type=ContentType.objects.get_for_model(post)).exists()


def test_deleting_a_waiting_post_takes_it_out_of_the_coordinators_queue(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    post, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Second thoughts", body="x")
    coordinator = client_for(youth_coordinator)
    assert "Second thoughts" in _queue(coordinator)

    assert client_for(youth_panellist).post(reverse("youth_panels:post_delete", args=[post.pk])).status_code == 302

    assert _items_of(post).get().status == ModerationItem.Status.WITHDRAWN
    assert "Second thoughts" not in _queue(coordinator)
    assert coordinator.get(post.get_absolute_url()).status_code == 404


def test_deleting_a_refused_post_withdraws_its_appeal_and_keeps_the_decision_on_record(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    post, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Second thoughts", body="x")
    assert decide(actor=youth_coordinator, item=open_item_for(post), decision=ModerationItem.Decision.REJECTED,
                  reason_code="unkind")
    author = client_for(youth_panellist)
    decided = _items_of(post).get()
    author.post(reverse("moderation:appeal", args=[decided.pk]), {"text": "Please look again"})
    appeal = _items_of(post).get(kind=ModerationItem.Kind.APPEAL)
    assert appeal.status == ModerationItem.Status.OPEN

    assert author.post(reverse("youth_panels:post_delete", args=[post.pk])).status_code == 302

    appeal.refresh_from_db()
    assert appeal.status == ModerationItem.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REJECTED, item=decided).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.APPEALED, item=appeal).exists()
    assert author.get(post.get_absolute_url()).status_code == 404


def test_a_panellist_deletes_their_own_comment_that_a_moderator_hid(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, irish_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    comment, _held = services.add_comment(actor=second_greek_panellist, post=post, body="A mean joke")
    _hide(youth_coordinator, comment)
    commenter = client_for(second_greek_panellist)
    page = commenter.get(post.get_absolute_url()).content.decode()
    assert "A mean joke" in page and HIDDEN_LABEL in page
    assert "A mean joke" not in client_for(youth_panellist).get(post.get_absolute_url()).content.decode()

    delete_url = reverse("youth_panels:comment_delete", args=[comment.pk])
    assert client_for(youth_panellist).post(delete_url).status_code == 404
    assert client_for(irish_coordinator).post(delete_url).status_code == 404
    assert commenter.post(delete_url).status_code == 302
    assert "A mean joke" not in commenter.get(post.get_absolute_url()).content.decode()
    assert "A mean joke" not in client_for(youth_coordinator).get(post.get_absolute_url()).content.decode()


def test_a_panellist_deletes_their_own_discussion_reply_whether_waiting_or_hidden(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, irish_coordinator, greek_panel
):
    forum = services.discussion_forum_for(greek_panel)
    topic = forum_services.create_topic(actor=youth_coordinator, forum=forum, title="Campaign ideas", body="Yours?")
    waiting = forum_services.reply(actor=youth_panellist, topic=topic, body="A video about passwords")
    hidden = forum_services.reply(actor=youth_panellist, topic=topic, body="Something I regret")
    assert waiting.moderation_state == hidden.moderation_state == "pending"
    _hide(youth_coordinator, hidden)

    author = client_for(youth_panellist)
    thread = author.get(topic.get_absolute_url()).content.decode()
    assert "A video about passwords" in thread and "Something I regret" in thread
    assert "Something I regret" not in client_for(second_greek_panellist).get(topic.get_absolute_url()).content.decode()
    # The hidden reply cannot be edited back into view.
    assert author.get(reverse("forums:post_edit", args=[hidden.pk])).status_code == 403

    for post in (waiting, hidden):
        delete_url = reverse("forums:post_delete", args=[post.pk])
        assert client_for(second_greek_panellist).post(delete_url).status_code == 404
        assert client_for(irish_coordinator).post(delete_url).status_code == 404
        assert author.post(delete_url).status_code == 302
        assert not _items_of(post).filter(status=ModerationItem.Status.OPEN).exists()

    for person in (youth_panellist, second_greek_panellist):
        thread = client_for(person).get(topic.get_absolute_url()).content.decode()
        assert "A video about passwords" not in thread and "Something I regret" not in thread
    assert "A video about passwords" not in _queue(client_for(youth_coordinator))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.HIDDEN, object_id=hidden.pk).exists()


def test_a_panellist_whose_topic_was_hidden_is_not_told_replies_will_open(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    forum = services.discussion_forum_for(greek_panel)
    topic = forum_services.create_topic(actor=youth_panellist, forum=forum, title="My idea", body="Long text")
    waiting_page = client_for(youth_panellist).get(topic.get_absolute_url()).content.decode()
    assert "Replies open once a moderator has published this topic." in waiting_page

    _hide(youth_coordinator, topic)
    hidden_page = client_for(youth_panellist).get(topic.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in hidden_page
    assert "Replies open once a moderator has published this topic." not in hidden_page


@pytest.mark.parametrize("post_fate", ["hidden", "deleted"])
def test_a_panellist_finds_and_deletes_their_comment_under_a_post_that_is_gone(
    post_fate, client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    comment, _held = services.add_comment(actor=second_greek_panellist, post=post, body="Shared my <school> name")
    decide(actor=youth_coordinator, item=open_item_for(comment), decision=ModerationItem.Decision.APPROVED)
    if post_fate == "hidden":
        flag_content(actor=second_greek_panellist, target=post, category=Flag.Category.PERSONAL_INFORMATION)
        _hide(youth_coordinator, post)
    else:
        services.delete_post(actor=youth_panellist, post=post)
    commenter = client_for(second_greek_panellist)
    assert commenter.get(post.get_absolute_url()).status_code == 404

    index = commenter.get(reverse("youth_panels:index")).content.decode()
    assert "Your comments under posts that are gone" in index
    assert "Shared my &lt;school&gt; name" in index
    # Nothing of the post itself: its title or text may be why it was taken down.
    assert post.title not in index
    delete_url = reverse("youth_panels:comment_delete", args=[comment.pk])
    assert f'action="{delete_url}"' in index
    # Nobody else may delete it, and the post's author does not see it listed.
    assert "Shared my" not in client_for(youth_panellist).get(reverse("youth_panels:index")).content.decode()
    assert client_for(youth_panellist).post(delete_url).status_code in (403, 404)

    confirm = commenter.get(delete_url)
    assert confirm.status_code == 200 and f'href="{reverse("youth_panels:index")}"' in confirm.content.decode()
    response = commenter.post(delete_url)
    assert response.status_code == 302 and response["Location"] == reverse("youth_panels:index")
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    index = commenter.get(reverse("youth_panels:index")).content.decode()
    assert "Your comments under posts that are gone" not in index


@pytest.mark.parametrize("count", [1, 8])
def test_the_youth_area_lists_comments_under_gone_posts_in_a_constant_number_of_queries(
    count, client_for, django_assert_max_num_queries, youth_panellist, second_greek_panellist, youth_coordinator,
    greek_panel
):
    for number in range(count):
        post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
        services.add_comment(actor=second_greek_panellist, post=post, body=f"Comment {number}")
        services.delete_post(actor=youth_panellist, post=post)
    client = client_for(second_greek_panellist)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("youth_panels:index")).content.decode()
    assert page.count('class="gone-comment"') == count
