"""The audit log: network coordinators only, filterable, CSV, append-only."""

import csv
import io

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import AuditEntry, ModerationItem

from .conftest import write_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="x")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(object_id=post.pk), decision="rejected",
                    reason_text="=HYPERLINK(\"http://evil\")")
    return post


def test_only_network_coordinators_see_the_audit_log(client_for, decided, network_coordinator, moderator,
                                                      forum_moderator, member):
    assert client_for(network_coordinator).get(reverse("moderation:audit")).status_code == 200
    for person in (moderator, forum_moderator, member):
        assert client_for(person).get(reverse("moderation:audit")).status_code == 404
        assert client_for(person).get(reverse("moderation:audit_csv")).status_code == 404


def test_the_audit_log_filters_by_action_and_actor(client_for, decided, network_coordinator):
    services.add_blocked_phrase(actor=network_coordinator, language="en", phrase="loser")
    client = client_for(network_coordinator)
    page = client.get(reverse("moderation:audit"), {"action": "word_added"}).content.decode()
    assert "en: loser" in page
    assert "Forum Mod Fotini" not in page
    page = client.get(reverse("moderation:audit"), {"actor": "fotini"}).content.decode()
    assert "Forum Mod Fotini" in page
    assert "en: loser" not in page


def test_the_csv_export_has_every_entry_and_neutralises_formulas(client_for, decided, network_coordinator):
    response = client_for(network_coordinator).get(reverse("moderation:audit_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["time (UTC)", "actor", "action"]
    assert len(rows) == 1 + AuditEntry.objects.count()
    rejected = next(row for row in rows if row[2] == "rejected")
    assert rejected[1] == "Forum Mod Fotini"
    assert rejected[8].startswith("'=HYPERLINK")


def test_the_audit_log_cannot_be_edited_or_deleted(decided):
    entry = AuditEntry.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(reason="rewritten")
    assert AuditEntry.objects.get().reason != "rewritten"


def test_the_actors_name_survives_the_account(decided, forum_moderator):
    forum_moderator.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_name == "Forum Mod Fotini"
