"""The forums run through the moderation framework: held content, approval, scope."""

import pytest
from django.contrib.contenttypes.models import ContentType

from forums import permissions, services
from forums.models import Post, Topic
from moderation import registry
from moderation import services as moderation_services
from moderation.models import AuditEntry, ModerationItem
from notifications.models import Notification


def test_a_youth_panellists_reply_waits_for_review_and_watchers_hear_of_it_once_approved(
        youth_coordinator, youth_panellist, moderator, member, forums, start_topic, client_for):
    topic = start_topic(youth_coordinator, forums["youth"], title="Ideas for Safer Internet Day")
    post = services.reply(actor=youth_panellist, topic=topic, body="A poster competition!")
    assert post.moderation_state == "pending"
    assert not Notification.objects.filter(recipient=youth_coordinator, kind="forum_post").exists()
    assert "A poster competition!" not in client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Waiting for review" in client_for(youth_panellist).get(f"/forums/t/{topic.pk}/").content.decode()

    item = ModerationItem.objects.get(content_type=ContentType.objects.get_for_model(Post), object_id=post.pk)
    moderation_services.decide(actor=moderator, item=item, decision=ModerationItem.Decision.APPROVED)
    assert Notification.objects.filter(recipient=youth_coordinator, kind="forum_post").count() == 1
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_moderation_asks_the_forums_who_moderates_a_forum(network_coordinator, member, org_admin, forums):
    services.make_forum_moderator(actor=network_coordinator, forum=forums["helplines"], user=member)
    topic = services.create_topic(actor=org_admin, forum=forums["helplines"], title="T", body="B")
    post = topic.posts.get()
    assert registry.may_moderate(member, post)
    assert not registry.may_moderate(org_admin, post)
    assert permissions.can_moderate_forum(member, forums["helplines"])


def test_deleting_a_held_post_withdraws_it_from_the_queue_and_the_audit_log_says_who(
        youth_coordinator, youth_panellist, network_coordinator, forums, start_topic, client_for):
    topic = start_topic(youth_coordinator, forums["youth"])
    post = services.reply(actor=youth_panellist, topic=topic, body="Oops, wrong topic")
    services.delete_post(actor=youth_panellist, post=post)
    item = ModerationItem.objects.get(content_type=ContentType.objects.get_for_model(Post), object_id=post.pk)
    assert item.status == ModerationItem.Status.WITHDRAWN
    entry = AuditEntry.objects.get(item=item)
    assert (entry.action, entry.actor, entry.subject) == (AuditEntry.Action.WITHDRAWN, youth_panellist, youth_panellist)
    audit_log = client_for(network_coordinator).get("/moderation/audit/").content.decode()
    assert "Withdrawn: deleted while waiting" in audit_log

    # Deleting published content leaves nothing to withdraw and nothing to record.
    published = services.reply(actor=youth_coordinator, topic=topic, body="Published")
    services.delete_post(actor=youth_coordinator, post=published)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN).count() == 1


def _item_for(instance):
    return ModerationItem.objects.get(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)


def _held_topic(youth_coordinator, youth_panellist, forums):
    from forums.models import Topic

    topic = services.create_topic(actor=youth_panellist, forum=forums["youth"], title="Our poster ideas",
                                  body=f"A first idea, @{youth_coordinator.display_name}")
    topic = Topic.all_objects.get(pk=topic.pk)
    assert topic.moderation_state == "pending" and topic.posts.get().moderation_state == "pending"
    return topic


def test_approving_only_the_opening_post_publishes_its_topic_too(
        youth_coordinator, youth_panellist, moderator, member, forums, client_for):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    opening = topic.posts.get()
    moderation_services.decide(actor=moderator, item=_item_for(opening), decision=ModerationItem.Decision.APPROVED)

    response = client_for(youth_coordinator).get(f"/forums/t/{topic.pk}/")
    assert response.status_code == 200 and "A first idea" in response.content.decode()
    assert _item_for(topic).status == ModerationItem.Status.WITHDRAWN
    assert Notification.objects.filter(recipient=youth_coordinator, kind="forum_mention").count() == 1


def test_approving_the_topic_publishes_its_opening_post_and_closes_its_entry(
        youth_coordinator, youth_panellist, moderator, forums, client_for):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    opening = topic.posts.get()
    moderation_services.decide(actor=moderator, item=_item_for(topic), decision=ModerationItem.Decision.APPROVED)

    opening.refresh_from_db()
    assert opening.moderation_state == "approved"
    assert _item_for(opening).status == ModerationItem.Status.WITHDRAWN
    assert "A first idea" in client_for(youth_coordinator).get(f"/forums/t/{topic.pk}/").content.decode()
    assert Notification.objects.filter(recipient=youth_coordinator, kind="forum_mention").count() == 1


def _decisions_told(author):
    return Notification.objects.filter(recipient=author, kind="moderation_decision")


def test_rejecting_a_held_topic_rejects_its_opening_post_and_closes_its_entry(
        youth_coordinator, youth_panellist, moderator, member, forums, client_for):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    opening = topic.posts.get()
    moderation_services.decide(actor=moderator, item=_item_for(topic), decision=ModerationItem.Decision.REJECTED,
                               reason_code="off_topic")

    opening.refresh_from_db()
    assert opening.moderation_state == "rejected"
    assert _item_for(opening).status == ModerationItem.Status.WITHDRAWN
    assert client_for(member).get(f"/forums/t/{topic.pk}/").status_code == 404
    assert client_for(member).get(f"/forums/p/{opening.pk}/").status_code == 404
    # The author still finds their refused topic, labelled, to edit it or appeal.
    assert "Not published" in client_for(youth_panellist).get(f"/forums/t/{topic.pk}/").content.decode()
    assert not Notification.objects.filter(recipient=youth_coordinator, kind="forum_mention").exists()


def test_hiding_a_held_opening_post_hides_its_topic_too(youth_coordinator, youth_panellist, moderator, member,
                                                      forums, client_for):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    opening = topic.posts.get()
    moderation_services.decide(actor=moderator, item=_item_for(opening), decision=ModerationItem.Decision.HIDDEN,
                               reason_code="harmful")

    topic.refresh_from_db()
    assert topic.moderation_state == "hidden"
    assert _item_for(topic).status == ModerationItem.Status.WITHDRAWN
    assert client_for(member).get(f"/forums/t/{topic.pk}/").status_code == 404
    assert "Our poster ideas" not in client_for(member).get("/forums/f/youth/").content.decode()
    assert client_for(moderator).get(f"/forums/t/{topic.pk}/").status_code == 200
    assert not Notification.objects.filter(recipient=youth_coordinator, kind="forum_mention").exists()


@pytest.mark.parametrize("decision", list(ModerationItem.Decision.values))
@pytest.mark.parametrize("decided", ["topic", "opening post"])
def test_the_author_hears_of_a_decision_on_a_new_topic_once(decision, decided, youth_coordinator, youth_panellist,
                                                           moderator, forums):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    opening = topic.posts.get()
    item = _item_for(topic if decided == "topic" else opening)
    moderation_services.decide(actor=moderator, item=item, decision=decision, reason_code="off_topic")

    topic.refresh_from_db()
    opening.refresh_from_db()
    assert topic.moderation_state == opening.moderation_state == decision
    assert _decisions_told(youth_panellist).count() == 1
    assert not ModerationItem.objects.filter(status=ModerationItem.Status.OPEN).exists()


def test_an_upheld_appeal_about_a_refused_opening_post_publishes_its_topic(
        youth_coordinator, youth_panellist, moderator, network_coordinator, member, forums, client_for):
    topic = _held_topic(youth_coordinator, youth_panellist, forums)
    rejected = _item_for(topic.posts.get())
    moderation_services.decide(actor=moderator, item=rejected, decision=ModerationItem.Decision.REJECTED,
                               reason_code="unkind")
    appeal = moderation_services.appeal(actor=youth_panellist, item=rejected, text="It was a kind idea")
    moderation_services.decide(actor=network_coordinator, item=appeal, decision=ModerationItem.Decision.APPROVED)

    response = client_for(member).get(f"/forums/t/{topic.pk}/")
    assert response.status_code == 200 and "A first idea" in response.content.decode()
    topic.refresh_from_db()
    assert topic.moderation_state == "approved"
    assert Notification.objects.filter(recipient=youth_coordinator, kind="forum_mention").count() == 1


def test_rejecting_an_opening_post_held_alone_takes_its_published_topic_down(
        network_coordinator, youth_panellist, moderator, member, forums, client_for):
    # Topics are published at once here while opening posts wait: the topic was visible empty.
    moderation_services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=0)
    moderation_services.set_policy(actor=network_coordinator, registration=registry.registration_for(Topic),
                                   audience=registry.Audience.YOUTH_PANELLIST, mode=registry.PolicyMode.TRUSTED)
    topic = services.create_topic(actor=youth_panellist, forum=forums["youth"], title="Poster ideas",
                                  body="A first idea")
    opening = topic.posts.get()
    assert (topic.moderation_state, opening.moderation_state) == ("approved", "pending")

    moderation_services.decide(actor=moderator, item=_item_for(opening), decision=ModerationItem.Decision.REJECTED,
                               reason_code="off_topic")
    topic.refresh_from_db()
    assert topic.moderation_state == "rejected"
    assert client_for(member).get(f"/forums/t/{topic.pk}/").status_code == 404
    assert "Poster ideas" not in client_for(member).get("/forums/f/youth/").content.decode()


def test_hiding_a_flagged_opening_post_of_a_published_topic_leaves_the_topic_and_its_replies(
        member, org_admin, moderator, helplines, start_topic, client_for):
    # Only a new topic is one submission; later, its opening post is moderated like any post.
    topic = start_topic(member, helplines)
    services.reply(actor=org_admin, topic=topic, body="We do too, mostly on weekends.")
    opening = topic.posts.get(number=1)
    services.flag_post(actor=org_admin, post=opening, category="spam")
    moderation_services.decide(actor=moderator, item=_item_for(opening), decision=ModerationItem.Decision.HIDDEN,
                               reason_code="off_topic")

    topic.refresh_from_db()
    assert topic.moderation_state == "approved"
    assert "mostly on weekends" in client_for(org_admin).get(f"/forums/t/{topic.pk}/").content.decode()


def _submission_links(client) -> list[str]:
    import re

    page = client.get("/moderation/mine/").content.decode()
    return re.findall(r'<h2 id="mine-\d+"><a href="([^"]+)">', page)


def test_your_submissions_link_what_the_author_can_open_in_any_state_and_nothing_deleted(
        youth_coordinator, youth_panellist, moderator, forums, start_topic, client_for):
    topic = start_topic(youth_coordinator, forums["youth"])
    waiting = services.reply(actor=youth_panellist, topic=topic, body="Waiting for a look")
    hidden = services.reply(actor=youth_panellist, topic=topic, body="Hidden later")
    moderation_services.decide(actor=moderator, item=_item_for(hidden), decision=ModerationItem.Decision.HIDDEN,
                               reason_code="off_topic")
    rejected_then_deleted = services.reply(actor=youth_panellist, topic=topic, body="Rejected, then deleted")
    moderation_services.decide(actor=moderator, item=_item_for(rejected_then_deleted),
                               decision=ModerationItem.Decision.REJECTED, reason_code="off_topic")
    services.delete_post(actor=youth_panellist, post=rejected_then_deleted)
    withdrawn = services.reply(actor=youth_panellist, topic=topic, body="Deleted while waiting")
    services.delete_post(actor=youth_panellist, post=withdrawn)

    links = _submission_links(client_for(youth_panellist))
    assert sorted(links) == sorted([waiting.get_absolute_url(), hidden.get_absolute_url()])
    for link in links:
        assert client_for(youth_panellist).get(link, follow=True).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_your_submissions_check_their_links_in_a_constant_number_of_queries(
        count, youth_coordinator, youth_panellist, forums, start_topic, client_for, django_assert_max_num_queries):
    topic = start_topic(youth_coordinator, forums["youth"])
    for number in range(count):
        services.reply(actor=youth_panellist, topic=topic, body=f"Reply {number}")
    client = client_for(youth_panellist)
    with django_assert_max_num_queries(26):
        assert len(_submission_links(client)) == count
