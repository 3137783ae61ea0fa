"""Unread tracking: counts on lists, the jump to the first unread post, mark all read."""

from forums import selectors, services


def _unread(user, topic) -> int:
    return next(t.unread_count for t in selectors.topics_for(user) if t.pk == topic.pk)


def test_a_topic_is_fully_unread_until_opened_then_counts_only_new_replies(member, org_admin, helplines,
                                                                           start_topic, client_for):
    topic = start_topic(member, helplines)
    services.reply(actor=member, topic=topic, body="Second")
    assert _unread(org_admin, topic) == 2
    client_for(org_admin).get(f"/forums/t/{topic.pk}/")
    assert _unread(org_admin, topic) == 0
    services.reply(actor=member, topic=topic, body="Third")
    services.reply(actor=member, topic=topic, body="Fourth")
    assert _unread(org_admin, topic) == 2
    assert _unread(member, topic) == 0


def test_deleted_and_held_replies_do_not_count_as_unread(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    client_for(org_admin).get(f"/forums/t/{topic.pk}/")
    reply = services.reply(actor=member, topic=topic, body="Oops")
    services.delete_post(actor=member, post=reply)
    assert _unread(org_admin, topic) == 0


def test_the_unread_link_jumps_to_the_first_unread_post(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    client = client_for(org_admin)
    client.get(f"/forums/t/{topic.pk}/")
    services.reply(actor=member, topic=topic, body="New")
    response = client.get(f"/forums/t/{topic.pk}/unread/")
    new_post = topic.posts.get(number=2)
    assert response["Location"] == f"/forums/p/{new_post.pk}/"
    assert client.get(response["Location"])["Location"] == f"/forums/t/{topic.pk}/#post-2"


def test_the_topic_page_marks_new_posts_as_new_once(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    client = client_for(org_admin)
    assert "unread-marker" in client.get(f"/forums/t/{topic.pk}/").content.decode()
    assert "unread-marker" not in client.get(f"/forums/t/{topic.pk}/").content.decode()


def test_mark_all_read_clears_every_forum_and_new_posts_are_unread_again(member, org_admin, helplines, forums,
                                                                         start_topic, client_for):
    first = start_topic(member, helplines)
    second = start_topic(member, forums["awareness"], title="Awareness topic")
    client = client_for(org_admin)
    assert client.post("/forums/mark-read/").status_code == 302
    assert _unread(org_admin, first) == 0 and _unread(org_admin, second) == 0
    assert list(selectors.topics_for(org_admin, show="unread")) == []
    services.reply(actor=member, topic=first, body="After marking")
    assert [t.pk for t in selectors.topics_for(org_admin, show="unread")] == [first.pk]
    assert _unread(org_admin, first) == 1


def test_the_forum_index_counts_unread_topics_per_forum(member, org_admin, helplines, start_topic, client_for):
    start_topic(member, helplines, title="One")
    start_topic(member, helplines, title="Two")
    counts = {forum.slug: forum.unread_topic_count for forum in selectors.listed_forums_for(org_admin)}
    assert counts["helplines"] == 2 and counts["awareness"] == 0
    assert "2 unread topics" in client_for(org_admin).get("/forums/").content.decode()


def test_muted_topics_are_left_out_of_unread(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines)
    services.set_topic_tracking(user=org_admin, topic=topic, level="muted")
    assert list(selectors.topics_for(org_admin, show="unread")) == []


def test_the_watched_list_shows_topics_one_watches(member, org_admin, helplines, start_topic, client_for):
    watched = start_topic(member, helplines, title="Watched one")
    start_topic(member, helplines, title="Not watched")
    services.set_topic_tracking(user=org_admin, topic=watched, level="watching")
    page = client_for(org_admin).get("/forums/topics/?show=watched").content.decode()
    assert "Watched one" in page and "Not watched" not in page


def test_lists_filter_by_tag_and_country(member, other_org_admin, helplines, start_topic, client_for):
    from forums.models import Tag

    start_topic(member, helplines, title="Greek grooming topic", tags=Tag.objects.filter(slug="grooming"))
    start_topic(other_org_admin, helplines, title="Irish gaming topic", tags=Tag.objects.filter(slug="gaming"))
    client = client_for(member)
    by_tag = client.get("/forums/topics/?tag=grooming").content.decode()
    assert "Greek grooming topic" in by_tag and "Irish gaming topic" not in by_tag
    by_country = client.get("/forums/f/helplines/?country=IE").content.decode()
    assert "Irish gaming topic" in by_country and "Greek grooming topic" not in by_country


def test_after_mark_all_read_the_topic_page_marks_only_later_posts_as_new(member, org_admin, helplines,
                                                                         start_topic, client_for):
    topic = start_topic(member, helplines)
    services.reply(actor=member, topic=topic, body="Before marking")
    client = client_for(org_admin)
    client.post("/forums/mark-read/")
    assert "unread-marker" not in client.get(f"/forums/t/{topic.pk}/").content.decode()
    services.reply(actor=member, topic=topic, body="After marking")
    page = client.get(f"/forums/t/{topic.pk}/").content.decode()
    assert page.count("unread-marker") == 1
    assert page.index("unread-marker") > page.index('id="post-2"')


def test_after_mark_all_read_the_unread_link_jumps_to_the_first_later_post(member, org_admin, helplines,
                                                                          start_topic, client_for):
    topic = start_topic(member, helplines)
    services.reply(actor=member, topic=topic, body="Before marking")
    client = client_for(org_admin)
    client.post("/forums/mark-read/")
    services.reply(actor=member, topic=topic, body="After marking")
    # Never opened: only the mark says posts 1 and 2 are read.
    response = client.get(f"/forums/t/{topic.pk}/unread/")
    assert response["Location"] == f"/forums/p/{topic.posts.get(number=3).pk}/"
