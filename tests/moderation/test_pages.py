"""The less travelled pages render what moderators and authors need."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import ModerationItem, Sanction

from .conftest import POST_REGISTRATION, forum_space, make_forum_moderator, write_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected_item(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="Please publish me")
    item = ModerationItem.objects.get(object_id=post.pk)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="off_topic",
                    reason_text="Try the youth forum.")
    return item


def test_a_decided_items_page_shows_the_decision_and_its_history(client_for, rejected_item, forum_moderator):
    page = client_for(forum_moderator).get(reverse("moderation:item", args=[rejected_item.pk])).content.decode()
    assert "Rejected by Forum Mod Fotini" in page
    assert "Try the youth forum." in page
    assert "History of this content" in page
    assert f'action="/moderation/items/{rejected_item.pk}/decide/"' not in page


def test_an_appeal_shows_the_authors_words_and_the_original_decision(client_for, forum, rejected_item,
                                                                     youth_panellist, organisation):
    from tests.factories import make_member

    colleague = make_member(organisation=organisation, display_name="Colleague")
    make_forum_moderator(colleague, forum)
    appeal = services.appeal(actor=youth_panellist, item=rejected_item, text="It is about helplines.")
    page = client_for(colleague).get(reverse("moderation:item", args=[appeal.pk])).content.decode()
    assert "The author appeals:" in page
    assert "It is about helplines." in page
    assert "Original decision: Rejected by Forum Mod Fotini." in page
    services.decide(actor=colleague, item=appeal, decision="rejected", reason_text="Still off topic.")
    mine = client_for(youth_panellist).get(reverse("moderation:my_items")).content.decode()
    assert "Your appeal was decided: Rejected." in mine
    assert "Ask another moderator to look again" not in mine


def test_moderators_see_and_lift_a_members_sanctions_from_the_item_page(client_for, forum, rejected_item,
                                                                        youth_panellist, forum_moderator):
    services.silence_member(actor=forum_moderator, member=youth_panellist, space=forum_space(forum),
                            until=timezone.now() + timedelta(days=1), reason="Cool down",
                            registration=POST_REGISTRATION)
    client = client_for(forum_moderator)
    page = client.get(reverse("moderation:item", args=[rejected_item.pk])).content.decode()
    assert "Sanctions of this member" in page and "Cool down" in page
    sanction = Sanction.objects.get()
    response = client.post(reverse("moderation:sanction_lift", args=[sanction.pk]),
                           {"next": reverse("moderation:item", args=[rejected_item.pk])})
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None


def test_a_member_cannot_lift_a_sanction_by_id(client_for, forum, member, youth_panellist, forum_moderator):
    sanction = services.silence_member(actor=forum_moderator, member=youth_panellist, space=forum_space(forum),
                                       until=timezone.now() + timedelta(days=1), reason="Cool down",
                                       registration=POST_REGISTRATION)
    assert client_for(member).post(reverse("moderation:sanction_lift", args=[sanction.pk])).status_code == 404
    assert client_for(youth_panellist).post(reverse("moderation:sanction_lift", args=[sanction.pk])).status_code == 404
    sanction.refresh_from_db()
    assert sanction.lifted_at is None


def test_the_concern_list_shows_open_concerns_to_their_leads(client_for, youth_panellist, organisation,
                                                             network_coordinator):
    from tests.factories import make_member

    lead = make_member(organisation=organisation)
    services.appoint_safeguarding_lead(actor=network_coordinator, member=lead)
    services.raise_concern(actor=youth_panellist, message="Worried", about_self=True)
    page = client_for(lead).get(reverse("moderation:concerns")).content.decode()
    assert "The person raising it" in page
    assert "Greece" in page
