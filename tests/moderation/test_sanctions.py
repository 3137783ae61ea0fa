"""Sanctions: silencing in a space and account suspension, shown to the member, ending on time."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import AuditEntry, ModerationItem, Sanction
from notifications.models import Notification

from .conftest import POST_REGISTRATION, forum_space, write_post

pytestmark = pytest.mark.django_db


def test_silencing_needs_a_reason_and_an_end_in_the_future(forum, member, forum_moderator):
    space = forum_space(forum)
    with pytest.raises(ValidationError):
        services.silence_member(actor=forum_moderator, member=member, space=space, reason="",
                                until=timezone.now() + timedelta(days=1), registration=POST_REGISTRATION)
    with pytest.raises(ValidationError):
        services.silence_member(actor=forum_moderator, member=member, space=space, reason="Spam",
                                until=timezone.now() - timedelta(minutes=1), registration=POST_REGISTRATION)
    assert not Sanction.objects.exists()


def test_the_silenced_member_is_told_the_end_date_and_reason(client_for, forum, member, forum_moderator):
    until = timezone.now() + timedelta(days=2)
    services.silence_member(actor=forum_moderator, member=member, space=forum_space(forum), until=until,
                            reason="Please cool down", registration=POST_REGISTRATION)
    note = Notification.objects.get(recipient=member, kind="sanction")
    assert "Helplines CoP" in note.title
    assert note.body == "Please cool down"
    page = client_for(member).get(reverse("moderation:my_items")).content.decode()
    assert "You can read but not post in Helplines CoP until" in page
    assert "Please cool down" in page


def test_a_silence_ends_on_time_without_anyone_lifting_it(forum, member, forum_moderator):
    until = timezone.now() + timedelta(hours=6)
    sanction = services.silence_member(actor=forum_moderator, member=member, space=forum_space(forum), until=until,
                                       reason="Cool down", registration=POST_REGISTRATION)
    with mock.patch("django.utils.timezone.now", return_value=until - timedelta(seconds=1)):
        assert services.active_silence(member, forum_space(forum)) == sanction
    with mock.patch("django.utils.timezone.now", return_value=until):
        assert services.active_silence(member, forum_space(forum)) is None


def test_a_moderator_lifts_a_silence_early_and_the_member_may_post_again(topic, forum, member, forum_moderator):
    sanction = services.silence_member(actor=forum_moderator, member=member, space=forum_space(forum),
                                       until=timezone.now() + timedelta(days=1), reason="x",
                                       registration=POST_REGISTRATION)
    assert services.lift_sanction(actor=forum_moderator, sanction=sanction)
    assert not services.lift_sanction(actor=forum_moderator, sanction=sanction)
    post, _ = write_post(author=member, topic=topic)
    assert post.pk
    assert AuditEntry.objects.filter(action="sanction_lifted").count() == 1


def test_network_moderators_suspend_accounts_with_a_reason_and_end_date(client_for, topic, member, youth_panellist,
                                                                        moderator):
    until = timezone.now() + timedelta(days=7)
    sanction = services.suspend_account(actor=moderator, member=youth_panellist, reason="Shared explicit images",
                                        until=until)
    youth_panellist.refresh_from_db()
    assert youth_panellist.is_suspended
    assert youth_panellist.suspension_reason == "Shared explicit images"
    assert sanction.ends_at == until
    assert AuditEntry.objects.get(action="suspended").subject_name == "Alex"
    # Already suspended: nothing more happens.
    assert services.suspend_account(actor=moderator, member=youth_panellist, reason="Again") is None
    assert AuditEntry.objects.filter(action="suspended").count() == 1


def test_forum_moderators_cannot_suspend_accounts(client_for, topic, member, youth_panellist, forum_moderator):
    with pytest.raises(PermissionDenied):
        services.suspend_account(actor=forum_moderator, member=youth_panellist, reason="No")
    post, _ = write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get(object_id=post.pk)
    response = client_for(forum_moderator).post(reverse("moderation:suspend", args=[item.pk]), {"reason": "No"})
    assert response.status_code == 403
    youth_panellist.refresh_from_db()
    assert not youth_panellist.is_suspended


def test_a_suspension_ends_on_time(member, moderator):
    until = timezone.now() + timedelta(days=1)
    services.suspend_account(actor=moderator, member=member, reason="Spam", until=until)
    member.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=1)):
        assert not member.is_suspended


def test_silencing_from_the_item_page(client_for, topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get(object_id=post.pk)
    client = client_for(forum_moderator)
    response = client.post(reverse("moderation:silence", args=[item.pk]), {"until": "", "reason": "Keep this"})
    assert response.status_code == 400
    assert "Keep this" in response.content.decode()
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("moderation:silence", args=[item.pk]), {"until": until, "reason": "Keep this"})
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.user, sanction.space_label) == (youth_panellist, "Helplines CoP")
