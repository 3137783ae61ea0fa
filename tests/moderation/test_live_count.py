"""The moderators' live queue count: who is told, what number, when, at what cost; and the
header link it updates."""

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from moderation import selectors, services
from moderation.models import ModerationItem
from notifications import events

from .conftest import make_forum, make_forum_moderator, make_topic, write_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(monkeypatch):
    """Every personal `moderation_queue` count sent to the channel layer: {user id: [counts]}."""
    sent: dict[int, list[int]] = {}

    def record(messages):
        for group, message in messages:
            if message.get("stream") == "moderation_queue":
                user_id = int(group.removeprefix("user-"))
                assert message["key"] == "me"
                sent.setdefault(user_id, []).append(message["payload"]["count"])

    monkeypatch.setattr(events, "_send_all", record)
    return sent


def test_a_held_post_tells_each_moderator_of_its_space_their_new_count(
    django_capture_on_commit_callbacks, pushed, topic, youth_panellist, forum_moderator, other_forum_moderator,
    moderator, network_coordinator,
):
    write_post(author=youth_panellist, topic=topic, body="first")
    with django_capture_on_commit_callbacks(execute=True):
        write_post(author=youth_panellist, topic=topic, body="second")
    assert pushed == {forum_moderator.pk: [2], moderator.pk: [2], network_coordinator.pk: [2]}
    assert other_forum_moderator.pk not in pushed and youth_panellist.pk not in pushed


def test_nothing_is_pushed_for_a_change_that_is_rolled_back(django_capture_on_commit_callbacks, pushed, topic,
                                                          youth_panellist, forum_moderator):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            write_post(author=youth_panellist, topic=topic)
            raise RuntimeError("the reply service failed after saving")
    assert pushed == {}
    assert not ModerationItem.objects.exists()


def test_a_decision_lowers_every_moderators_count_and_counts_their_other_spaces(
    django_capture_on_commit_callbacks, pushed, topic, other_forum, youth_panellist, forum_moderator, moderator,
):
    # The forum moderator also moderates the other forum: that item stays in their count.
    make_forum_moderator(forum_moderator, other_forum)
    write_post(author=youth_panellist, topic=make_topic(forum=other_forum, author=moderator), body="elsewhere")
    write_post(author=youth_panellist, topic=topic, body="here")
    item = ModerationItem.objects.get(content_text="here")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decide(actor=moderator, item=item, decision="approved")
    assert pushed == {forum_moderator.pk: [1], moderator.pk: [1]}


def test_own_items_and_appeals_of_ones_own_decision_are_not_counted(
    django_capture_on_commit_callbacks, pushed, topic, youth_panellist, forum_moderator, moderator,
):
    write_post(author=youth_panellist, topic=topic, body="refused")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(), decision="rejected",
                    reason_text="Please leave out the phone number.")
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal(actor=youth_panellist, item=ModerationItem.objects.get(), text="There is no number.")
    # The appeal goes to another moderator: the one who decided does not count it.
    assert pushed == {forum_moderator.pk: [0], moderator.pk: [1]}


def test_a_bulk_decision_pushes_once(django_capture_on_commit_callbacks, pushed, topic, youth_panellist,
                                     forum_moderator, moderator):
    for n in range(3):
        write_post(author=youth_panellist, topic=topic, body=f"bulk {n}")
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_many(actor=forum_moderator, items=list(ModerationItem.objects.all()),
                                       decision="approved")
    assert decided == 3
    assert pushed == {forum_moderator.pk: [0], moderator.pk: [0]}


def test_deleting_content_withdraws_it_from_the_counts(django_capture_on_commit_callbacks, pushed, topic,
                                                       youth_panellist, forum_moderator, moderator):
    post, _ = write_post(author=youth_panellist, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.withdraw_items_for(post) == 1
    assert pushed == {forum_moderator.pk: [0], moderator.pk: [0]}


def test_a_flag_that_opens_an_item_raises_the_count(django_capture_on_commit_callbacks, pushed, topic, member,
                                                    youth_panellist, forum_moderator, moderator):
    post, _ = write_post(author=member, topic=topic, body="A published reply.")
    assert post.moderation_state == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_content(actor=youth_panellist, target=post, category="spam")
    assert pushed == {forum_moderator.pk: [1], moderator.pk: [1]}


def test_a_channel_layer_that_is_down_never_fails_the_decision(
    django_capture_on_commit_callbacks, monkeypatch, client_for, topic, youth_panellist, forum_moderator,
):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(events, "get_channel_layer", BrokenLayer)
    write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(forum_moderator).post(reverse("moderation:decide", args=[item.pk]),
                                                    {"decision": "approved"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ModerationItem.Status.DECIDED


def test_a_failing_count_never_fails_the_request(django_capture_on_commit_callbacks, monkeypatch, client_for, topic,
                                                 youth_panellist, forum_moderator):
    def broken(items):
        raise RuntimeError("count failed")

    monkeypatch.setattr(services, "pending_counts_after_change", broken)
    write_post(author=youth_panellist, topic=topic)
    item = ModerationItem.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(forum_moderator).post(reverse("moderation:decide", args=[item.pk]),
                                                    {"decision": "approved"})
    assert response.status_code == 302
    assert ModerationItem.objects.get().status == ModerationItem.Status.DECIDED


@pytest.mark.parametrize("size", [1, 10])
def test_counting_costs_the_same_for_few_or_many_moderators_and_items(
    django_assert_num_queries, organisation, topic, youth_panellist, forum_moderator, moderator, size,
):
    from tests.factories import make_member

    for n in range(size):
        make_forum_moderator(make_member(organisation=organisation, display_name=f"Mod {n}"), topic.forum)
        write_post(author=youth_panellist, topic=topic, body=f"post {n}")
        write_post(author=youth_panellist, topic=make_topic(forum=make_forum(f"Forum {n}"), author=moderator))
    changed = [ModerationItem.objects.filter(space_id=topic.forum_id).first()]
    selectors.pending_counts_after_change(changed)  # Warms the process-wide content-type cache.
    # Network moderators, waiting items grouped, and one query per forum with waiting items
    # for its moderators: never one per moderator nor per item.
    forums = size + 1
    with django_assert_num_queries(2 + forums):
        counts = selectors.pending_counts_after_change(changed)
    assert counts[forum_moderator.pk] == size
    assert counts[moderator.pk] == 2 * size
    assert len(counts) == size + 2


def test_pushed_counts_agree_with_the_header_count(rf, topic, other_forum, youth_panellist, forum_moderator,
                                                   other_forum_moderator, moderator):
    write_post(author=youth_panellist, topic=topic)
    write_post(author=youth_panellist, topic=make_topic(forum=other_forum, author=moderator))
    write_post(author=forum_moderator, topic=make_topic(forum=other_forum, author=moderator), body="add me on snap")
    counts = selectors.pending_counts_after_change(list(ModerationItem.objects.all()))
    for person in (forum_moderator, other_forum_moderator, moderator):
        assert counts[person.pk] == selectors.pending_count_for(person), person.display_name


def _header_link(rf, user) -> str:
    request = rf.get("/")
    request.user = user
    return render_to_string("moderation/includes/header_link.html", request=request)


def test_the_header_links_every_moderator_to_the_queue_with_a_live_badge(rf, topic, youth_panellist,
                                                                        forum_moderator, moderator):
    write_post(author=youth_panellist, topic=topic)
    write_post(author=youth_panellist, topic=topic)
    html = _header_link(rf, forum_moderator)
    assert f'href="{reverse("moderation:index")}"' in html
    assert 'data-live-stream="moderation_queue" data-live-key="me">' in html
    assert "data-live-count>2</span>" in html


def test_the_header_link_stays_for_a_moderator_with_nothing_waiting_but_the_badge_is_hidden(rf, forum_moderator,
                                                                                          moderator):
    for person in (forum_moderator, moderator):
        html = _header_link(rf, person)
        assert f'href="{reverse("moderation:index")}"' in html
        assert 'data-live-stream="moderation_queue" data-live-key="me" hidden>' in html
        assert "data-live-count>0</span>" in html


def test_members_who_moderate_nothing_get_no_queue_link(rf, topic, member, youth_panellist, other_forum_moderator):
    write_post(author=youth_panellist, topic=topic)
    for person in (member, youth_panellist):
        assert _header_link(rf, person).strip() == ""
