"""The weekly digest and one-click unsubscribe."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.digest import DigestItem, register_section, send_digests
from notifications.kinds import Delivery
from notifications.models import DigestDelivery, EmailState, Notification, NotificationPreference
from notifications.services import notify, set_preferences, unsubscribe_token


def _notify(capture, **kwargs):
    with capture(execute=True):
        return notify(**kwargs)


def test_digest_gathers_waiting_items_unread_mentions_and_feature_sections(
    member, test_kinds, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://community.example.org"
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic",
            title="New topic: sextortion trends", url="/forums/t/9/")
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention",
            title="Eleni mentioned you", url="/forums/t/3/")
    read = _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention", title="Read one")
    services.mark_read(user=member, notification_id=read[0].pk)
    register_section(
        "meetings", "Upcoming meetings",
        lambda user, since, until: [
            DigestItem(title="Helpline early warning", url="/meetings/4/", detail="Friday 11:00")
        ],
    )
    mail.outbox.clear()

    assert send_digests() == 1

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "[SIC Community] Your weekly update"
    for text in ("New topic: sextortion trends", "https://community.example.org/forums/t/9/",
                 "Eleni mentioned you", "Upcoming meetings", "Helpline early warning", "Friday 11:00"):
        assert text in message.body
    assert "Read one" not in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://community.example.org/meetings/4/"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(title="New topic: sextortion trends").email_state == EmailState.DIGESTED


def test_digest_escapes_titles_in_html(member, test_kinds, django_capture_on_commit_callbacks):
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic",
            title="<script>alert(1)</script>")

    send_digests()

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_send_digests_twice_in_a_week_sends_once_and_again_next_week(
    member, test_kinds, django_capture_on_commit_callbacks
):
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic", title="First")
    call_command("send_digests", stdout=open("/dev/null", "w"))
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic", title="Second")

    assert send_digests() == 0
    assert len(mail.outbox) == 1
    assert send_digests(now=timezone.now() + timedelta(weeks=1)) == 1
    assert "Second" in mail.outbox[1].body and "First" not in mail.outbox[1].body
    assert DigestDelivery.objects.filter(user=member).count() == 2


def test_members_with_nothing_waiting_get_no_digest(member, test_kinds):
    assert send_digests() == 0
    assert mail.outbox == []


def test_digest_skips_suspended_members_and_those_who_turned_it_off(
    member, org_admin, test_kinds, django_capture_on_commit_callbacks
):
    _notify(django_capture_on_commit_callbacks, recipients=[member, org_admin], kind="test_new_topic", title="New")
    set_preferences(user=member, deliveries={}, weekly_digest=False)
    org_admin.suspended_at = timezone.now()
    org_admin.save(update_fields=["suspended_at"])

    assert send_digests() == 0


def test_unsubscribe_link_works_signed_out_and_only_a_post_acts(member, client, test_kinds):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user=member, scope="test_mention")])

    page = client.get(url)
    assert page.status_code == 200
    assert not NotificationPreference.objects.filter(user=member).exists()
    response = client.post(url)  # what a mail client's one-click POST does: no cookie, no CSRF token

    assert response.status_code == 200
    assert "Mentions" in response.content.decode()
    assert NotificationPreference.objects.get(user=member, kind="test_mention").delivery == Delivery.SITE


def test_digest_unsubscribe_stops_the_digest(member, client, test_kinds, django_capture_on_commit_callbacks):
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic", title="New")

    client.post(reverse("notifications:unsubscribe", args=[unsubscribe_token(user=member, scope="digest")]))

    assert send_digests() == 0


def test_a_tampered_unsubscribe_token_is_refused_and_changes_nothing(member, org_admin, client, test_kinds):
    token = unsubscribe_token(user=member, scope="digest")
    signature = token.rpartition(":")[2]
    forged = unsubscribe_token(user=org_admin, scope="digest").rpartition(":")[0] + ":" + signature

    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "garbage"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    assert not org_admin.__class__.objects.filter(notification_email_settings__weekly_digest=False).exists()


def test_account_mail_cannot_be_unsubscribed(member, client, test_kinds):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user=member, scope="test_account")])

    response = client.post(url)

    assert "cannot be switched off" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()
