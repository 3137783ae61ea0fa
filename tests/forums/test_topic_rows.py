"""The topic table of forum pages and topic lists (forums.rendering.topic_rows): what a row tells
the viewer, with every member-supplied text escaped."""

import re

from forums import services
from forums.models import Tag, Topic, TrackingLevel
from tests.factories import make_member, make_organisation


def _row(html: str, topic) -> str:
    rows = re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", html, re.S)
    matching = [row for row in rows if f"/forums/t/{topic.pk}/" in row]
    assert len(matching) == 1, f"topic {topic.pk} is not listed once"
    return matching[0]


def test_a_row_links_to_the_first_unread_post_and_says_how_many(member, org_admin, helplines, start_topic,
                                                                client_for):
    topic = start_topic(member, helplines)
    services.reply(actor=member, topic=topic, body="Another")
    row = _row(client_for(org_admin).get("/forums/f/helplines/").content.decode(), topic)
    assert 'class="is-unread"' in row
    assert f'href="/forums/t/{topic.pk}/unread/"' in row and '<span class="unread-badge">2 unread</span>' in row

    client_for(org_admin).get(topic.get_absolute_url())
    row = _row(client_for(org_admin).get("/forums/f/helplines/").content.decode(), topic)
    assert 'class=""' in row and "unread-badge" not in row and f'href="/forums/t/{topic.pk}/"' in row


def test_a_row_escapes_titles_and_names_and_shows_pins_locks_tags_and_watching(org_admin, moderator, helplines,
                                                                              start_topic, client_for):
    author = make_member(organisation=make_organisation(country_code="IE"), display_name="<b>Niamh</b>")
    topic = start_topic(author, helplines, title="<script>alert(1)</script> takedowns",
                        tags=Tag.objects.filter(slug="gaming"))
    services.pin_topic(actor=moderator, topic=topic)
    services.lock_topic(actor=moderator, topic=topic)
    services.set_topic_tracking(user=org_admin, topic=topic, level=TrackingLevel.WATCHING)
    row = _row(client_for(org_admin).get("/forums/f/helplines/").content.decode(), topic)
    assert "<script>" not in row and "&lt;script&gt;alert(1)&lt;/script&gt; takedowns" in row
    assert "by &lt;b&gt;Niamh&lt;/b&gt;" in row and "<b>" not in row
    assert '<span class="tag tag-pinned">Pinned</span> <span class="tag">Locked</span>' in row
    assert '<a class="tag" href="?tag=gaming">Gaming</a> <span class="tag">Watching</span>' in row
    # The forum's own page does not repeat its name; the list of every forum does.
    assert "/forums/f/helplines/" not in row
    every_forum = client_for(org_admin).get("/forums/topics/").content.decode()
    assert 'href="/forums/f/helplines/">Helplines</a>' in _row(every_forum, topic)


def test_a_former_members_topic_names_nobody(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    Topic.all_objects.filter(pk=topic.pk).update(author=None, last_poster=None)
    row = _row(client_for(org_admin).get("/forums/f/helplines/").content.decode(), topic)
    assert "by a former member" in row and member.display_name not in row
