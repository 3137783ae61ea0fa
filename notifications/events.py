"""The one outlet to the channel layer.

Everything here is a *hint* sent after commit: the stored rows are the truth, so a layer that
is down costs a live update, never a request. Failures are logged and swallowed.

Closing a user's sockets
------------------------
``disconnect_user(user_id)`` closes every open socket of that user within a second (the
consumer closes with code 4401). Browsers then reconnect and are authenticated afresh, so
sessions that are still valid come back and ended ones are refused. Call it after logout,
suspension, a password change or an ended session; logout and password changes are wired in
``NotificationsConfig.ready()``. Inside a transaction it waits for the commit.

Live page updates ("streams")
-----------------------------
A feature app lets pages follow something live without ``notifications`` importing it.

1. Register the stream once, in ``AppConfig.ready()``::

       from notifications.events import register_stream

       register_stream("topic", may_subscribe=forums.permissions.can_follow_topic_live)

   ``may_subscribe(user, key) -> bool`` runs in a worker thread (it may query) whenever a socket
   asks to follow ``key``; the user is an approved, unsuspended member. ``key`` is a
   non-negative int or a short slug (``[A-Za-z0-9_-]{1,64}``).

2. Publish from a service; the message leaves after the transaction commits::

       from notifications.events import publish

       publish("topic", topic.pk, {"increment": 1, "announce": _("1 new reply")})

   Keep payloads small and free of anything a subscriber may lose access to: ids, counts and
   short texts; the page fetches details through its own permission-checked views. Payloads
   must be JSON-serialisable and at most ``MAX_STREAM_PAYLOAD`` bytes when encoded.

3. In the template, mark the element that follows the stream; ``static/js/notifications.js``
   subscribes for it (the server names the group; clients never do)::

       <p data-live-stream="topic" data-live-key="{{ topic.pk }}" hidden>
         <a href="?latest"><span data-live-count>0</span> new replies</a>
       </p>

   On each message the script adds ``payload.increment`` to, or sets ``payload.count`` as,
   the text of ``[data-live-count]``, shows the element while that count is above zero (an
   element without a counter is simply shown), announces ``payload.announce`` in the page's
   ``aria-live`` region and dispatches a ``notifications:stream`` DOM event on the element
   (``event.detail`` = ``{stream, key, payload}``) for anything custom.

Personal streams
----------------
What differs per person (the number of items waiting in *this* moderator's queue) goes to
each person's own group instead; there is nothing to register or subscribe to::

    from notifications.events import publish_to_users

    publish_to_users("moderation_queue", {moderator.pk: {"count": 4} for moderator in moderators})

and the template marks the element with the key ``me``::

    <a href="..." data-live-stream="moderation_queue" data-live-key="me" {% if not count %}hidden{% endif %}>
      Moderation <span data-live-count>{{ count }}</span></a>
"""

import asyncio
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MAX_STREAM_PAYLOAD = 2048
_STREAM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_STREAM_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# The key of personal streams: each user receives their own payload over their own group.
PERSONAL_KEY = "me"
# A few sends run at once: enough to overlap Redis round trips, few enough not to open a
# connection storm. After the first failure the rest are dropped, so a dead layer costs one
# connect timeout, not one per recipient.
_CONCURRENT_SENDS = 8


def user_group_name(user_id: int) -> str:
    """The server names groups; clients never do."""
    return f"user-{user_id}"


def safe_link(url: str) -> str:
    """Only site-relative links reach the browser; anything else opens the list instead."""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return ""


def notification_payload(notification) -> dict:
    """The JSON shape of a notification, identical over the socket and the feed endpoint."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body[:300],
        "url": safe_link(notification.url),
        "actor_name": notification.actor_name,
        "created_at": notification.created_at.isoformat() if notification.created_at else None,
        "is_read": notification.read_at is not None,
    }


def _send_all(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send():
        if hasattr(layer, "group_send_many"):
            # The Redis layer batches them: a few round trips for any number of groups.
            await layer.group_send_many(messages)
            return
        pending = iter(messages)

        async def worker():
            for group, message in pending:
                await layer.group_send(group, message)

        workers = [asyncio.ensure_future(worker()) for _ in range(min(_CONCURRENT_SENDS, len(messages)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()

    try:
        async_to_sync(send)()
    except Exception:  # noqa: BLE001 - any layer failure must not surface to the user
        logger.warning("Live push of %d messages failed", len(messages), exc_info=True)


def push_notifications(notifications) -> None:
    """Tell each recipient's open sockets that a notification arrived."""
    _send_all(
        [
            (
                user_group_name(notification.recipient_id),
                {"type": "notification.created", "notification": notification_payload(notification)},
            )
            for notification in notifications
        ]
    )


def push_read_state(*, user_id: int, ids=None, unread_count: int) -> None:
    """Every open tab of the user updates its bell; `ids=None` means all were read."""
    _send_all(
        [
            (
                user_group_name(user_id),
                {
                    "type": "notification.read",
                    "ids": list(ids) if ids is not None else None,
                    "unread_count": unread_count,
                },
            )
        ]
    )


def disconnect_user(user_id: int) -> None:
    """Close every open socket of the user (after the current transaction commits)."""
    transaction.on_commit(
        lambda: _send_all([(user_group_name(user_id), {"type": "session.revoked"})]), robust=True
    )


# --- Streams --------------------------------------------------------------------------


@dataclass(frozen=True)
class Stream:
    name: str
    may_subscribe: Callable


_streams: dict[str, Stream] = {}


def register_stream(name: str, *, may_subscribe: Callable) -> Stream:
    if not _STREAM_NAME.match(name):
        raise ValueError(f"Stream name {name!r} must match {_STREAM_NAME.pattern}.")
    stream = Stream(name=name, may_subscribe=may_subscribe)
    _streams[name] = stream
    return stream


def get_stream(name) -> Stream | None:
    return _streams.get(name) if isinstance(name, str) else None


def normalise_stream_key(key) -> str | None:
    """The key as it appears in a group name, or None when a client sent something else."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return str(key) if 0 <= key < 10**18 else None
    if isinstance(key, str) and _STREAM_KEY.match(key) and key != PERSONAL_KEY:
        return key
    return None


def stream_group_name(name: str, key) -> str:
    normalised = normalise_stream_key(key)
    if normalised is None or name not in _streams:
        raise ValueError(f"Not a registered stream and valid key: {name!r} {key!r}")
    return f"stream.{name}.{normalised}"


def publish(stream: str, key, payload: dict) -> None:
    """Send `payload` to everyone following `stream`/`key`, once the transaction commits."""
    group = stream_group_name(stream, key)
    if len(json.dumps(payload)) > MAX_STREAM_PAYLOAD:
        raise ValueError(f"Stream payload larger than {MAX_STREAM_PAYLOAD} bytes.")
    message = {"type": "stream.event", "stream": stream, "key": normalise_stream_key(key), "payload": payload}
    transaction.on_commit(lambda: _send_all([(group, message)]), robust=True)


def publish_to_users(stream: str, payloads: dict[int, dict]) -> None:
    """Send each user (by id) their own payload on the personal `stream`, once the
    transaction commits; pages follow it with ``data-live-key="me"``."""
    if not _STREAM_NAME.match(stream):
        raise ValueError(f"Stream name {stream!r} must match {_STREAM_NAME.pattern}.")
    messages = []
    for user_id, payload in payloads.items():
        if len(json.dumps(payload)) > MAX_STREAM_PAYLOAD:
            raise ValueError(f"Stream payload larger than {MAX_STREAM_PAYLOAD} bytes.")
        messages.append(
            (
                user_group_name(user_id),
                {"type": "stream.event", "stream": stream, "key": PERSONAL_KEY, "payload": payload},
            )
        )
    transaction.on_commit(lambda: _send_all(messages), robust=True)
