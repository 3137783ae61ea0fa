"""The forums' notification kinds as members meet them on the preferences page and in mail,
and the digest section of new topics in watched forums."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from forums import services
from forums.models import ForumSubscription
from notifications.digest import build_digest
from notifications.kinds import Delivery, get_kind, registered_kinds
from notifications.models import Notification


def test_every_kind_the_forums_send_is_registered_with_its_default():
    registered = {kind.key: kind for kind in registered_kinds()}
    expected = {
        "forum_mention": Delivery.EMAIL, "forum_reply": Delivery.SITE, "forum_post": Delivery.SITE,
        "forum_topic": Delivery.SITE, "blog_comment": Delivery.SITE, "forum_topic_moved": Delivery.SITE,
    }
    for key, delivery in expected.items():
        assert registered[key].default_delivery == delivery, key
    assert get_kind("forum_mention").remind_if_unread


def test_a_mention_is_emailed_at_once_by_default(member, org_admin, helplines, start_topic,
                                                  django_capture_on_commit_callbacks):
    topic = start_topic(member, helplines)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=member, topic=topic, body=f"@{org_admin.display_name} could you look?")
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert topic.title in mail.outbox[0].subject


def test_a_reply_in_a_watched_topic_is_not_emailed_by_default(member, org_admin, helplines, start_topic,
                                                               django_capture_on_commit_callbacks):
    topic = start_topic(member, helplines)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=org_admin, topic=topic, body="A plain reply")
    assert Notification.objects.filter(recipient=member, kind="forum_post").exists()
    assert mail.outbox == []


def _section(user, key="forums_new_topics"):
    sections, _waiting = build_digest(user, now=timezone.now() + timedelta(minutes=1))
    return [section for section in sections if section.key == key]


def test_digest_lists_new_topics_in_watched_forums_the_member_may_read(
        member, org_admin, hotline_analyst, helplines, hotlines, start_topic):
    services.set_forum_tracking(user=member, forum=helplines, level="watching")
    topic = start_topic(org_admin, helplines, title="Chat volunteers rota")
    services.create_topic(actor=hotline_analyst, forum=hotlines, title="Hash list update", body="Details")

    (section,) = _section(member)
    assert section.title == "New topics in forums you watch"
    assert [item.title for item in section.items] == ["Chat volunteers rota"]
    assert section.items[0].url.endswith(topic.get_absolute_url())


def test_digest_leaves_out_forums_the_member_can_no_longer_read(member, hotline_analyst, hotlines):
    services.set_forum_tracking(user=hotline_analyst, forum=hotlines, level="watching")
    services.create_topic(actor=hotline_analyst, forum=hotlines, title="Hash list update", body="Details")
    assert [item.title for item in _section(hotline_analyst)[0].items] == ["Hash list update"]
    # The member never could read Hotlines: a forum subscription row alone shows nothing.
    ForumSubscription.objects.create(user=member, forum=hotlines, level="watching")
    assert _section(member) == []


def test_digest_section_is_empty_without_watched_forums(member, org_admin, helplines, start_topic):
    start_topic(org_admin, helplines, title="Chat volunteers rota")
    assert _section(member) == []
