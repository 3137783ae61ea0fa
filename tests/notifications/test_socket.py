"""The websocket: who may connect, what they receive, and what closes it."""

import asyncio
import json
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.asgi import application
from community.models import User
from notifications import events
from notifications.consumers import CLOSE_REFUSED, CLOSE_REVOKED, CLOSE_TOO_BIG, CLOSE_TOO_MANY
from notifications.services import mark_read, notify

# Sockets query from worker threads, so data must be committed; countries come from a data
# migration, which serialized_rollback restores after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
async def close_worker_connections():
    """Consumers query from a worker thread; its connection must not outlive the test
    database."""
    yield
    await database_sync_to_async(connections.close_all)()


async def test_anonymous_visitor_is_refused_at_the_socket(socket_for):
    from django.contrib.auth.models import AnonymousUser

    _, connected, code = await socket_for(AnonymousUser())
    assert (connected, code) == (False, CLOSE_REFUSED)


async def test_member_waiting_for_approval_is_refused_at_the_socket(socket_for, newcomer):
    _, connected, code = await socket_for(newcomer)
    assert (connected, code) == (False, CLOSE_REFUSED)


async def test_suspended_member_is_refused_at_the_socket(socket_for, member):
    await database_sync_to_async(User.objects.filter(pk=member.pk).update)(suspended_at=timezone.now())
    suspended = await database_sync_to_async(User.objects.get)(pk=member.pk)
    _, connected, code = await socket_for(suspended)
    assert (connected, code) == (False, CLOSE_REFUSED)


async def test_a_role_that_needs_two_factor_authentication_is_refused_until_it_is_set_up(socket_for, org_admin):
    _, connected, _ = await socket_for(org_admin)
    assert connected

    await database_sync_to_async(Authenticator.objects.filter(user=org_admin).delete)()
    _, connected, code = await socket_for(org_admin)
    assert (connected, code) == (False, CLOSE_REFUSED)


async def test_member_receives_their_own_notification_and_nobody_else_does(socket_for, member, org_admin):
    mine, connected, _ = await socket_for(member)
    theirs, other_connected, _ = await socket_for(org_admin)
    assert connected and other_connected

    created = await database_sync_to_async(notify)(
        recipients=[member], kind="membership_decision", title="Welcome to the Hellenic Helpline", url="/"
    )

    message = await mine.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert message["notification"]["id"] == created[0].pk
    assert message["notification"]["title"] == "Welcome to the Hellenic Helpline"
    assert await theirs.receive_nothing(timeout=0.3)


async def test_clients_cannot_name_another_users_group(socket_for, member, org_admin):
    intruder, _, _ = await socket_for(org_admin)

    await intruder.send_json_to({"type": "subscribe", "group": events.user_group_name(member.pk)})
    assert (await intruder.receive_json_from(timeout=1)) == {"type": "error", "error": "unexpected keys"}
    await intruder.send_json_to({"type": "subscribe", "stream": "user", "key": member.pk})
    reply = await intruder.receive_json_from(timeout=1)
    assert reply["error"] == "unknown stream"

    await database_sync_to_async(notify)(recipients=[member], kind="role_change", title="You are an org admin")
    assert await intruder.receive_nothing(timeout=0.3)


async def test_suspension_mid_connection_closes_the_socket_and_reconnecting_is_refused(socket_for, member):
    communicator, connected, _ = await socket_for(member)
    assert connected

    await database_sync_to_async(User.objects.filter(pk=member.pk).update)(suspended_at=timezone.now())
    # What community.services.suspend_member calls once the suspension commits.
    await database_sync_to_async(events.disconnect_user)(member.pk)

    closed = await communicator.receive_output(timeout=1)
    assert closed == {"type": "websocket.close", "code": CLOSE_REVOKED}
    suspended = await database_sync_to_async(User.objects.get)(pk=member.pk)
    _, connected_again, code = await socket_for(suspended)
    assert (connected_again, code) == (False, CLOSE_REFUSED)


async def test_signing_out_closes_that_members_open_sockets(socket_for, member, org_admin, client):
    communicator, _, _ = await socket_for(member)
    bystander, _, _ = await socket_for(org_admin)
    await sync_to_async(client.force_login)(member)

    response = await sync_to_async(client.post)(reverse("account_logout"))

    assert response.status_code == 302
    assert await communicator.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_REVOKED}
    assert await bystander.receive_nothing(timeout=0.2)


async def test_password_change_closes_that_members_open_sockets(socket_for, member):
    from allauth.account.signals import password_changed

    communicator, _, _ = await socket_for(member)

    await database_sync_to_async(password_changed.send)(sender=User, request=None, user=member)

    assert await communicator.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_REVOKED}


async def test_ending_one_of_a_members_sessions_closes_their_sockets(socket_for, member):
    communicator, _, _ = await socket_for(member)
    other_device = await database_sync_to_async(UserSession.objects.create)(
        user=member, session_key="a" * 32, ip="127.0.0.1", user_agent="test"
    )

    await database_sync_to_async(other_device.end)()

    assert await communicator.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_REVOKED}


def _session_headers(client, user, origin):
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), (b"origin", origin.encode()), (b"host", b"localhost")]


async def test_full_application_accepts_own_origin_and_refuses_a_foreign_one(member, client):
    headers = await sync_to_async(_session_headers)(client, member, "http://localhost")
    own = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await own.connect()
    assert connected
    await own.disconnect()

    foreign_headers = [h for h in headers if h[0] != b"origin"] + [(b"origin", b"https://evil.example")]
    foreign = WebsocketCommunicator(application, "/ws/notifications/", headers=foreign_headers)
    connected, _ = await foreign.connect()
    assert not connected


async def test_a_socket_whose_session_expired_is_closed_before_the_next_push(member):
    sockets = {}
    for device in ("in use", "unattended"):
        browser = Client()
        headers = await sync_to_async(_session_headers)(browser, member, "http://localhost")
        session_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
        await database_sync_to_async(Session.objects.filter(session_key=session_key).update)(
            expire_date=timezone.now() + timedelta(seconds=1)
        )
        communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
        assert (await communicator.connect())[0]
        sockets[device] = (communicator, session_key)
    # The member keeps using the site on one device, which moves that session's expiry on
    # (community.security); the other device's page stays open, untouched.
    await database_sync_to_async(Session.objects.filter(session_key=sockets["in use"][1]).update)(
        expire_date=timezone.now() + timedelta(hours=1)
    )
    await asyncio.sleep(1.2)

    await database_sync_to_async(notify)(recipients=[member], kind="role_change", title="Unattended screen")

    in_use, unattended = sockets["in use"][0], sockets["unattended"][0]
    assert (await in_use.receive_json_from(timeout=2))["notification"]["title"] == "Unattended screen"
    assert await unattended.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_REVOKED}
    await in_use.disconnect()


async def test_full_application_refuses_a_socket_without_a_session():
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_invalid_json_gets_an_error_and_the_socket_stays_open(socket_for, member):
    communicator, _, _ = await socket_for(member)

    await communicator.send_to(text_data="{not json")
    assert await communicator.receive_json_from(timeout=1) == {"type": "error", "error": "invalid JSON"}
    await communicator.send_json_to({"type": "launch"})
    assert await communicator.receive_json_from(timeout=1) == {"type": "error", "error": "unknown type"}
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=1) == {"type": "pong"}


async def test_an_oversized_message_closes_the_socket(socket_for, member):
    communicator, _, _ = await socket_for(member)

    await communicator.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 5000}))

    assert await communicator.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_TOO_BIG}


async def test_more_than_thirty_messages_in_ten_seconds_close_the_socket(socket_for, member):
    communicator, _, _ = await socket_for(member)
    for _ in range(30):
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=1) == {"type": "pong"}

    await communicator.send_json_to({"type": "ping"})

    assert await communicator.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_TOO_MANY}


async def test_marking_read_updates_every_open_tab_of_that_member(socket_for, member):
    created = await database_sync_to_async(notify)(
        recipients=[member], kind="role_change", title="You are an org admin"
    )
    await database_sync_to_async(notify)(recipients=[member], kind="role_change", title="Another")
    first_tab, _, _ = await socket_for(member)
    second_tab, _, _ = await socket_for(member)

    await database_sync_to_async(mark_read)(user=member, notification_id=created[0].pk)

    expected = {"type": "read", "ids": [created[0].pk], "unread_count": 1}
    assert await first_tab.receive_json_from(timeout=1) == expected
    assert await second_tab.receive_json_from(timeout=1) == expected


async def test_stream_subscription_is_checked_and_published_payloads_reach_subscribers(socket_for, member, org_admin,
                                                                                       monkeypatch):
    # A stand-in for the forums' topic stream, for this test only.
    monkeypatch.setattr(events, "_streams", dict(events._streams))
    events.register_stream("topic", may_subscribe=lambda user, key: key == 7 or user.pk == -1)
    follower, _, _ = await socket_for(member)
    bystander, _, _ = await socket_for(org_admin)

    await follower.send_json_to({"type": "subscribe", "stream": "topic", "key": 8})
    assert (await follower.receive_json_from(timeout=1))["error"] == "forbidden"
    await follower.send_json_to({"type": "subscribe", "stream": "topic", "key": 7})
    assert await follower.receive_json_from(timeout=1) == {"type": "subscribed", "stream": "topic", "key": "7"}
    await follower.send_json_to({"type": "subscribe", "stream": "topic", "key": "../user-1"})
    assert (await follower.receive_json_from(timeout=1))["error"] == "invalid stream or key"

    await follower.send_json_to({"type": "subscribe", "stream": "topic", "key": events.PERSONAL_KEY})
    assert (await follower.receive_json_from(timeout=1))["error"] == "invalid stream or key"

    await database_sync_to_async(events.publish)("topic", 7, {"increment": 1, "announce": "1 new reply"})
    await database_sync_to_async(events.publish)("topic", 8, {"increment": 1})

    assert await follower.receive_json_from(timeout=1) == {
        "type": "stream", "stream": "topic", "key": "7", "payload": {"increment": 1, "announce": "1 new reply"},
    }
    assert await follower.receive_nothing(timeout=0.3)
    assert await bystander.receive_nothing(timeout=0.1)


async def test_a_personal_stream_reaches_each_member_with_their_own_payload(socket_for, member, org_admin):
    mine, _, _ = await socket_for(member)
    theirs, _, _ = await socket_for(org_admin)

    await database_sync_to_async(events.publish_to_users)(
        "moderation_queue", {member.pk: {"count": 3}, org_admin.pk: {"count": 0}}
    )

    assert await mine.receive_json_from(timeout=1) == {
        "type": "stream", "stream": "moderation_queue", "key": "me", "payload": {"count": 3},
    }
    assert (await theirs.receive_json_from(timeout=1))["payload"] == {"count": 0}
