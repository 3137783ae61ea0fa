"""Moderation decisions and sanctions in the security log: one JSON line each, who did what
to whose content, never the content."""

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import ModerationItem, Sanction

from .conftest import POST_REGISTRATION, forum_space, write_post

pytestmark = pytest.mark.django_db

SECRET_BODY = "Call me on +30 691 234 5678, it is Alexandros"


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def of(self, event: str) -> list[dict]:
        return [record for record in map(json.loads, self.lines) if record["event"] == event]


@pytest.fixture
def security_log():
    handler = _Lines()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_a_decision_is_logged_once_with_who_whose_and_what_never_the_content(
    security_log, topic, youth_panellist, forum_moderator,
):
    write_post(author=youth_panellist, topic=topic, body=SECRET_BODY)
    item = ModerationItem.objects.get()
    client = Client(REMOTE_ADDR="192.0.2.44")
    client.force_login(forum_moderator)
    client.post(reverse("moderation:decide", args=[item.pk]), {
        "decision": "rejected", "reason_code": "personal_information", "reason_text": f"You wrote {SECRET_BODY}",
    })
    [event] = security_log.of("moderation_decision")
    assert event["actor_id"] == forum_moderator.pk
    assert event["user_id"] == youth_panellist.pk
    assert event["item"] == item.pk
    assert event["decision"] == "rejected"
    assert event["preset_reason"] == "personal_information"
    assert event["space"] == f"forum:{topic.forum_id}"
    assert event["ip"] == "192.0.2.44"
    assert "691" not in "".join(security_log.lines)


def test_a_decision_another_moderator_already_took_is_not_logged_again(
    security_log, topic, youth_panellist, forum_moderator, moderator,
):
    write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get()
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    assert not services.decide(actor=moderator, item=item, decision="hidden", reason_text="Off topic")
    [event] = security_log.of("moderation_decision")
    assert event["actor_id"] == forum_moderator.pk and event["decision"] == "approved"


def test_each_decision_of_a_bulk_action_is_logged(security_log, topic,
                                                  youth_panellist, forum_moderator):
    for n in range(3):
        write_post(author=youth_panellist, topic=topic, body=f"bulk {n}")
    services.decide_many(actor=forum_moderator, items=list(ModerationItem.objects.all()), decision="approved")
    events = security_log.of("moderation_decision")
    assert sorted(event["item"] for event in events) == sorted(ModerationItem.objects.values_list("pk", flat=True))


def test_silencing_and_lifting_it_are_logged_without_the_reason(security_log, topic, member, forum_moderator):
    until = timezone.now() + timedelta(days=3)
    sanction = services.silence_member(actor=forum_moderator, member=member, space=forum_space(topic.forum),
                                       until=until, reason="Shared a child's full name",
                                       registration=POST_REGISTRATION)
    [silenced] = security_log.of("member_silenced")
    assert silenced["user_id"] == member.pk and silenced["actor_id"] == forum_moderator.pk
    assert silenced["sanction"] == sanction.pk and silenced["space"] == f"forum:{topic.forum_id}"
    services.lift_sanction(actor=forum_moderator, sanction=sanction)
    [lifted] = security_log.of("sanction_lifted")
    assert lifted["user_id"] == member.pk and lifted["sanction_kind"] == Sanction.Kind.SILENCE
    assert "full name" not in "".join(security_log.lines)


def test_a_suspension_is_logged_once(security_log, member, moderator):
    services.suspend_account(actor=moderator, member=member, reason="Repeated harassment")
    [event] = security_log.of("member_suspended")
    assert event["user_id"] == member.pk
