"""notify(): what is stored, what is emailed at once, what waits for the digest."""

import socket
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import Role
from notifications import services
from notifications.kinds import Delivery, register_kind
from notifications.models import EmailState, Notification
from notifications.services import notify, resend_failed_emails, set_preferences
from tests.factories import make_member


def _notify(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(**kwargs)


def test_a_kind_nobody_registered_is_shown_on_site_and_never_emailed(member, django_capture_on_commit_callbacks):
    created = _notify(django_capture_on_commit_callbacks, recipients=[member], kind="surprise", title="Hello")

    assert [n.kind for n in created] == ["surprise"]
    assert created[0].email_state == EmailState.NONE
    assert mail.outbox == []


def test_default_delivery_applies_until_the_member_chooses_otherwise(
    member, org_admin, test_kinds, django_capture_on_commit_callbacks
):
    set_preferences(user=org_admin, deliveries={"test_mention": Delivery.SITE}, weekly_digest=True)

    _notify(django_capture_on_commit_callbacks, recipients=[member, org_admin], kind="test_mention",
            title="Eleni mentioned you", url="/forums/t/1/")

    assert [message.to for message in mail.outbox] == [[member.email]]
    assert Notification.objects.get(recipient=org_admin).email_state == EmailState.NONE


def test_email_at_once_has_text_html_and_one_click_unsubscribe_headers(
    member, test_kinds, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://community.example.org"

    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention",
            title="Eleni mentioned you", body="Have a look at this case", url="/forums/t/1/")

    (message,) = mail.outbox
    assert message.subject == "[SIC Community] Eleni mentioned you"
    assert "https://community.example.org/forums/t/1/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://community.example.org/forums/t/1/"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://community.example.org/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_title_with_a_line_break_is_emailed_on_one_subject_line(
    member, org_admin, test_kinds, django_capture_on_commit_callbacks
):
    _notify(django_capture_on_commit_callbacks, recipients=[member, org_admin], kind="test_mention",
            title="Eleni mentioned you in\r\nBcc: everyone@example.org")

    assert [message.subject for message in mail.outbox] == [
        "[SIC Community] Eleni mentioned you in Bcc: everyone@example.org"
    ] * 2


def test_account_mail_carries_no_unsubscribe_link(member, test_kinds, django_capture_on_commit_callbacks):
    _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_account", title="Approved")

    (message,) = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers


def test_off_stores_nothing_and_digest_sends_no_email_now(member, test_kinds, django_capture_on_commit_callbacks):
    set_preferences(user=member, deliveries={"test_reply": Delivery.OFF}, weekly_digest=True)

    assert _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_reply", title="Reply") == []
    (waiting,) = _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_new_topic",
                         title="New topic")

    assert waiting.email_state == EmailState.DIGEST_PENDING
    assert Notification.objects.filter(recipient=member).count() == 1
    assert mail.outbox == []


def test_youth_panellist_gets_no_immediate_email_except_account_mail(
    youth_panellist, test_kinds, django_capture_on_commit_callbacks
):
    (mention,) = _notify(django_capture_on_commit_callbacks, recipients=[youth_panellist], kind="test_mention",
                         title="Mentioned")
    _notify(django_capture_on_commit_callbacks, recipients=[youth_panellist], kind="test_account",
            title="Your membership was approved")

    assert mention.email_state == EmailState.DIGEST_PENDING
    assert [message.subject for message in mail.outbox] == ["[SIC Community] Your membership was approved"]


def test_immediate_emails_beyond_the_hourly_cap_wait_for_the_digest(
    member, test_kinds, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_EMAILS_PER_HOUR = 3

    created = [
        _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention", title=f"Mention {n}")[0]
        for n in range(5)
    ]

    assert len(mail.outbox) == 3
    assert [Notification.objects.get(pk=n.pk).email_state for n in created] == (
        [EmailState.SENT] * 3 + [EmailState.DIGEST_PENDING] * 2)


def test_suspended_member_gets_the_notification_stored_but_no_email(
    member, test_kinds, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    member.suspended_at = timezone.now()
    member.save(update_fields=["suspended_at"])

    (stored,) = _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention", title="Hi")

    assert stored.email_state == EmailState.NONE
    assert mail.outbox == []


def test_nothing_is_pushed_or_emailed_when_the_transaction_rolls_back(member, test_kinds,
                                                                       django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipients=[member], kind="test_mention", title="Never sent")
                raise RuntimeError("the caller's action failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_notify_runs_the_same_number_of_queries_for_three_or_thirty_recipients(
    organisation, test_kinds, django_assert_num_queries
):
    register_kind("test_mixed", label="Mixed", default_delivery=Delivery.EMAIL)
    few = [make_member(organisation=organisation) for _ in range(3)]
    many = [make_member(organisation=organisation) for _ in range(30)]
    set_preferences(user=many[1], deliveries={"test_mixed": Delivery.DIGEST}, weekly_digest=True)

    # Preferences, the recipients' roles (for minors), this hour's email count, and the
    # INSERT inside its savepoint (SAVEPOINT, INSERT, RELEASE).
    with django_assert_num_queries(6):
        notify(recipients=few, kind="test_mixed", title="Hello")
    with django_assert_num_queries(6):
        notify(recipients=many, kind="test_mixed", title="Hello")


def test_a_push_to_a_channel_layer_that_is_down_still_stores_and_answers_quickly(
    member, client_for, settings, closed_port, caplog, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": f"redis://127.0.0.1:{closed_port}/0",
                                  "socket_connect_timeout": 0.5, "socket_timeout": 1}]},
        }
    }
    client = client_for(member)
    assert client.get(reverse("notifications:list")).status_code == 200  # warm up imports

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        stored = notify(recipients=[member], kind="role_change", title="You are an org admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:open", args=[stored[0].pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    # Generous: the suite shares two cores with others; a layer that stalled requests (long
    # timeouts, retries with back-off) would take many seconds.
    assert elapsed < 3.0
    # Both pushes were attempted and failed quietly.
    assert [r.message for r in caplog.records if r.name == "notifications.events"] == [
        "Live push of 1 messages failed", "Live push of 1 messages failed"
    ]
    assert client.get(reverse("notifications:list")).status_code == 200
    assert Notification.objects.get(pk=stored[0].pk).read_at is not None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.YOUTH_PANELLIST])
def test_minors_email_default_becomes_the_digest(organisation, role, django_capture_on_commit_callbacks):
    register_kind("test_loud", label="Loud", default_delivery=Delivery.EMAIL)
    person = make_member(organisation=organisation, role=role, services_codes=("youth",))

    (stored,) = _notify(django_capture_on_commit_callbacks, recipients=[person], kind="test_loud", title="Hi")

    expected = EmailState.SENT if role == Role.MEMBER else EmailState.DIGEST_PENDING
    assert Notification.objects.get(pk=stored.pk).email_state == expected


def test_the_redis_layer_waits_for_messages_less_long_than_its_read_timeout(closed_port):
    from notifications.layers import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": f"redis://127.0.0.1:{closed_port}/0", "socket_timeout": 1}])

    # A blocking receive longer than the read timeout would raise TimeoutError in every idle
    # consumer (test_multiprocess proves it against a real Redis).
    assert layer.brpop_timeout == 0.5



def test_sockets_waiting_on_an_unreachable_redis_get_the_error_instead_of_waiting_forever(closed_port):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import redis.exceptions

    from notifications.layers import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": f"redis://127.0.0.1:{closed_port}/0", "socket_timeout": 1,
                                      "socket_connect_timeout": 0.5}])

    async def two_sockets_receive():
        sockets = [await layer.new_channel() for _ in range(2)]
        return await asyncio.wait_for(
            asyncio.gather(*(layer.receive(channel) for channel in sockets), return_exceptions=True), 5)

    # Its own thread and event loop: this test needs no database, so pytest-django runs it after
    # the browser tests, whose Playwright keeps an event loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as thread:
        results = thread.submit(asyncio.run, two_sockets_receive()).result()
    # The consumer closes on the error and the browser falls back to polling, then reconnects.
    assert all(isinstance(result, (ConnectionError, redis.exceptions.ConnectionError)) for result in results)


@pytest.mark.services
async def test_the_redis_layer_delivers_every_push_of_a_large_fan_out_in_order(redis_url):
    import asyncio

    from notifications.layers import RECEIVE_BATCH, RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": redis_url, "socket_timeout": 1}], prefix="test-batch")
    sockets = [await layer.new_channel() for _ in range(3)]
    try:
        # A socket that closed while waiting leaves the process's receiving intact.
        closed = asyncio.ensure_future(layer.receive(sockets[0]))
        await asyncio.sleep(0.1)
        closed.cancel()
        pushes = [(sockets[number % 3], number) for number in range(RECEIVE_BATCH + 100)]
        for channel, number in pushes:
            await layer.send(channel, {"type": "notification.created", "number": number})
        # A group with two sockets of the process: one message naming both.
        for channel in sockets[1:]:
            await layer.group_add("topic-7", channel)
        await layer.group_send("topic-7", {"type": "stream.event", "number": "group"})
        await layer.send(sockets[0], {"type": "notification.created", "number": "last"})
        pushes += [(channel, "group") for channel in sockets[1:]] + [(sockets[0], "last")]

        received = {channel: [] for channel in sockets}
        for channel, _ in pushes:
            received[channel].append((await asyncio.wait_for(layer.receive(channel), 2))["number"])
        assert received == {
            channel: [number for target, number in pushes if target == channel] for channel in sockets
        }
    finally:
        await layer.flush()


@pytest.mark.services
async def test_the_redis_layer_fans_out_to_many_groups_by_channels_redis_rules(redis_url, caplog):
    import asyncio
    import time

    from notifications.layers import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": redis_url, "socket_timeout": 1}], prefix="test-fanout",
                              capacity=3)
    first, second, third = [await layer.new_channel() for _ in range(3)]
    try:
        await layer.group_add("user-1", first)
        await layer.group_add("user-2", second)
        await layer.group_add("user-2", first)
        # A member past the group expiry (a socket of a process that died) gets nothing.
        connection = layer.connection(layer.consistent_hash("user-3"))
        await connection.zadd(layer._group_key("user-3"), {third: time.time() - layer.group_expiry - 10})
        # A message past the message expiry is dropped from the inbox before the new ones.
        inbox = layer.prefix + layer.non_local_name(first)
        await connection.zadd(inbox, {b"stale": time.time() - layer.expiry - 10})

        await layer.group_send_many([
            ("user-1", {"type": "notification.created", "number": 1}),
            ("user-2", {"type": "notification.created", "number": 2}),
            ("user-3", {"type": "notification.created", "number": 3}),
            ("user-4", {"type": "notification.created", "number": 4}),
        ])

        received = [(await asyncio.wait_for(layer.receive(first), 2))["number"] for _ in range(2)]
        received.append((await asyncio.wait_for(layer.receive(second), 2))["number"])
        assert received == [1, 2, 2]
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(third), 0.5)
        assert await connection.zcard(layer._group_key("user-3")) == 0

        # The process's inbox holds three (its capacity): the fourth and fifth are dropped, and said so.
        with caplog.at_level("WARNING", logger="notifications.layers"):
            await layer.group_send_many([("user-1", {"type": "notification.created", "number": n}) for n in range(5)])
        assert "2 of 5 pushes dropped" in caplog.text
        assert [(await asyncio.wait_for(layer.receive(first), 2))["number"] for _ in range(3)] == [0, 1, 2]
    finally:
        await layer.flush()


@pytest.mark.services
async def test_pushes_skip_and_forget_the_sockets_of_a_process_that_stopped(redis_url):
    """A deploy or a crash leaves the old process's sockets in their groups; pushes must not
    keep queueing messages for them."""
    import asyncio

    from notifications.layers import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": redis_url, "socket_timeout": 1}], prefix="test-alive")
    stopped = RedisChannelLayer(hosts=[{"address": redis_url, "socket_timeout": 1}], prefix="test-alive")
    try:
        live_socket = await layer.new_channel()
        old_socket = await stopped.new_channel()
        for channel in (live_socket, old_socket):
            await layer.group_add("user-7", channel)
        # The stopped process's "alive" key lapses, as it does ALIVE_SECONDS after it died.
        old_inbox = stopped.non_local_name(old_socket)
        await layer.connection(0).delete(layer._alive_key(old_inbox))

        await layer.group_send_many([("user-7", {"type": "notification.created", "number": 1})])

        assert (await asyncio.wait_for(layer.receive(live_socket), 2))["number"] == 1
        members = await layer.connection(0).zrange(layer._group_key("user-7"), 0, -1)
        assert [member.decode() for member in members] == [live_socket]
        assert not await layer.connection(0).exists(layer.prefix + old_inbox)
    finally:
        await layer.flush()
        await stopped.flush()


def test_each_stored_row_is_the_returned_one_with_its_recipients_delivery(member, org_admin, moderator, test_kinds):
    # PostgreSQL stores the rows with one INSERT ... SELECT FROM unnest(...): every column
    # and every id must come back as bulk_create would have given them.
    set_preferences(user=org_admin, deliveries={"test_mention": Delivery.DIGEST}, weekly_digest=True)
    set_preferences(user=moderator, deliveries={"test_mention": Delivery.SITE}, weekly_digest=True)

    actor = make_member(display_name="Aoife")
    # Before commit: the email is still queued, as notify() returned it.
    created = notify(recipients=[member, org_admin, moderator, actor], kind="test_mention", title="Mentioned",
                     body="In “Sextortion”", url="/forums/t/7/", actor=actor)

    assert len(created) == 3  # the actor is not told about their own action
    stored = {row.pk: row for row in Notification.objects.filter(kind="test_mention")}
    assert set(stored) == {row.pk for row in created}
    for row in created:
        in_database = stored[row.pk]
        assert in_database.recipient_id == row.recipient_id
        assert (in_database.title, in_database.body, in_database.url) == (
            "Mentioned", "In “Sextortion”", "/forums/t/7/"
        )
        assert (in_database.actor_id, in_database.actor_name) == (actor.pk, "Aoife")
        assert in_database.created_at == row.created_at and in_database.read_at is None
        assert in_database.email_state == row.email_state
        assert in_database.emailed_at == row.emailed_at
    by_recipient = {row.recipient_id: row for row in created}
    assert by_recipient[member.pk].email_state == EmailState.QUEUED and by_recipient[member.pk].emailed_at
    assert by_recipient[org_admin.pk].email_state == EmailState.DIGEST_PENDING
    assert by_recipient[moderator.pk].email_state == EmailState.NONE
    assert actor.pk not in by_recipient


@pytest.fixture
def silent_mail_server():
    """A port that accepts connections and never sends the SMTP greeting (a hung mail server)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_a_mail_server_that_never_answers_costs_the_email_not_the_request(
    member, test_kinds, settings, silent_mail_server, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_mail_server
    settings.EMAIL_TIMEOUT = 1

    started = time.monotonic()
    created = _notify(django_capture_on_commit_callbacks, recipients=[member], kind="test_mention",
                      title="Eleni mentioned you", url="/forums/t/1/")
    elapsed = time.monotonic() - started

    # Without a timeout the greeting is awaited as long as the connection stays open.
    assert elapsed < 5.0
    stored = Notification.objects.get(pk=created[0].pk)
    assert (stored.email_state, stored.emailed_at) == (EmailState.RETRY, None)
    assert "Sending 1 notification emails failed" in [r.getMessage() for r in caplog.records]


def _wait_for_the_background_sender():
    # One thread sends, in order: a job submitted now runs once the earlier ones are done.
    services._email_sender.submit(lambda: None).result(timeout=60)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_that_notifies_never_waits_for_the_mail_server(
    member, test_kinds, settings, silent_mail_server
):
    settings.NOTIFICATION_EMAILS_IN_BACKGROUND = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_mail_server
    settings.EMAIL_TIMEOUT = 3

    started = time.monotonic()
    with transaction.atomic():
        (created,) = notify(recipients=[member], kind="test_mention", title="Eleni mentioned you")
    # Sent in the request, the email would have held it for the whole timeout.
    assert time.monotonic() - started < 1.5
    assert Notification.objects.get(pk=created.pk).email_state == EmailState.QUEUED

    _wait_for_the_background_sender()
    stored = Notification.objects.get(pk=created.pk)
    assert (stored.email_state, stored.emailed_at) == (EmailState.RETRY, None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert resend_failed_emails() == (1, 0)
    assert [message.to for message in mail.outbox] == [[member.email]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_background_sender_emails_each_recipient_once_and_marks_it_sent(member, org_admin, test_kinds,
                                                                           settings):
    settings.NOTIFICATION_EMAILS_IN_BACKGROUND = True

    with transaction.atomic():
        created = notify(recipients=[member, org_admin], kind="test_mention", title="Eleni mentioned you")
    _wait_for_the_background_sender()

    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, org_admin.email])
    assert {(row.email_state, row.emailed_at is not None)
            for row in Notification.objects.filter(pk__in=[n.pk for n in created])} == {(EmailState.SENT, True)}
    assert resend_failed_emails() == (0, 0)
    assert len(mail.outbox) == 2


def test_an_email_a_stopped_process_left_queued_is_sent_by_the_resend_job(member, org_admin, test_kinds):
    with transaction.atomic():
        abandoned = notify(recipients=[member], kind="test_mention", title="Left behind")[0]
        just_queued = notify(recipients=[org_admin], kind="test_mention", title="On its way")[0]
    Notification.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert resend_failed_emails() == (1, 0)

    assert [message.subject for message in mail.outbox] == ["[SIC Community] Left behind"]
    assert Notification.objects.get(pk=abandoned.pk).email_state == EmailState.SENT
    # Still in the hands of its process's sender: not sent twice.
    assert Notification.objects.get(pk=just_queued.pk).email_state == EmailState.QUEUED
    services.send_queued_emails([abandoned, just_queued])
    assert [message.subject for message in mail.outbox] == ["[SIC Community] Left behind",
                                                            "[SIC Community] On its way"]


def test_a_mail_server_that_is_down_delays_every_email_of_the_batch_until_it_is_back(
    member, org_admin, test_kinds, settings, closed_port, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port

    created = _notify(django_capture_on_commit_callbacks, recipients=[member, org_admin], kind="test_mention",
                      title="Eleni mentioned you", url="/forums/t/1/")

    assert {row.email_state for row in Notification.objects.filter(pk__in=[n.pk for n in created])} == {
        EmailState.RETRY}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert resend_failed_emails() == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, org_admin.email])
    assert {(row.email_state, row.emailed_at is not None) for row in Notification.objects.all()} == {
        (EmailState.SENT, True)}
    # Nothing is sent twice.
    assert resend_failed_emails() == (0, 0)
    assert len(mail.outbox) == 2


def test_an_address_the_server_refuses_does_not_stop_the_others(
    organisation, test_kinds, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.refusing_mail.EmailBackend"
    first = make_member(organisation=organisation, email="first@example.org")
    refused = make_member(organisation=organisation, email="refused@example.org")
    last = make_member(organisation=organisation, email="last@example.org")

    created = _notify(django_capture_on_commit_callbacks, recipients=[first, refused, last], kind="test_mention",
                      title="Mentioned")

    assert [message.to for message in mail.outbox] == [["first@example.org"], ["last@example.org"]]
    states = dict(Notification.objects.filter(pk__in=[n.pk for n in created]).values_list("recipient_id",
                                                                                          "email_state"))
    assert states == {first.pk: EmailState.SENT, refused.pk: EmailState.RETRY, last.pk: EmailState.SENT}


def _waiting_for_retry(person, *, hours_ago: float, title: str = "Mentioned") -> Notification:
    notification = Notification.objects.create(recipient=person, kind="test_mention", title=title,
                                               email_state=EmailState.RETRY)
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return notification


def test_a_failed_email_older_than_a_day_waits_for_the_digest_instead(member, test_kinds):
    fresh = _waiting_for_retry(member, hours_ago=23, title="Fresh")
    stale = _waiting_for_retry(member, hours_ago=25, title="Stale")

    assert resend_failed_emails() == (1, 1)

    assert [message.subject for message in mail.outbox] == ["[SIC Community] Fresh"]
    assert Notification.objects.get(pk=fresh.pk).email_state == EmailState.SENT
    assert Notification.objects.get(pk=stale.pk).email_state == EmailState.DIGEST_PENDING


def test_resending_keeps_the_hourly_cap_and_skips_members_suspended_since(organisation, member, test_kinds,
                                                                          settings):
    settings.NOTIFICATION_EMAILS_PER_HOUR = 2
    waiting = [_waiting_for_retry(member, hours_ago=1, title=f"Mention {n}") for n in range(3)]
    suspended = make_member(organisation=organisation)
    suspended.suspended_at = timezone.now()
    suspended.save(update_fields=["suspended_at"])
    not_allowed = _waiting_for_retry(suspended, hours_ago=1)

    assert resend_failed_emails() == (2, 1)

    assert [message.subject for message in mail.outbox] == ["[SIC Community] Mention 0", "[SIC Community] Mention 1"]
    assert [Notification.objects.get(pk=n.pk).email_state for n in waiting] == [
        EmailState.SENT, EmailState.SENT, EmailState.DIGEST_PENDING]
    assert Notification.objects.get(pk=not_allowed.pk).email_state == EmailState.NONE


def test_the_resend_command_reports_what_it_did(member, test_kinds):
    _waiting_for_retry(member, hours_ago=2)
    _waiting_for_retry(member, hours_ago=30)
    output = StringIO()

    call_command("resend_failed_emails", stdout=output)

    assert output.getvalue().strip() == "Sent 1 email(s) again; 1 now wait for the digest."
