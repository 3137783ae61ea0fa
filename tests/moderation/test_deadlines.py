"""Time limits: a reminder after 24 hours, escalation after 72, each sent once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation import services
from moderation.models import AuditEntry, ModerationItem
from notifications.models import Notification

from .conftest import write_post

pytestmark = pytest.mark.django_db


def _waiting_since(item, hours):
    ModerationItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_nothing_happens_before_a_day_has_passed(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic)
    _waiting_since(ModerationItem.objects.get(), 23)
    assert services.send_deadline_reminders() == {"reminded": 0, "escalated": 0, "concerns_escalated": 0}
    assert not Notification.objects.filter(kind="moderation_reminder").exists()


def test_after_a_day_the_spaces_moderators_are_reminded_once(topic, youth_panellist, forum_moderator,
                                                             other_forum_moderator, moderator):
    write_post(author=youth_panellist, topic=topic)
    _waiting_since(ModerationItem.objects.get(), 25)
    out = StringIO()
    call_command("moderation_deadlines", stdout=out)
    call_command("moderation_deadlines", stdout=out)
    reminders = Notification.objects.filter(kind="moderation_reminder")
    assert [note.recipient for note in reminders] == [forum_moderator]
    assert not Notification.objects.filter(kind="moderation_escalation").exists()
    assert "1 reminded" in out.getvalue()


def test_after_three_days_it_is_escalated_to_the_network_moderators_once(
    topic, youth_panellist, forum_moderator, moderator, network_coordinator
):
    write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get()
    _waiting_since(item, 73)
    services.send_deadline_reminders()
    services.send_deadline_reminders()
    escalations = Notification.objects.filter(kind="moderation_escalation")
    assert {note.recipient for note in escalations} == {moderator, network_coordinator}
    assert AuditEntry.objects.filter(action="escalated", item=item).count() == 1


def test_decided_items_are_never_chased(topic, youth_panellist, forum_moderator):
    write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get()
    services.decide(actor=forum_moderator, item=item, decision="approved")
    _waiting_since(item, 100)
    assert services.send_deadline_reminders()["reminded"] == 0


def test_authors_see_pending_review_with_the_expected_time(client_for, topic, youth_panellist):
    post, _ = write_post(author=youth_panellist, topic=topic)
    page = client_for(youth_panellist).get("/moderation/mine/").content.decode()
    assert "Pending review" in page
    expected = timezone.localtime(post.review_expected_by).strftime("%-d %b, %H:%M")
    assert expected in page
