"""On PostgreSQL, search reads the posts' search entries, which a database trigger keeps. Whatever
changes a post (a service, a moderation decision, a queryset update, erasure), search finds
exactly the published posts, by their current words."""

import pytest
from django.contrib.contenttypes.models import ContentType

from forums import selectors, services
from forums.erasure import erase_forums_data
from forums.models import Post, PostSearchEntry
from moderation import services as moderation_services
from moderation.models import ModerationItem


@pytest.fixture(autouse=True)
def _postgres_only(on_postgres):
    if not on_postgres:
        pytest.skip("search entries are PostgreSQL's; SQLite searches the posts' plain text")


def _found(user, words: str) -> list[Post]:
    return list(selectors.search_posts(user, selectors.SearchFilters(query=words)))


def _assert_entries_are_the_published_posts():
    published = set(Post.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True))
    assert set(PostSearchEntry.objects.values_list("post_id", flat=True)) == published


def test_search_follows_an_edit_a_delete_and_a_restore(member, org_admin, moderator, helplines, start_topic):
    topic = start_topic(member, helplines, title="Case notes", body="opening words")
    post = services.reply(actor=member, topic=topic, body="a sextortion contact at the helpline")
    assert _found(org_admin, "sextortion") == [post]

    services.edit_post(actor=member, post=post, body="a phishing contact at the helpline")
    assert _found(org_admin, "sextortion") == []
    assert _found(org_admin, "phishing") == [post]

    services.delete_post(actor=member, post=post)
    assert _found(org_admin, "phishing") == []
    _assert_entries_are_the_published_posts()

    services.restore_post(actor=moderator, post=Post.all_objects.get(pk=post.pk))
    assert _found(org_admin, "phishing") == [post]
    _assert_entries_are_the_published_posts()


def test_a_renamed_topic_is_found_by_its_new_title(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines, title="Case notes", body="opening words")
    opening = topic.posts.get()
    services.edit_post(actor=member, post=opening, body="opening words", title="Deepfake nudes in schools")
    assert _found(org_admin, "deepfake") == [opening]


def test_a_held_reply_is_found_only_once_approved(youth_coordinator, youth_panellist, moderator, forums,
                                                 start_topic):
    topic = start_topic(youth_coordinator, forums["youth"], title="Ideas for Safer Internet Day", body="Share ideas")
    post = services.reply(actor=youth_panellist, topic=topic, body="A poster competition about cyberbullying")
    assert post.moderation_state == "pending"
    assert _found(youth_coordinator, "cyberbullying") == []
    _assert_entries_are_the_published_posts()

    item = ModerationItem.objects.get(content_type=ContentType.objects.get_for_model(Post), object_id=post.pk)
    moderation_services.decide(actor=moderator, item=item, decision=ModerationItem.Decision.APPROVED)
    assert _found(youth_coordinator, "cyberbullying") == [post]
    _assert_entries_are_the_published_posts()


def test_a_topic_moved_where_the_viewer_cannot_read_leaves_their_results(member, org_admin, hotline_analyst,
                                                                          moderator, helplines, hotlines,
                                                                          start_topic):
    topic = start_topic(member, helplines, title="Phishing kits", body="phishing kits sold in chats")
    services.move_topic(actor=moderator, topic=topic, forum=hotlines)
    assert _found(org_admin, "phishing") == []
    assert [post.topic for post in _found(hotline_analyst, "phishing")] == [topic]


def test_erasing_a_member_with_their_content_leaves_no_entries(member, org_admin, helplines, start_topic):
    own_topic = start_topic(member, helplines, title="Grooming on games", body="grooming reports")
    other_topic = start_topic(org_admin, helplines, title="Helpline rota", body="rota for grooming calls")
    services.reply(actor=member, topic=other_topic, body="grooming cases I took")
    erase_forums_data(member, delete_content=True)
    assert [post.topic for post in _found(org_admin, "grooming")] == [other_topic]
    assert not PostSearchEntry.objects.filter(topic=own_topic.pk).exists()
    _assert_entries_are_the_published_posts()
