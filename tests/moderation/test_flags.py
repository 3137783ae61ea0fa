"""Flags: once per member, into the right moderators' queue, thresholds, outcomes."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forums.models import Post
from moderation import services
from moderation.models import AuditEntry, Flag, ModerationItem, ModerationState
from notifications.models import Notification
from tests.factories import make_member

from .conftest import edit_post, make_forum, make_topic, write_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_post(topic, member):
    return write_post(author=member, topic=topic, body="A published post people may dislike.")[0]


def _flaggers(organisation, count):
    return [make_member(organisation=organisation) for _ in range(count)]


def test_a_flag_lands_in_the_queue_of_whoever_moderates_that_forum(
    client_for, published_post, youth_panellist, forum_moderator, other_forum_moderator
):
    services.flag_content(actor=youth_panellist, target=published_post, category="bullying", note="Mean to Alex")
    item = ModerationItem.objects.get(object_id=published_post.pk)
    assert (item.kind, item.reason, item.flag_count) == ("published", "flags", 1)
    page = client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    assert "Mean to Alex" in page
    assert "Bullying or harassment" in page
    assert "Mean to Alex" not in client_for(other_forum_moderator).get(reverse("moderation:index")).content.decode()


def test_a_member_flags_an_item_only_once(published_post, youth_panellist):
    services.flag_content(actor=youth_panellist, target=published_post, category="spam")
    with pytest.raises(ValidationError, match="already reported"):
        services.flag_content(actor=youth_panellist, target=published_post, category="other")
    assert Flag.objects.count() == 1
    assert ModerationItem.objects.get().flag_count == 1


def test_members_cannot_flag_their_own_content(published_post, member):
    with pytest.raises(ValidationError):
        services.flag_content(actor=member, target=published_post, category="spam")


def test_a_bad_category_is_refused(published_post, youth_panellist):
    with pytest.raises(ValidationError):
        services.flag_content(actor=youth_panellist, target=published_post, category="boring")


def test_enough_distinct_flags_hide_published_content_pending_review(published_post, organisation,
                                                                    network_coordinator):
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=0)
    Post.all_objects.filter(pk=published_post.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    first, second, third = _flaggers(organisation, 3)
    services.flag_content(actor=first, target=published_post, category="spam")
    services.flag_content(actor=second, target=published_post, category="spam")
    published_post.refresh_from_db()
    assert published_post.moderation_state == ModerationState.APPROVED
    services.flag_content(actor=third, target=published_post, category="bullying")
    published_post.refresh_from_db()
    assert published_post.moderation_state == ModerationState.PENDING
    # The author's "pending review, usually by ..." counts from the hiding, not the first posting.
    assert published_post.review_expected_by > timezone.now() + timedelta(hours=23)
    assert not Post.objects.filter(pk=published_post.pk).exists()
    assert ModerationItem.objects.get().flag_count == 3
    assert AuditEntry.objects.filter(action="auto_hidden").count() == 1


def test_keeping_flagged_content_restores_it_and_tells_flaggers_in_general_terms(
    published_post, organisation, forum_moderator, network_coordinator
):
    services.update_settings(actor=network_coordinator, flag_threshold=2, new_member_review_count=0)
    flaggers = _flaggers(organisation, 2)
    for person in flaggers:
        services.flag_content(actor=person, target=published_post, category="spam")
    item = ModerationItem.objects.get()
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    published_post.refresh_from_db()
    assert published_post.moderation_state == ModerationState.APPROVED
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    outcomes = Notification.objects.filter(kind="flag_outcome")
    assert {note.recipient_id for note in outcomes} == {person.pk for person in flaggers}
    assert all("decided the content can stay" in note.title for note in outcomes)
    assert all("Forum Mod" not in note.title for note in outcomes)


def test_removing_flagged_content_tells_flaggers_action_was_taken(published_post, youth_panellist, forum_moderator):
    services.flag_content(actor=youth_panellist, target=published_post, category="bullying")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(), decision="rejected", reason_code="unkind")
    assert Notification.objects.get(kind="flag_outcome", recipient=youth_panellist).title == (
        "Thank you for your report. A moderator looked at it and took action."
    )


def test_flagging_content_one_cannot_see_is_a_404(client_for, youth_panellist, member):
    secret = make_forum("Hotlines", slug="secret-hotlines")
    post = write_post(author=member, topic=make_topic(forum=secret, author=member))[0]
    with pytest.raises(Http404):
        services.flag_content(actor=youth_panellist, target=post, category="spam")
    content_type = ContentType.objects.get_for_model(Post)
    url = reverse("moderation:flag", args=[content_type.pk, post.pk])
    assert client_for(youth_panellist).post(url, {"category": "spam"}).status_code == 404


def test_the_flag_page_records_a_flag_and_keeps_the_note_on_error(client_for, published_post, youth_panellist):
    content_type = ContentType.objects.get_for_model(Post)
    url = reverse("moderation:flag", args=[content_type.pk, published_post.pk])
    client = client_for(youth_panellist)
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": "", "note": "They posted my photo"})
    assert response.status_code == 400
    assert "They posted my photo" in response.content.decode()
    response = client.post(url, {"category": "personal_information", "note": "They posted my photo"})
    assert response.status_code == 302
    assert Flag.objects.get().category == "personal_information"


def test_refusing_an_edit_leaves_the_flags_on_the_published_version_waiting(
    topic, youth_panellist, member, forum_moderator, network_coordinator
):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Published words")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="approved")
    post.refresh_from_db()
    services.update_settings(actor=network_coordinator, flag_threshold=1, new_member_review_count=0)
    edit_post(actor=youth_panellist, post=post, body="Edited words")
    services.flag_content(actor=member, target=post, category="bullying")  # Lands on the waiting edit.
    revision = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (revision.kind, revision.flag_count) == ("revision", 1)

    assert services.decide(actor=forum_moderator, item=revision, decision="rejected", reason_code="unkind")
    post.refresh_from_db()
    # Hidden by the flag, and still hidden: nobody has decided about the published words yet.
    assert (post.body, post.moderation_state) == ("Published words", ModerationState.PENDING)
    review = ModerationItem.objects.get(object_id=post.pk, status="open")
    assert (review.kind, review.reason, review.flag_count, review.content_text) == (
        "published", "flags", 1, "Published words")
    assert Flag.objects.get().resolved_at is None
    assert Flag.objects.get().item == review
    assert not Notification.objects.filter(recipient=member, kind="flag_outcome").exists()
