"""Who is notified about new topics, replies and mentions, and who is not."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services
from notifications.models import Notification
from tests.factories import make_member


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_mention_notifies_a_reader_of_the_forum_by_display_name(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines)
    services.reply(actor=member, topic=topic, body=f"What do you think, @{org_admin.display_name}?")
    notification = Notification.objects.get(recipient=org_admin)
    assert notification.kind == "forum_mention"
    assert topic.title in notification.title and notification.url.startswith("/forums/p/")


def test_multi_word_display_names_are_mentioned_with_hyphens(member, helplines, start_topic, organisation):
    colleague = make_member(organisation=organisation, display_name="Seán (hotline analyst)")
    start_topic(member, helplines, body="Asking @seán-hotline-analyst to comment.")
    assert _kinds(colleague) == ["forum_mention"]


def test_mentioning_someone_who_cannot_read_the_forum_notifies_nobody(
    member, hotline_analyst, hotlines, youth_panellist
):
    services.create_topic(actor=hotline_analyst, forum=hotlines, title="Takedown times",
                          body=f"@{member.display_name} and @{youth_panellist.display_name} should not hear of this")
    assert _kinds(member) == [] and _kinds(youth_panellist) == []


def test_mentions_inside_code_are_not_mentions(member, org_admin, helplines, start_topic):
    start_topic(member, helplines, body=f"Type `@{org_admin.display_name}` to mention someone.")
    assert _kinds(org_admin) == []


def test_watchers_hear_of_every_reply_and_normal_followers_only_of_replies_to_them(
        member, org_admin, helplines, start_topic, organisation):
    bystander = make_member(organisation=organisation, display_name="Bystander")
    topic = start_topic(member, helplines)  # the author watches by default
    services.set_topic_tracking(user=bystander, topic=topic, level="normal")
    services.reply(actor=org_admin, topic=topic, body="A reply.")
    assert _kinds(member) == ["forum_post"]
    assert _kinds(bystander) == []
    services.reply(actor=org_admin, topic=topic, body="Answering you", quote=topic.posts.get(number=1))
    services.set_topic_tracking(user=member, topic=topic, level="normal")
    bystander_post = services.reply(actor=bystander, topic=topic, body="My view")
    services.reply(actor=org_admin, topic=topic, body="Re", quote=bystander_post)
    assert _kinds(bystander) == ["forum_reply"]


def test_muting_a_topic_silences_even_mentions(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines)
    services.set_topic_tracking(user=org_admin, topic=topic, level="muted")
    services.reply(actor=member, topic=topic, body=f"@{org_admin.display_name} ping")
    assert _kinds(org_admin) == []


def test_forum_watchers_hear_of_new_topics_unless_they_muted_that_forum(member, org_admin, helplines, forums,
                                                                        start_topic, organisation):
    muter = make_member(organisation=organisation)
    services.set_forum_tracking(user=org_admin, forum=helplines, level="watching")
    services.set_forum_tracking(user=muter, forum=helplines, level="muted")
    start_topic(member, helplines)
    start_topic(member, forums["awareness"], title="Elsewhere")
    assert _kinds(org_admin) == ["forum_topic"]
    assert _kinds(muter) == []


def test_the_author_is_never_notified_of_their_own_post(member, helplines, start_topic):
    topic = start_topic(member, helplines, body=f"Note to self @{member.display_name}")
    services.reply(actor=member, topic=topic, body="More")
    assert _kinds(member) == []


def test_watchers_who_lost_access_are_not_notified(member, org_admin, hotline_analyst, hotlines, moderator,
                                                   helplines, start_topic):
    topic = start_topic(member, helplines)
    services.move_topic(actor=moderator, topic=topic, forum=hotlines)
    services.reply(actor=hotline_analyst, topic=topic, body="Now in hotlines")
    assert _kinds(member) == []


def test_many_watchers_are_notified_with_one_insert(member, helplines, start_topic, organisation,
                                                    django_capture_on_commit_callbacks):
    topic = start_topic(member, helplines)
    watchers = [make_member(organisation=organisation) for _ in range(6)]
    for watcher in watchers:
        services.set_topic_tracking(user=watcher, topic=topic, level="watching")
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=member, topic=topic, body="Update for everyone")
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "notifications_notification"')
    ]
    assert len(inserts) == 1
    assert Notification.objects.filter(kind="forum_post").count() == 6


def test_editing_in_a_new_mention_notifies_only_the_newly_mentioned(member, org_admin, helplines, start_topic,
                                                                    organisation):
    other = make_member(organisation=organisation, display_name="Dora")
    topic = start_topic(member, helplines, body=f"Hi @{org_admin.display_name}")
    services.edit_post(actor=member, post=topic.posts.get(), body=f"Hi @{org_admin.display_name} and @Dora")
    assert _kinds(org_admin) == ["forum_mention"] and _kinds(other) == ["forum_mention"]


def test_held_content_notifies_nobody_until_it_is_published(member, org_admin, helplines, start_topic,
                                                            monkeypatch):
    topic = start_topic(member, helplines)

    def hold(*, actor, instance, text=""):
        instance.moderation_state = "pending"
        return ["Held"]

    monkeypatch.setattr(services, "submit_content", hold)
    post = services.reply(actor=org_admin, topic=topic, body="Held reply")
    assert _kinds(member) == []
    post.moderation_state = "approved"
    post.save()
    services.content_published(post)
    assert _kinds(member) == ["forum_post"]
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_an_edit_that_frees_a_held_reply_announces_it_once(member, org_admin, network_coordinator, helplines,
                                                            start_topic, organisation):
    from moderation.models import BlockedPhrase

    BlockedPhrase.objects.create(language="en", phrase="crapware", added_by=network_coordinator)
    colleague = make_member(organisation=organisation, display_name="Colleague")
    topic = start_topic(member, helplines)  # the author watches it
    post = services.reply(actor=org_admin, topic=topic, body=f"@{colleague.display_name} this crapware again")
    assert post.moderation_state == "pending"
    assert _kinds(member) == [] and _kinds(colleague) == []

    services.edit_post(actor=org_admin, post=post, body=f"@{colleague.display_name} this tool again")
    post.refresh_from_db()
    assert post.moderation_state == "approved"
    assert _kinds(member) == ["forum_post"]
    assert _kinds(colleague) == ["forum_mention"]
    services.edit_post(actor=org_admin, post=post, body=f"@{colleague.display_name} this tool again, fixed")
    assert _kinds(colleague) == ["forum_mention"]
