"""The topic page's live "N new replies": who may follow a topic, and what is published."""

from forums import permissions, services
from notifications import events


def test_only_readers_of_a_topic_may_follow_it_live(member, hotline_analyst, hotlines, helplines, start_topic):
    hotline_topic = services.create_topic(actor=hotline_analyst, forum=hotlines, title="Takedowns", body="Times")
    helpline_topic = start_topic(member, helplines)
    assert permissions.can_follow_topic_live(hotline_analyst, hotline_topic.pk)
    assert not permissions.can_follow_topic_live(member, hotline_topic.pk)
    assert permissions.can_follow_topic_live(member, helpline_topic.pk)
    assert not permissions.can_follow_topic_live(member, 10**9)
    assert not permissions.can_follow_topic_live(member, str(helpline_topic.pk))


def _published(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "_send_all", lambda messages: sent.extend(messages))
    return sent


def test_a_published_reply_bumps_the_topic_stream(member, org_admin, helplines, start_topic, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    topic = start_topic(member, helplines)
    sent = _published(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=org_admin, topic=topic, body="News")
    streamed = [message for group, message in sent if group == f"stream.topic.{topic.pk}"]
    assert [message["payload"] for message in streamed] == [{"increment": 1, "announce": "New reply"}]


def test_a_held_reply_is_not_announced_live(youth_coordinator, youth_panellist, forums, start_topic, monkeypatch,
                                           django_capture_on_commit_callbacks):
    topic = start_topic(youth_coordinator, forums["youth"])
    sent = _published(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=youth_panellist, topic=topic, body="Waiting for review")
    assert not [group for group, _message in sent if group.startswith("stream.topic.")]


def test_the_topic_page_carries_the_live_counter(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    html = client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    assert f'data-live-stream="topic" data-live-key="{topic.pk}" hidden' in html
    assert "<span data-live-count>0</span> new replies" in html
