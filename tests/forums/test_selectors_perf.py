"""What the faster reads keep: search ranks only the newest matches but still finds the newest
and best ones; the forum index counts unread topics by the same rule as the unread list."""

import datetime

from django.db import connection
from django.utils import timezone

from forums import selectors, services
from forums.models import Post, Topic, TrackingLevel


def _aged(post: Post, days: int) -> Post:
    """Move a post `days` into the past (search orders by creation time)."""
    created = timezone.now() - datetime.timedelta(days=days)
    Post.all_objects.filter(pk=post.pk).update(created_at=created)
    return post


def test_search_past_the_limit_keeps_the_newest_matches_and_counts_only_them(member, org_admin, helplines,
                                                                            start_topic, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_RESULT_LIMIT", 3)
    topic = start_topic(member, helplines, title="Case notes", body="opening without the word")
    replies = [_aged(services.reply(actor=member, topic=topic, body=f"sextortion report number {n}"), days=10 - n)
               for n in range(5)]
    results = selectors.search_posts(org_admin, selectors.SearchFilters(query="sextortion"))
    assert results.count() == 3
    assert {post.pk for post in results} == {post.pk for post in replies[2:]}
    page = client_for(org_admin).get("/forums/search/?q=sextortion").content.decode()
    assert "At least 3 results" in page and "The newest 3 are shown" in page


def test_search_ranks_the_best_match_first_among_the_newest(member, org_admin, helplines, start_topic,
                                                           monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_RESULT_LIMIT", 3)
    topic = start_topic(member, helplines, title="Case notes", body="opening without the word")
    _aged(services.reply(actor=member, topic=topic, body="grooming grooming grooming, and older"), days=9)
    best = _aged(services.reply(actor=member, topic=topic, body="grooming grooming grooming in chats"), days=3)
    passing = _aged(services.reply(actor=member, topic=topic, body="a word on grooming among many other words "
                                   "about helplines, schools, parents and reporting"), days=2)
    newest = _aged(services.reply(actor=member, topic=topic, body="grooming once, the newest"), days=1)
    results = list(selectors.search_posts(org_admin, selectors.SearchFilters(query="grooming")))
    if connection.vendor == "postgresql":
        # Ranked: the post that is most about the words comes first, the older one is out.
        assert results[0] == best
        assert set(results) == {best, passing, newest}
    else:
        assert results == [newest, passing, best]


def test_search_limit_still_hides_unreadable_and_held_posts(member, org_admin, hotline_analyst, helplines, hotlines,
                                                           start_topic, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_RESULT_LIMIT", 2)
    readable = start_topic(member, helplines, title="Older helpline", body="phishing at school")
    _aged(readable.posts.get(), days=5)
    # Newer matches the viewer may not read must not push the readable one out of the limit.
    for n in range(3):
        services.create_topic(actor=hotline_analyst, forum=hotlines, title=f"Hotline {n}", body="phishing kit")
    results = selectors.search_posts(org_admin, selectors.SearchFilters(query="phishing"))
    assert [post.topic for post in results] == [readable]


def _unread_on_index(user, forum) -> int:
    return next(listed.unread_topic_count for listed in selectors.listed_forums_for(user) if listed.pk == forum.pk)


def _unread_list(user) -> set[Topic]:
    return set(selectors.topics_for(user, show="unread"))


def test_index_counts_unread_topics_by_read_position_mute_and_mark_all_read(member, org_admin, helplines,
                                                                          start_topic, client_for):
    read = start_topic(member, helplines, title="Read to the end")
    answered = start_topic(member, helplines, title="Read, then answered")
    muted = start_topic(member, helplines, title="Muted")
    untouched = start_topic(member, helplines, title="Never opened")
    reader = client_for(org_admin)
    reader.get(f"/forums/t/{read.pk}/")
    reader.get(f"/forums/t/{answered.pk}/")
    services.reply(actor=member, topic=answered, body="A new answer")
    services.set_topic_tracking(user=org_admin, topic=muted, level=TrackingLevel.MUTED)
    assert _unread_on_index(org_admin, helplines) == 2
    assert _unread_list(org_admin) == {answered, untouched}
    assert "2 unread topics" in reader.get("/forums/").content.decode()

    services.mark_all_read(user=org_admin, forum=helplines)
    assert _unread_on_index(org_admin, helplines) == 0
    Topic.all_objects.filter(pk=untouched.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=1))
    services.reply(actor=member, topic=read, body="After the mark")
    assert _unread_on_index(org_admin, helplines) == 1
    assert _unread_list(org_admin) == {read}
    # The author has read everything they wrote.
    assert _unread_on_index(member, helplines) == 0


def test_held_and_deleted_topics_are_not_counted_unread(member, org_admin, helplines, start_topic, monkeypatch):
    start_topic(member, helplines, title="Published")
    deleted = start_topic(member, helplines, title="Deleted")
    services.delete_post(actor=member, post=deleted.posts.get())

    def hold(*, actor, instance, text=""):
        instance.moderation_state = "pending"
        return ["Held"]

    monkeypatch.setattr(services, "submit_content", hold)
    start_topic(member, helplines, title="Held")
    assert _unread_on_index(org_admin, helplines) == 1
