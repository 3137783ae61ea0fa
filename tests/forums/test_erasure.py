"""Erasing a member (community.erasure) in the forums: an adult's words stay as "Former member",
a minor's are deleted."""

from community.erasure import erase_member
from forums import services
from forums.models import BlogPost, Draft, Post, Topic, TopicSubscription
from moderation import services as moderation_services
from moderation.models import ModerationItem


def test_an_adults_posts_stay_as_former_member_without_their_name(
        member, org_admin, network_coordinator, helplines, start_topic, client_for):
    topic = start_topic(org_admin, helplines)
    reply = services.reply(actor=member, topic=topic, body="Our chat volunteers see this too.")
    services.edit_post(actor=member, post=reply, body="Our chat volunteers see this often.")
    services.save_draft(user=member, key=f"reply:{topic.pk}", body="half a thought")
    article = services.create_blog_post(actor=member, title="Campaign recap", body="It went well.")
    name, email = member.display_name, member.email

    assert erase_member(actor=network_coordinator, user=member)

    assert Post.all_objects.filter(pk=reply.pk).exists() and BlogPost.all_objects.filter(pk=article.pk).exists()
    assert not Draft.objects.filter(user=member).exists()
    assert not TopicSubscription.objects.filter(user=member).exists()
    assert reply.revisions.get().edited_by_name == "Former member"
    html = client_for(org_admin).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Our chat volunteers see this often." in html and "Former member" in html
    assert name not in html and email not in html


def test_a_minors_topics_replies_and_comments_are_deleted(
        youth_panellist, youth_coordinator, moderator, network_coordinator, forums, start_topic):
    coordinator_topic = start_topic(youth_coordinator, forums["youth"], title="Ideas")
    reply = services.reply(actor=youth_panellist, topic=coordinator_topic, body="My school does a poster day")
    item = ModerationItem.objects.get(object_id=reply.pk, content_type__model="post")
    moderation_services.decide(actor=moderator, item=item, decision=ModerationItem.Decision.APPROVED)
    own_topic = services.create_topic(actor=youth_panellist, forum=forums["youth"], title="Exam stress",
                                      body="Anyone else?")
    coordinator_topic.refresh_from_db()
    assert coordinator_topic.reply_count == 1

    assert erase_member(actor=network_coordinator, user=youth_panellist)

    assert not Post.all_objects.filter(author=youth_panellist).exists()
    assert not Topic.all_objects.filter(pk=own_topic.pk).exists()
    coordinator_topic.refresh_from_db()
    assert coordinator_topic.reply_count == 0 and coordinator_topic.last_poster == youth_coordinator
    assert not ModerationItem.objects.filter(status=ModerationItem.Status.OPEN, author=youth_panellist).exists()
