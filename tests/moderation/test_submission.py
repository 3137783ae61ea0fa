"""Policies, automatic holds on real submissions, silencing where content is submitted, and
held revisions of approved content."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community.models import Role
from forums.models import Post
from moderation import services
from moderation.models import AuditEntry, ModerationItem, ModerationState
from moderation.registry import Audience, PolicyMode, may_moderate
from tests.factories import make_member

from .conftest import POST_REGISTRATION, PUBLISHED_HOOK_CALLS, edit_post, forum_space, make_topic, write_post

pytestmark = pytest.mark.django_db


def test_youth_panellists_posts_are_pre_moderated_by_default(topic, youth_panellist):
    post, reasons = write_post(author=youth_panellist, topic=topic, body="I think we should make a video.")
    assert post.moderation_state == ModerationState.PENDING
    assert reasons == ["In this space a moderator reads every post before it appears, usually within a day."]
    item = ModerationItem.objects.get(object_id=post.pk)
    assert (item.kind, item.reason, item.status) == ("new", "pre_moderation", "open")
    assert item.space_label == "Helplines CoP"
    assert item.author == youth_panellist
    assert item.content_html == "<p>I think we should make a video.</p>"


def test_staff_posts_are_trusted_and_leave_nothing_in_the_queue(topic, member):
    post, reasons = write_post(author=member, topic=topic, body="Call our line on +30 210 123 4567.")
    assert reasons == []
    assert post.moderation_state == ModerationState.APPROVED
    assert not ModerationItem.objects.exists()


def test_coordinators_and_moderators_are_trusted_even_where_staff_are_pre_moderated(
    topic, forum, youth_coordinator, moderator, network_coordinator, forum_moderator, member
):
    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION, audience=Audience.STAFF,
                        mode=PolicyMode.PRE_MODERATE)
    for person in (youth_coordinator, moderator, network_coordinator, forum_moderator):
        post, reasons = write_post(author=person, topic=topic)
        assert post.moderation_state == ModerationState.APPROVED, person
    post, reasons = write_post(author=member, topic=topic)
    assert post.moderation_state == ModerationState.PENDING


def test_a_policy_for_one_space_overrides_the_content_type_policy(
    topic, forum, other_forum, member, network_coordinator
):
    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION, audience=Audience.STAFF,
                        mode=PolicyMode.POST_MODERATE, space=forum_space(forum))
    post, reasons = write_post(author=member, topic=topic, body="Visible at once, reviewed later.")
    assert post.moderation_state == ModerationState.APPROVED
    assert reasons == []
    item = ModerationItem.objects.get(object_id=post.pk)
    assert (item.kind, item.reason) == ("published", "post_moderation")

    elsewhere, _ = write_post(author=member, topic=make_topic(forum=other_forum, author=member))
    assert not ModerationItem.objects.filter(object_id=elsewhere.pk).exists()


def test_only_network_coordinators_change_policies_and_each_change_is_audited(moderator, network_coordinator):
    from django.http import Http404

    with pytest.raises(Http404):
        services.set_policy(actor=moderator, registration=POST_REGISTRATION, audience=Audience.STAFF,
                            mode=PolicyMode.PRE_MODERATE)
    assert services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION,
                               audience=Audience.STAFF, mode=PolicyMode.PRE_MODERATE)
    assert not services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION,
                                   audience=Audience.STAFF, mode=PolicyMode.PRE_MODERATE)
    entry = AuditEntry.objects.get()
    assert entry.action == "policy_changed"
    assert entry.actor_name == "Nadia"
    assert "TRUSTED → PRE_MODERATE" in entry.reason


@pytest.mark.parametrize(("body", "rule", "told"), [
    ("text me 697 123 4567", "phone", "looks like it contains a phone number"),
    ("my mail is alex at gmail dot com", "email", "looks like it contains an email address"),
    ("come to 12 Main Street", "address", "looks like it contains a street address"),
    ("add me on snap", "handle", "username on another app"),
    ("look at https://bit.ly/free-skins", "link", "link to a website we don't know yet"),
])
def test_contact_data_from_a_youth_panellist_holds_the_post_and_says_why(
    topic, youth_panellist, network_coordinator, body, rule, told
):
    # Trusted by policy, so only the automatic hold can keep it back.
    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION,
                        audience=Audience.YOUTH_PANELLIST, mode=PolicyMode.TRUSTED)
    post, reasons = write_post(author=youth_panellist, topic=topic, body=body)
    assert post.moderation_state == ModerationState.PENDING
    assert any(told in reason for reason in reasons)
    item = ModerationItem.objects.get(object_id=post.pk)
    assert item.reason == "auto_hold"
    assert item.hold_rules == [rule]


def test_a_youth_panellists_harmless_post_is_published_when_the_policy_trusts_them(
    topic, youth_panellist, network_coordinator
):
    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION,
                        audience=Audience.YOUTH_PANELLIST, mode=PolicyMode.TRUSTED)
    post, reasons = write_post(
        author=youth_panellist, topic=topic,
        body="On 11.02.2025 we made a poster about TikTok trends, see betterinternetforkids.europa.eu",
    )
    assert reasons == []
    assert post.moderation_state == ModerationState.APPROVED


def test_a_listed_phrase_holds_a_staff_post_in_any_language(topic, member, network_coordinator):
    services.add_blocked_phrase(actor=network_coordinator, language="el", phrase="ηλίθιος")
    post, reasons = write_post(author=member, topic=topic, body="Είσαι ΗΛΙΘΙΟΣ")
    assert post.moderation_state == ModerationState.PENDING
    assert reasons == [str(services.rules.HOLD_MESSAGES["words"])]
    assert AuditEntry.objects.filter(action="word_added").count() == 1


def test_a_new_members_first_posts_are_held_until_enough_are_approved(forum, member, forum_moderator,
                                                                        network_coordinator):
    topic = make_topic(forum=forum, author=forum_moderator)
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=1)
    first, reasons = write_post(author=member, topic=topic)
    assert first.moderation_state == ModerationState.PENDING
    assert "first posts of new members" in reasons[0]
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=first.pk), decision="approved")
    second, reasons = write_post(author=member, topic=topic)
    assert reasons == []
    assert second.moderation_state == ModerationState.APPROVED


def test_a_silenced_member_cannot_post_in_that_space_until_the_silence_ends(
    topic, forum, other_forum, member, forum_moderator
):
    until = timezone.now() + timedelta(days=3)
    services.silence_member(actor=forum_moderator, member=member, space=forum_space(forum), until=until,
                            reason="Repeated personal attacks", registration=POST_REGISTRATION)
    with pytest.raises(PermissionDenied, match="Repeated personal attacks"):
        write_post(author=member, topic=topic)

    # Other spaces are not affected.
    post, _ = write_post(author=member, topic=make_topic(forum=other_forum, author=forum_moderator))
    assert post.pk is not None

    with mock.patch("django.utils.timezone.now", return_value=until - timedelta(minutes=1)):
        with pytest.raises(PermissionDenied):
            write_post(author=member, topic=topic)
    with mock.patch("django.utils.timezone.now", return_value=until + timedelta(minutes=1)):
        post, reasons = write_post(author=member, topic=topic)
    assert post.moderation_state == ModerationState.APPROVED


def test_a_forum_moderator_cannot_silence_someone_in_another_forum(other_forum, member, forum_moderator):
    with pytest.raises(PermissionDenied):
        services.silence_member(actor=forum_moderator, member=member, space=forum_space(other_forum),
                                until=timezone.now() + timedelta(days=1), reason="x", registration=POST_REGISTRATION)


def test_may_moderate_answers_by_space(topic, member, forum_moderator, other_forum_moderator, moderator,
                                       youth_panellist):
    post, _ = write_post(author=member, topic=topic)
    assert may_moderate(forum_moderator, post)
    assert may_moderate(moderator, post)
    assert not may_moderate(other_forum_moderator, post)
    assert not may_moderate(youth_panellist, post)


# --- Held revisions ----------------------------------------------------------------------------
def test_an_edit_of_approved_content_is_held_while_the_approved_version_stays_visible(
    topic, youth_panellist, forum_moderator
):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Our panel met today.")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()

    reasons = edit_post(actor=youth_panellist, post=post, body="Our panel met today. Text me 697 123 4567")
    assert "phone number" in reasons[0]
    post.refresh_from_db()
    assert post.body == "Our panel met today."
    assert post.moderation_state == ModerationState.APPROVED
    assert Post.objects.filter(pk=post.pk).exists()
    revision = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert revision.kind == "revision"
    assert revision.previous_text == "Our panel met today."
    assert revision.content_text == "Our panel met today. Text me 697 123 4567"


def test_approving_a_held_revision_publishes_it(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="First version")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()
    edit_post(actor=youth_panellist, post=post, body="Second version")
    revision = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert services.decide(actor=forum_moderator, item=revision, decision="approved")
    post.refresh_from_db()
    assert (post.body, post.body_html, post.moderation_state) == ("Second version", "<p>Second version</p>", "approved")


def test_rejecting_a_held_revision_keeps_the_approved_version(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="First version")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()
    edit_post(actor=youth_panellist, post=post, body="Rude version")
    revision = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert services.decide(actor=forum_moderator, item=revision, decision="rejected", reason_code="unkind")
    post.refresh_from_db()
    assert (post.body, post.moderation_state) == ("First version", "approved")


def test_editing_content_still_waiting_replaces_what_the_queue_shows(topic, youth_panellist):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Draft one")
    reasons = edit_post(actor=youth_panellist, post=post, body="Draft two")
    assert reasons
    item = ModerationItem.objects.get(object_id=post.pk)
    assert ModerationItem.objects.filter(object_id=post.pk).count() == 1
    assert (item.kind, item.content_text, item.content_html) == ("new", "Draft two", "<p>Draft two</p>")


def test_a_trusted_authors_edit_is_applied_at_once(topic, member):
    post, _ = write_post(author=member, topic=topic, body="Before")
    assert edit_post(actor=member, post=post, body="After") == []
    post.refresh_from_db()
    assert post.body == "After"
    assert not ModerationItem.objects.exists()


def test_publishing_after_review_calls_the_feature_apps_hook_once(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic)
    assert PUBLISHED_HOOK_CALLS == []
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    assert [published.pk for published in PUBLISHED_HOOK_CALLS] == [post.pk]


def test_visible_to_shows_approved_content_and_the_authors_own_waiting_items(topic, youth_panellist, member):
    published, _ = write_post(author=member, topic=topic)
    waiting, _ = write_post(author=youth_panellist, topic=topic)
    assert set(Post.all_objects.visible_to(youth_panellist)) == {published, waiting}
    assert set(Post.all_objects.visible_to(member)) == {published}
    other_panellist = make_member(organisation=youth_panellist.approved_membership.organisation,
                                  role=Role.YOUTH_PANELLIST)
    assert set(Post.all_objects.visible_to(other_panellist)) == {published}


def test_an_edit_passed_to_submit_content_is_detected_and_held_with_every_changed_field(
    topic, youth_panellist, forum_moderator
):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Approved words")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()
    edited_at = timezone.now().replace(microsecond=0)
    # What an edit service does: new values on the instance, ask moderation, save.
    post.body = "New words, call 697 123 4567"
    post.body_html = "<p>New words, call 697 123 4567</p>"
    post.edited_at = edited_at
    post.edited_by = youth_panellist
    reasons = services.submit_content(actor=youth_panellist, instance=post)
    post.save()
    assert "phone number" in reasons[0]
    post.refresh_from_db()
    assert (post.body, post.edited_at, post.edited_by) == ("Approved words", None, None)

    revision = ModerationItem.objects.get(status="open")
    assert set(revision.proposed_changes) == {"body", "body_html", "edited_at", "edited_by_id"}
    services.decide(actor=forum_moderator, item=revision, decision="approved")
    post.refresh_from_db()
    assert (post.body, post.edited_at, post.edited_by) == ("New words, call 697 123 4567", edited_at, youth_panellist)


# --- Edits never undo or outrun a moderator's decision ---------------------------------------------
def _trust_youth_panellists(network_coordinator):
    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION,
                        audience=Audience.YOUTH_PANELLIST, mode=PolicyMode.TRUSTED)


def test_editing_content_hidden_by_flags_keeps_it_hidden_for_review(
    topic, member, organisation, network_coordinator, forum_moderator
):
    services.update_settings(actor=network_coordinator, flag_threshold=1, new_member_review_count=0)
    post, _ = write_post(author=member, topic=topic, body="Something people reported")
    services.flag_content(actor=make_member(organisation=organisation), target=post, category="spam")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.PENDING

    reasons = edit_post(actor=member, post=post, body="Something people reported, reworded")
    assert "still waiting for a moderator" in reasons[0]
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.PENDING
    item = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (item.reason, item.flag_count, item.content_text) == ("flags", 1, "Something people reported, reworded")
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    post.refresh_from_db()
    assert (post.moderation_state, post.body) == ("approved", "Something people reported, reworded")


def test_editing_rejected_content_submits_it_again_even_from_a_trusted_author(
    topic, member, organisation, network_coordinator, forum_moderator
):
    services.update_settings(actor=network_coordinator, flag_threshold=1, new_member_review_count=0)
    post, _ = write_post(author=member, topic=topic, body="Buy my course")
    services.flag_content(actor=make_member(organisation=organisation), target=post, category="spam")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="rejected",
                    reason_code="off_topic")

    reasons = edit_post(actor=member, post=post, body="Buy my course, please")
    assert "did not publish the earlier version" in reasons[0]
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.PENDING
    assert not Post.objects.filter(pk=post.pk).exists()
    item = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (item.kind, item.content_text) == ("new", "Buy my course, please")


def test_a_new_version_of_appealed_content_replaces_the_appeal_and_is_reviewed_as_new(
    client_for, topic, youth_panellist, forum_moderator
):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Call me 697 123 4567")
    first = ModerationItem.objects.get(object_id=post.pk)
    services.decide(actor=forum_moderator, item=first, decision="rejected", reason_code="personal_information")
    services.appeal(actor=youth_panellist, item=first, text="It is the helpline's number")

    edit_post(actor=youth_panellist, post=post, body="Call the helpline")
    item = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (item.kind, item.appeal_of, item.excluded_moderator, item.content_text) == (
        "new", first, None, "Call the helpline")
    page = client_for(youth_panellist).get(reverse("moderation:my_items")).content.decode()
    assert "You changed it after appealing: a moderator reviews the new version instead." in page
    # The moderator whose decision was appealed may decide the new version.
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    post.refresh_from_db()
    assert (post.moderation_state, post.body) == ("approved", "Call the helpline")
    with pytest.raises(ValidationError, match="already appealed"):
        services.appeal(actor=youth_panellist, item=first, text="Once more")


def test_a_published_edit_withdraws_the_held_edit_it_replaces(topic, youth_panellist, forum_moderator,
                                                               network_coordinator):
    _trust_youth_panellists(network_coordinator)
    post, _ = write_post(author=youth_panellist, topic=topic, body="Hello")
    assert edit_post(actor=youth_panellist, post=post, body="Hello, text me 697 123 4567")
    held = ModerationItem.objects.get(object_id=post.pk, status="open")

    assert edit_post(actor=youth_panellist, post=post, body="Hello, see you at the meeting") == []
    held.refresh_from_db()
    assert held.status == "withdrawn"
    # The outdated edit can no longer be approved over the newer text.
    assert not services.decide(actor=forum_moderator, item=held, decision="approved")
    post.refresh_from_db()
    assert post.body == "Hello, see you at the meeting"


def test_a_published_edit_keeps_a_flagged_held_edit_as_a_review_of_the_visible_version(
    topic, youth_panellist, forum_moderator, network_coordinator, member
):
    _trust_youth_panellists(network_coordinator)
    post, _ = write_post(author=youth_panellist, topic=topic, body="Hello")
    edit_post(actor=youth_panellist, post=post, body="Hello, text me 697 123 4567")
    services.flag_content(actor=member, target=post, category="other")

    edit_post(actor=youth_panellist, post=post, body="Hello again")
    item = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (item.kind, item.reason, item.proposed_changes, item.content_text) == (
        "published", "flags", {}, "Hello again")
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    post.refresh_from_db()
    assert post.body == "Hello again"


def test_the_latest_held_edit_is_the_whole_proposal(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Version one")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()
    services.submit_revision(actor=youth_panellist, instance=post,
                             changes={"body": "Version two", "body_html": "<p>Version two</p>",
                                      "edited_by": youth_panellist})
    post.save()
    # The author edits the approved version again, this time without the field changed before.
    edit_post(actor=youth_panellist, post=post, body="Version three")
    revision = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert set(revision.proposed_changes) == {"body", "body_html"}
    services.decide(actor=forum_moderator, item=revision, decision="approved")
    post.refresh_from_db()
    assert (post.body, post.edited_by) == ("Version three", None)


def test_a_new_members_rule_holds_posts_not_edits(topic, member, network_coordinator):
    post, _ = write_post(author=member, topic=topic, body="Before the rule")
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=5)
    assert edit_post(actor=member, post=post, body="Typo fixed") == []
    post.refresh_from_db()
    assert post.body == "Typo fixed"


def test_taking_out_what_held_a_post_publishes_it_as_a_new_post_would_be(topic, youth_panellist,
                                                                          network_coordinator):
    _trust_youth_panellists(network_coordinator)
    post, reasons = write_post(author=youth_panellist, topic=topic, body="Text me 697 123 4567")
    assert "phone number" in reasons[0]
    held = ModerationItem.objects.get(object_id=post.pk)
    assert edit_post(actor=youth_panellist, post=post, body="Ask me here") == []
    post.refresh_from_db()
    held.refresh_from_db()
    assert (post.moderation_state, held.status) == ("approved", "withdrawn")


def test_editing_a_new_members_held_post_keeps_it_held(forum, member, forum_moderator, network_coordinator):
    topic = make_topic(forum=forum, author=forum_moderator)
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=1)
    post, reasons = write_post(author=member, topic=topic, body="Hello all")
    assert "first posts of new members" in reasons[0]
    assert edit_post(actor=member, post=post, body="Hello everyone")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.PENDING
    assert ModerationItem.objects.get(object_id=post.pk, status="open").content_text == "Hello everyone"


def test_the_queue_names_the_rules_the_waiting_version_matches(topic, youth_panellist):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Text me 697 123 4567")
    assert ModerationItem.objects.get(object_id=post.pk).hold_rules == ["phone"]
    # Still pre-moderated, but the phone number is gone: the queue no longer says it is there.
    assert edit_post(actor=youth_panellist, post=post, body="Ask me here")
    item = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (item.reason, item.hold_rules, item.content_text) == ("pre_moderation", [], "Ask me here")
