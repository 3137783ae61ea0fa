"""Decisions: effects, reasons, notifications, scope isolation, races, bulk, appeals, audit."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse

from community.models import Role
from moderation import services
from moderation.models import AuditEntry, ModerationItem, ModerationState
from notifications.models import Notification
from tests.factories import give_totp, make_member, make_organisation
from youth_panels import services as youth_services
from youth_panels.models import YouthPanel

from .conftest import make_forum_moderator, make_topic, write_post

pytestmark = pytest.mark.django_db


def _pending(author, topic, body="Our panel wrote a poem."):
    post, _ = write_post(author=author, topic=topic, body=body)
    return post, ModerationItem.objects.get(object_id=post.pk, status="open")


def test_approving_publishes_and_tells_the_author(topic, youth_panellist, forum_moderator):
    post, item = _pending(youth_panellist, topic)
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.APPROVED
    note = Notification.objects.get(recipient=youth_panellist)
    assert note.kind == "moderation_decision"
    assert note.title == "“Sextortion cases this quarter” is published"


def test_rejecting_needs_a_reason_and_the_author_reads_the_preset_and_the_free_text(
    topic, youth_panellist, forum_moderator
):
    post, item = _pending(youth_panellist, topic, body="add me on snap")
    with pytest.raises(ValidationError):
        services.decide(actor=forum_moderator, item=item, decision="rejected")
    assert services.decide(actor=forum_moderator, item=item, decision="rejected",
                           reason_code="personal_information", reason_text="Just leave out the snap part.")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.REJECTED
    note = Notification.objects.get(recipient=youth_panellist)
    assert "we don't publish those" in note.body
    assert "Just leave out the snap part." in note.body
    assert "ask another moderator to look again" in note.body
    assert note.url == reverse("moderation:my_items")


def test_hiding_takes_content_out_of_view(topic, member, youth_panellist, forum_moderator, network_coordinator):
    from moderation.registry import Audience, PolicyMode

    from .conftest import POST_REGISTRATION

    services.set_policy(actor=network_coordinator, registration=POST_REGISTRATION, audience=Audience.STAFF,
                        mode=PolicyMode.POST_MODERATE)
    post, _ = write_post(author=member, topic=topic)
    item = ModerationItem.objects.get(object_id=post.pk)
    assert services.decide(actor=forum_moderator, item=item, decision="hidden", reason_code="off_topic")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.HIDDEN


def test_nobody_decides_their_own_content(client_for, topic, member, forum_moderator, moderator):
    post, _ = write_post(author=forum_moderator, topic=topic, body="My own flagged words")
    services.flag_content(actor=member, target=post, category="spam")
    item = ModerationItem.objects.get(object_id=post.pk)
    assert "My own flagged words" not in client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    with pytest.raises(PermissionDenied):
        services.decide(actor=forum_moderator, item=item, decision="approved")
    assert services.decide(actor=moderator, item=item, decision="approved")


# --- Scope isolation -------------------------------------------------------------------------
def test_a_forum_moderator_cannot_see_or_decide_another_forums_items_by_url_or_id(
    client_for, topic, other_forum, youth_panellist, forum_moderator, other_forum_moderator
):
    post, item = _pending(youth_panellist, topic, body="Only forum A's moderators see this.")
    client = client_for(other_forum_moderator)
    queue = client.get(reverse("moderation:index"))
    assert queue.status_code == 200
    assert "Only forum A" not in queue.content.decode()
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 404
    response = client.post(reverse("moderation:decide", args=[item.pk]), {"decision": "approved"})
    assert response.status_code == 404
    response = client.post(reverse("moderation:bulk_decide"), {"items": [item.pk], "decision": "approved"})
    assert response.status_code == 404  # Not "already decided by another moderator": it is not theirs.
    item.refresh_from_db()
    assert item.status == "open"
    with pytest.raises(Http404):
        services.decide(actor=other_forum_moderator, item=item, decision="approved")

    own = client_for(forum_moderator)
    assert "Only forum A" in own.get(reverse("moderation:index")).content.decode()
    assert own.get(reverse("moderation:item", args=[item.pk])).status_code == 200


def test_plain_members_see_an_empty_queue_and_no_items(client_for, topic, youth_panellist, member):
    post, item = _pending(youth_panellist, topic, body="Secret waiting text")
    client = client_for(member)
    page = client.get(reverse("moderation:index"))
    assert page.status_code == 200
    assert "Secret waiting text" not in page.content.decode()
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 404


def test_network_moderators_see_every_forums_items(client_for, topic, youth_panellist, moderator):
    _pending(youth_panellist, topic, body="Network sees this")
    assert "Network sees this" in client_for(moderator).get(reverse("moderation:index")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, topic, youth_panellist):
    _post, item = _pending(youth_panellist, topic)
    response = client.get(reverse("moderation:item", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Races -----------------------------------------------------------------------------------
def test_a_second_decision_on_the_same_item_changes_nothing(topic, youth_panellist, forum_moderator, moderator):
    post, item = _pending(youth_panellist, topic)
    stale_copy = ModerationItem.objects.get(pk=item.pk)
    assert services.decide(actor=forum_moderator, item=item, decision="approved")
    assert not services.decide(actor=moderator, item=stale_copy, decision="rejected", reason_code="spam")
    post.refresh_from_db()
    item.refresh_from_db()
    assert post.moderation_state == ModerationState.APPROVED
    assert (item.decision, item.decided_by) == ("approved", forum_moderator)
    assert AuditEntry.objects.filter(item=item).count() == 1
    assert Notification.objects.filter(recipient=youth_panellist).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_deciding_at_the_same_moment_make_exactly_one_decision(on_postgres):
    if not on_postgres:
        pytest.skip("Real concurrent transactions need PostgreSQL (SQLite's test database serialises writers).")
    from community.models import Role

    from .conftest import make_forum

    forum = make_forum("Race forum")
    organisation = make_organisation(country_code="GR")
    first = make_member(organisation=organisation)
    second = make_member(organisation=organisation, extra_roles=[Role.MODERATOR])
    give_totp(second)
    make_forum_moderator(first, forum)
    panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST)
    topic = make_topic(forum=forum, author=first)
    post, item = _pending(panellist, topic)

    barrier = threading.Barrier(2)
    results = []

    def decide_as(actor, decision):
        try:
            barrier.wait()
            results.append(services.decide(actor=actor, item=item, decision=decision, reason_code="spam"))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide_as, args=(first, "approved")),
               threading.Thread(target=decide_as, args=(second, "rejected"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    item.refresh_from_db()
    post.refresh_from_db()
    expected_state = {"approved": "approved", "rejected": "rejected"}[item.decision]
    assert post.moderation_state == expected_state
    assert AuditEntry.objects.filter(item=item).count() == 1


# --- Bulk --------------------------------------------------------------------------------------
def test_bulk_approval_decides_every_selected_item_in_scope(client_for, topic, youth_panellist, forum_moderator):
    items = [_pending(youth_panellist, topic, body=f"Poem {n}")[1] for n in range(3)]
    response = client_for(forum_moderator).post(
        reverse("moderation:bulk_decide"), {"items": [item.pk for item in items[:2]], "decision": "approved"}
    )
    assert response.status_code == 302
    assert [ModerationItem.objects.get(pk=item.pk).status for item in items] == ["decided", "decided", "open"]
    assert AuditEntry.objects.filter(action="approved").count() == 2


def test_bulk_deciding_items_another_moderator_just_decided_says_so(
    client_for, topic, youth_panellist, forum_moderator, moderator
):
    item = _pending(youth_panellist, topic)[1]
    assert services.decide(actor=moderator, item=item, decision="approved")
    response = client_for(forum_moderator).post(
        reverse("moderation:bulk_decide"), {"items": [item.pk], "decision": "rejected", "reason_code": "unkind"},
        follow=True,
    )
    assert "already decided by another moderator" in response.content.decode()
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == ("approved", moderator)


def test_a_non_moderator_bulk_posting_someone_elses_item_gets_not_found(client_for, topic, youth_panellist, member):
    item = _pending(youth_panellist, topic)[1]
    response = client_for(member).post(reverse("moderation:bulk_decide"), {"items": [item.pk], "decision": "approved"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_bulk_rejection_without_a_reason_is_refused_and_nothing_changes(
    client_for, topic, youth_panellist, forum_moderator
):
    item = _pending(youth_panellist, topic)[1]
    response = client_for(forum_moderator).post(
        reverse("moderation:bulk_decide"), {"items": [item.pk], "decision": "rejected", "reason_text": ""}
    )
    assert response.status_code == 400
    assert "Please choose a reason" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_a_rejected_decision_form_keeps_what_the_moderator_typed(client_for, topic, youth_panellist, forum_moderator):
    item = _pending(youth_panellist, topic)[1]
    response = client_for(forum_moderator).post(
        reverse("moderation:decide", args=[item.pk]), {"decision": "bogus", "reason_text": "My careful words"}
    )
    assert response.status_code == 400
    assert "My careful words" in response.content.decode()


# --- Appeals -----------------------------------------------------------------------------------
def test_an_appeal_goes_to_a_different_moderator_once(
    client_for, topic, forum, youth_panellist, forum_moderator, organisation
):
    second_moderator = make_member(organisation=organisation, display_name="Second Mod")
    make_forum_moderator(second_moderator, forum)
    post, item = _pending(youth_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="off_topic")

    appeal = services.appeal(actor=youth_panellist, item=item, text="It is about helplines, really.")
    assert Notification.objects.filter(kind="moderation_appeal", recipient=second_moderator).exists()
    assert not Notification.objects.filter(kind="moderation_appeal", recipient=forum_moderator).exists()
    with pytest.raises(ValidationError):
        services.appeal(actor=youth_panellist, item=item, text="Again!")

    # The first moderator does not see it in their queue and cannot decide it.
    assert "It is about helplines" not in client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    with pytest.raises(PermissionDenied):
        services.decide(actor=forum_moderator, item=appeal, decision="approved")

    assert services.decide(actor=second_moderator, item=appeal, decision="approved")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.APPROVED
    assert list(AuditEntry.objects.filter(item=appeal).values_list("action", flat=True).order_by("id")) == [
        "appealed", "appeal_upheld",
    ]


def test_only_the_author_may_appeal_and_only_refusals(topic, youth_panellist, member, forum_moderator):
    post, item = _pending(youth_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="approved")
    with pytest.raises(PermissionDenied):
        services.appeal(actor=member, item=item, text="Not mine")
    with pytest.raises(ValidationError):
        services.appeal(actor=youth_panellist, item=item, text="It was approved")


def test_the_author_appeals_from_their_submissions_page(client_for, topic, youth_panellist, forum_moderator):
    post, item = _pending(youth_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="unkind")
    client = client_for(youth_panellist)
    page = client.get(reverse("moderation:my_items")).content.decode()
    assert "Some of what you wrote could hurt or upset someone" in page
    assert "Ask another moderator to look again" in page
    response = client.post(reverse("moderation:appeal", args=[item.pk]), {"text": ""})
    assert response.status_code == 400
    response = client.post(reverse("moderation:appeal", args=[item.pk]), {"text": "I meant it kindly."})
    assert response.status_code == 302
    assert ModerationItem.objects.get(appeal_of=item).appeal_text == "I meant it kindly."


def test_nobody_appeals_someone_elses_item_by_id(client_for, topic, youth_panellist, member, forum_moderator):
    post, item = _pending(youth_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="unkind")
    assert client_for(member).post(reverse("moderation:appeal", args=[item.pk]), {"text": "x"}).status_code == 404


# --- Audit completeness ---------------------------------------------------------------------------
def test_each_moderation_action_leaves_exactly_one_audit_entry(
    topic, forum, youth_panellist, member, forum_moderator, moderator, network_coordinator
):
    from datetime import timedelta

    from django.utils import timezone

    from .conftest import POST_REGISTRATION, forum_space

    def entries_after(action_callable):
        before = AuditEntry.objects.count()
        action_callable()
        return AuditEntry.objects.count() - before

    _p1, approve_me = _pending(youth_panellist, topic)
    _p2, reject_me = _pending(youth_panellist, topic)
    _p3, hide_me = _pending(youth_panellist, topic)
    assert entries_after(lambda: services.decide(actor=forum_moderator, item=approve_me, decision="approved")) == 1
    assert entries_after(lambda: services.decide(actor=forum_moderator, item=reject_me, decision="rejected",
                                                 reason_code="spam")) == 1
    assert entries_after(lambda: services.decide(actor=forum_moderator, item=hide_me, decision="hidden",
                                                 reason_code="spam")) == 1
    assert entries_after(lambda: services.appeal(actor=youth_panellist, item=reject_me, text="Please")) == 1
    assert entries_after(lambda: services.silence_member(
        actor=forum_moderator, member=member, space=forum_space(forum), until=timezone.now() + timedelta(days=1),
        reason="Cool down", registration=POST_REGISTRATION)) == 1
    assert entries_after(lambda: services.suspend_account(actor=moderator, member=member, reason="Spam")) == 1
    assert entries_after(lambda: services.update_settings(actor=network_coordinator, flag_threshold=5,
                                                          new_member_review_count=0)) == 1
    assert entries_after(lambda: services.add_blocked_phrase(actor=network_coordinator, language="en",
                                                             phrase="loser")) == 1
    entry = AuditEntry.objects.get(action="approved")
    assert (entry.actor_name, entry.subject_name, entry.space_label) == ("Forum Mod Fotini", "Alex", "Helplines CoP")


def test_the_author_reads_the_decision_in_their_language_where_a_translation_exists(
    topic, organisation, forum_moderator
):
    from community.models import Role

    greek_panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, languages="Greek, English")
    post, item = _pending(greek_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="unkind",
                    reason_text="Be kind.")
    note = Notification.objects.get(recipient=greek_panellist)
    assert note.title == "Το «Sextortion cases this quarter» δεν δημοσιεύτηκε"
    assert note.body.startswith("Κάποια από όσα έγραψες μπορεί να πληγώσουν")
    assert "Be kind." in note.body
    # Someone whose languages have no translation reads English.
    irish_panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, languages="Irish")
    post, item = _pending(irish_panellist, topic)
    services.decide(actor=forum_moderator, item=item, decision="rejected", reason_code="unkind")
    assert (
        Notification.objects.get(recipient=irish_panellist).title == "“Sextortion cases this quarter” was not published"
    )


def test_a_youth_coordinator_cannot_see_or_decide_another_countrys_panel_items(
    client_for, youth_coordinator, youth_panellist, other_organisation
):
    irish_panellist = make_member(organisation=other_organisation, role=Role.YOUTH_PANELLIST,
                                  services_codes=("youth",), display_name="Ciara")
    greek, _ = youth_services.create_post(actor=youth_panellist, panel=YouthPanel.objects.get(country__code="GR"),
                                          title="Greek panel post", body="Hello Greece")
    irish, _ = youth_services.create_post(actor=irish_panellist, panel=YouthPanel.objects.get(country__code="IE"),
                                          title="Irish panel post", body="Hello Ireland")
    greek_item = ModerationItem.objects.get(object_id=greek.pk, title="Greek panel post")
    irish_item = ModerationItem.objects.get(object_id=irish.pk, title="Irish panel post")

    client = client_for(youth_coordinator)
    queue = client.get(reverse("moderation:index")).content.decode()
    assert "Greek panel post" in queue and "Irish panel post" not in queue
    assert client.get(reverse("moderation:item", args=[irish_item.pk])).status_code == 404
    assert client.post(reverse("moderation:decide", args=[irish_item.pk]), {"decision": "approved"}).status_code == 404
    response = client.post(reverse("moderation:bulk_decide"), {"items": [irish_item.pk], "decision": "approved"})
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.decide(actor=youth_coordinator, item=irish_item, decision="approved")
    irish_item.refresh_from_db()
    assert irish_item.status == "open"
    assert services.decide(actor=youth_coordinator, item=greek_item, decision="approved")
