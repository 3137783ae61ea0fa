"""Topic lists and the forum index say how long ago a topic was active as people say it."""

from datetime import timedelta

from django.utils import timezone

from forums.models import Topic


def test_a_topic_active_seconds_ago_reads_just_now_in_lists_and_on_the_forum_index(
    member, helplines, start_topic, client_for
):
    topic = start_topic(member, helplines)
    client = client_for(member)

    for url in (helplines.get_absolute_url(), "/forums/"):
        page = client.get(url).content.decode()
        assert "just now" in page and "0\xa0minutes" not in page

    Topic.all_objects.filter(pk=topic.pk).update(last_activity_at=timezone.now() - timedelta(hours=3))
    assert "3\xa0hours ago" in client.get(helplines.get_absolute_url()).content.decode()
