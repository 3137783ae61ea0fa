"""Coordinators' settings page, the dashboard panel and the personal-data export."""

import pytest
from django.urls import reverse

from community.export import personal_data_of
from moderation import services
from moderation.models import AuditEntry, BlockedPhrase, ModerationPolicy, ModerationSettings
from moderation.permissions import SAFEGUARDING_LEAD

from .conftest import write_post

pytestmark = pytest.mark.django_db


def test_only_network_coordinators_open_the_settings(client_for, network_coordinator, moderator, forum_moderator):
    assert client_for(network_coordinator).get(reverse("moderation:settings")).status_code == 200
    for person in (moderator, forum_moderator):
        assert client_for(person).get(reverse("moderation:settings")).status_code == 404
        response = client_for(person).post(reverse("moderation:settings_action", args=["phrase"]),
                                           {"language": "en", "phrase": "x"})
        assert response.status_code == 404
    assert not BlockedPhrase.objects.exists()


def test_coordinators_set_a_policy_for_one_forum(client_for, forum, network_coordinator):
    response = client_for(network_coordinator).post(reverse("moderation:settings_action", args=["policy"]), {
        "content": "forums.post", "space": f"forum:{forum.pk}", "audience": "staff", "mode": "post",
    })
    assert response.status_code == 302
    policy = ModerationPolicy.objects.get()
    assert (policy.space_key, policy.space_label, policy.mode) == (f"forum:{forum.pk}", "Helplines CoP", "post")
    assert AuditEntry.objects.get().action == "policy_changed"


def test_a_policy_for_a_space_where_that_content_is_never_posted_is_refused(client_for, forum, network_coordinator):
    response = client_for(network_coordinator).post(reverse("moderation:settings_action", args=["policy"]), {
        "content": "forums.blogpost", "space": f"forum:{forum.pk}", "audience": "staff", "mode": "pre",
    })
    assert response.status_code == 400
    assert "This kind of content is not posted in that space." in response.content.decode()
    assert not ModerationPolicy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_coordinators_edit_word_lists_and_thresholds(client_for, network_coordinator):
    client = client_for(network_coordinator)
    client.post(reverse("moderation:settings_action", args=["phrase"]), {"language": "el", "phrase": "ηλίθιος"})
    duplicate = client.post(reverse("moderation:settings_action", args=["phrase"]),
                            {"language": "el", "phrase": "ηλίθιος"})
    assert duplicate.status_code == 400
    assert "already on the list" in duplicate.content.decode()
    entry = BlockedPhrase.objects.get()
    client.post(reverse("moderation:phrase_remove", args=[entry.pk]))
    assert not BlockedPhrase.objects.exists()
    client.post(reverse("moderation:settings_action", args=["settings"]),
                {"flag_threshold": "5", "new_member_review_count": "2"})
    current = ModerationSettings.current()
    assert (current.flag_threshold, current.new_member_review_count) == (5, 2)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "word_added", "word_removed", "settings_changed",
    ]


def test_coordinators_appoint_safeguarding_leads_by_email(client_for, network_coordinator, member):
    response = client_for(network_coordinator).post(reverse("moderation:settings_action", args=["lead"]),
                                                    {"email": member.email})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.groups.filter(name=SAFEGUARDING_LEAD).exists()


def test_the_dashboard_shows_what_waits_for_a_moderator_and_for_an_author(
    client_for, topic, youth_panellist, forum_moderator, member
):
    write_post(author=youth_panellist, topic=topic)
    assert "1 item waits for your decision" in client_for(forum_moderator).get("/").content.decode()
    assert "1 of your posts is pending review" in client_for(youth_panellist).get("/").content.decode()
    assert "waits for your decision" not in client_for(member).get("/").content.decode()


def test_the_personal_data_export_has_the_members_moderation_records(topic, youth_panellist, member):
    write_post(author=youth_panellist, topic=topic, body="mine")
    services.raise_concern(actor=youth_panellist, message="About someone")
    services.raise_concern(actor=member, message="About Alex", about_user=youth_panellist)
    data = personal_data_of(youth_panellist)["moderation"]
    assert [row["title"] for row in data["submissions"]] == ["Sextortion cases this quarter"]
    # Concerns others raised about the member stay with the safeguarding leads.
    assert [row["message"] for row in data["concerns_raised"]] == ["About someone"]


def test_the_demo_loader_can_run_twice(member):
    from moderation.demo import load_demo

    load_demo()
    load_demo()
    assert BlockedPhrase.objects.filter(language="en", phrase="kill yourself").count() == 1
