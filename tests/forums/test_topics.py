"""Starting topics, replying, quoting, editing with history, soft delete, pin/lock/move."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums import permissions, selectors, services
from forums.models import Forum, Post, PostRevision, Tag, Topic, TopicSubscription


def test_a_member_starts_a_topic_with_tags_and_it_is_listed_in_its_forum(member, helplines, client_for):
    tags = Tag.objects.filter(slug__in=["sextortion", "gaming"])
    response = client_for(member).post("/forums/f/helplines/new/", {
        "title": "Sextortion through gaming platforms", "body": "Anyone else seeing **this**?",
        "tags": [tag.pk for tag in tags],
    })
    topic = Topic.all_objects.get(title="Sextortion through gaming platforms")
    assert response.status_code == 302 and response["Location"] == f"/forums/t/{topic.pk}/"
    assert set(topic.tags.values_list("slug", flat=True)) == {"sextortion", "gaming"}
    assert topic.posts.get().body_html == "<p>Anyone else seeing <strong>this</strong>?</p>"
    assert topic.country.code == "GR"
    listing = client_for(member).get("/forums/f/helplines/").content.decode()
    assert "Sextortion through gaming platforms" in listing
    helplines.refresh_from_db()
    assert (helplines.topic_count, helplines.post_count) == (1, 1)


def test_a_rejected_topic_form_keeps_what_was_typed(member, client_for):
    response = client_for(member).post("/forums/f/helplines/new/", {"title": "", "body": "My long careful text"})
    assert response.status_code == 200
    assert "My long careful text" in response.content.decode()
    assert not Topic.all_objects.exists()


def test_replies_are_numbered_in_order_and_the_author_watches_the_topic(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines)
    first = services.reply(actor=org_admin, topic=topic, body="Yes, since spring.")
    second = services.reply(actor=member, topic=topic, body="Thanks.")
    assert (first.number, second.number) == (2, 3)
    topic.refresh_from_db()
    assert topic.reply_count == 2 and topic.last_poster == member
    assert TopicSubscription.objects.get(user=org_admin, topic=topic).level == "watching"


def test_quoting_prefills_the_composer_and_records_the_answered_post(member, org_admin, helplines, start_topic,
                                                                     client_for):
    topic = start_topic(member, helplines, body="Line one\n\nLine two")
    opening = topic.posts.get(number=1)
    page = client_for(org_admin).get(f"/forums/t/{topic.pk}/?quote={opening.pk}").content.decode()
    assert "&gt; Line one" in page and f'name="quote" value="{opening.pk}"' in page
    response = client_for(org_admin).post(f"/forums/t/{topic.pk}/reply/", {
        "body": services.quote_markdown(opening) + "I agree.", "quote": opening.pk})
    reply = Post.all_objects.get(topic=topic, number=2)
    assert response.status_code == 302
    assert reply.reply_to == opening
    assert "<blockquote>" in reply.body_html


def test_a_post_from_another_topic_cannot_be_quoted(member, helplines, start_topic):
    topic = start_topic(member, helplines)
    other = start_topic(member, helplines, title="Other")
    with pytest.raises(ValidationError):
        services.reply(actor=member, topic=topic, body="x", quote=other.posts.get())


def test_an_empty_reply_is_refused_and_the_page_says_why(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    response = client_for(member).post(f"/forums/t/{topic.pk}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_editing_keeps_every_previous_version_in_the_history(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines, title="Original title", body="First text")
    post = topic.posts.get()
    saved, unchanged = services.EditOutcome.SAVED, services.EditOutcome.UNCHANGED
    assert services.edit_post(actor=member, post=post, body="Second text", title="Better title") == saved
    assert services.edit_post(actor=member, post=post, body="Third text") == saved
    assert services.edit_post(actor=member, post=post, body="Third text") == unchanged
    revisions = list(PostRevision.objects.filter(post=post).order_by("replaced_at", "id"))
    assert [(r.title, r.body) for r in revisions] == [("Original title", "First text"),
                                                      ("Better title", "Second text")]
    topic.refresh_from_db()
    post.refresh_from_db()
    assert topic.title == "Better title" and post.edited_at is not None and post.edited_by == member
    history = client_for(member).get(f"/forums/p/{post.pk}/history/").content.decode()
    assert "First text" in history and "Second text" in history and "Third text" in history


def test_members_edit_only_their_own_posts_and_moderators_edit_any(member, org_admin, moderator, helplines,
                                                                  start_topic, client_for):
    topic = start_topic(member, helplines)
    post = topic.posts.get()
    assert client_for(org_admin).get(f"/forums/p/{post.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.edit_post(actor=org_admin, post=post, body="Hijacked")
    assert services.edit_post(actor=moderator, post=post, body="Removed a phone number") == "saved"
    assert PostRevision.objects.get(post=post).edited_by_name == str(moderator)


def test_soft_deleting_a_reply_leaves_a_placeholder_and_keeps_the_text_for_moderators(
        member, org_admin, moderator, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    reply = services.reply(actor=org_admin, topic=topic, body="Call me on +30 210 123")
    assert services.delete_post(actor=org_admin, post=reply)
    assert not services.delete_post(actor=org_admin, post=reply)
    reply.refresh_from_db()
    assert reply.deleted_by == org_admin and reply.body == "Call me on +30 210 123"
    member_page = client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Deleted by its author." in member_page and "+30 210 123" not in member_page
    moderator_page = client_for(moderator).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "+30 210 123" in moderator_page
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_members_cannot_delete_other_peoples_posts(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    post = topic.posts.get()
    assert client_for(org_admin).post(f"/forums/p/{post.pk}/delete/").status_code == 403
    post.refresh_from_db()
    assert post.deleted_at is None


def test_deleting_the_opening_post_deletes_the_topic_for_everyone_but_moderators(
        member, org_admin, moderator, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    services.delete_post(actor=member, post=topic.posts.get())
    assert client_for(org_admin).get(f"/forums/t/{topic.pk}/").status_code == 404
    assert client_for(moderator).get(f"/forums/t/{topic.pk}/").status_code == 200
    helplines.refresh_from_db()
    assert helplines.topic_count == 0


def test_a_locked_topic_takes_replies_from_moderators_only(member, moderator, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    assert services.lock_topic(actor=moderator, topic=topic)
    assert not services.lock_topic(actor=moderator, topic=topic)
    response = client_for(member).post(f"/forums/t/{topic.pk}/reply/", {"body": "Still here"})
    assert response.status_code == 403
    assert services.reply(actor=moderator, topic=topic, body="Closing this thread.").number == 2


def test_pinned_topics_come_first_in_their_forum(member, moderator, helplines, start_topic):
    old = start_topic(member, helplines, title="Old but important")
    start_topic(member, helplines, title="Newer")
    services.pin_topic(actor=moderator, topic=old)
    titles = [topic.title for topic in selectors.topics_for(member, forum=helplines)]
    assert titles == ["Old but important", "Newer"]


def test_moving_a_topic_to_hotlines_drops_watchers_who_cannot_read_it_and_defangs_links(
        member, hotline_analyst, moderator, helplines, hotlines, start_topic):
    topic = start_topic(member, helplines, body="See https://example.com/page")
    services.reply(actor=hotline_analyst, topic=topic, body="Interesting")
    assert services.move_topic(actor=moderator, topic=topic, forum=hotlines)
    assert not TopicSubscription.objects.filter(topic=topic, user=member).exists()
    assert TopicSubscription.objects.filter(topic=topic, user=hotline_analyst).exists()
    assert "hxxps://example[.]com/page" in topic.posts.get(number=1).body_html
    assert not permissions.can_read_topic(member, topic)


def test_permalinks_jump_to_the_page_and_anchor_of_the_post(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    posts = [services.reply(actor=member, topic=topic, body=f"Reply {n}") for n in range(2, 53)]
    response = client_for(member).get(f"/forums/p/{posts[-1].pk}/")
    assert response["Location"] == f"/forums/t/{topic.pk}/?page=2#post-52"


def test_a_held_topic_is_shown_only_to_its_author_clearly_labelled(member, org_admin, helplines, monkeypatch,
                                                                   client_for):
    def hold(*, actor, instance, text=""):
        instance.moderation_state = "pending"
        return ["New members' first posts are reviewed."]

    monkeypatch.setattr(services, "submit_content", hold)
    topic = services.create_topic(actor=member, forum=helplines, title="Held topic", body="Text")
    own_page = client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Waiting for review" in own_page
    assert client_for(org_admin).get(f"/forums/t/{topic.pk}/").status_code == 404
    assert "Held topic" not in client_for(org_admin).get("/forums/f/helplines/").content.decode()
    helplines.refresh_from_db()
    assert helplines.topic_count == 0


def test_the_forums_index_still_answers_at_its_named_url(member, client_for):
    from django.urls import reverse

    assert reverse("forums:index") == "/forums/"
    assert client_for(member).get("/forums/").status_code == 200


def test_coordinators_can_add_forums_that_appear_on_the_index(network_coordinator, member, client_for):
    services.create_forum(actor=network_coordinator, name="Safer Internet Day", slug="sid",
                          poster_groups=["member"])
    assert Forum.objects.filter(slug="sid").exists()
    assert "Safer Internet Day" in client_for(member).get("/forums/").content.decode()


def test_the_edit_history_of_a_deleted_post_is_for_moderators_only(member, org_admin, moderator, helplines,
                                                                  start_topic, client_for):
    topic = start_topic(member, helplines)
    reply = services.reply(actor=org_admin, topic=topic, body="My phone is +30 210 123")
    services.edit_post(actor=org_admin, post=reply, body="Call the helpline instead")
    services.delete_post(actor=org_admin, post=reply)
    assert client_for(member).get(f"/forums/p/{reply.pk}/history/").status_code == 404
    assert f"/forums/p/{reply.pk}/history/" not in client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    history = client_for(moderator).get(f"/forums/p/{reply.pk}/history/")
    assert history.status_code == 200 and "+30 210 123" in history.content.decode()


def test_nobody_replies_to_a_topic_waiting_for_review(youth_panellist, moderator, forums, client_for):
    topic = services.create_topic(actor=youth_panellist, forum=forums["youth"], title="Held", body="Text")
    assert topic.moderation_state == "pending"
    for person in (youth_panellist, moderator):
        assert client_for(person).post(f"/forums/t/{topic.pk}/reply/", {"body": "Early"}).status_code == 403
    assert not topic.posts.filter(number=2).exists()
    page = client_for(youth_panellist).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Replies open once a moderator has published this topic." in page and 'id="reply"' not in page


def test_topics_move_only_between_the_communities_of_practice(member, moderator, helplines, start_topic,
                                                              client_for):
    space = services.create_forum(actor=None, name="Youth panel Greece", slug="youth-panel-gr", is_listed=False)
    topic = start_topic(member, helplines)
    page = client_for(moderator).get(f"/forums/t/{topic.pk}/move/").content.decode()
    assert "Awareness raising" in page and "Youth panel Greece" not in page
    with pytest.raises(ValidationError):
        services.move_topic(actor=moderator, topic=topic, forum=space)
    topic.refresh_from_db()
    assert topic.forum == helplines


def test_editing_the_opening_post_retags_the_topic(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines, tags=Tag.objects.filter(slug="gaming"))
    post = topic.posts.get()
    client = client_for(member)
    gaming = Tag.objects.get(slug="gaming")
    edit_page = client.get(f"/forums/p/{post.pk}/edit/").content.decode()
    assert re.search(rf'<input [^>]*value="{gaming.pk}"[^>]* checked>', edit_page)
    sextortion = Tag.objects.get(slug="sextortion")
    response = client.post(f"/forums/p/{post.pk}/edit/", {"title": topic.title, "body": post.body,
                                                          "tags": [sextortion.pk]})
    assert response.status_code == 302
    assert list(topic.tags.values_list("slug", flat=True)) == ["sextortion"]
    assert not PostRevision.objects.filter(post=post).exists()  # the text did not change
    assert topic.title in client.get("/forums/topics/?tag=sextortion").content.decode()
