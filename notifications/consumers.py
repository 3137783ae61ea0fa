import json
import logging
import time
from collections import deque
from importlib import import_module

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from . import events

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 2048
RATE_LIMIT_MESSAGES = 30
RATE_LIMIT_SECONDS = 10.0
MAX_SUBSCRIPTIONS = 20

# Close codes the client understands (4000-4999 are the application's own).
CLOSE_REFUSED = 4403
CLOSE_REVOKED = 4401
CLOSE_TOO_BIG = 4413
CLOSE_TOO_MANY = 4429
CLOSE_LAYER_DOWN = 4503

# The incoming schema: message type -> the keys it may carry.
_MESSAGE_KEYS = {
    "ping": {"type"},
    "subscribe": {"type", "stream", "key"},
    "unsubscribe": {"type", "stream", "key"},
}


def may_connect(user) -> bool:
    """The gate community.middleware.MembersOnlyMiddleware applies to every request, which
    sockets do not pass: approved, unsuspended, and with a second factor where the role
    requires one."""
    from community.permissions import requires_mfa

    if not (
        user is not None
        and user.is_authenticated
        and user.is_active
        and not getattr(user, "is_suspended", False)
        and getattr(user, "is_approved_member", False)
    ):
        return False
    return not requires_mfa(user) or has_second_factor(user)


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey; recovery codes alone are a fallback, not a factor."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def session_expiry(session_key: str, user_id: int):
    """When the stored session expires, or None when it is gone, expired or not this user's.
    (Sessions live in the database: see SESSION_ENGINE.)"""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    session = (
        store_class.get_model_class()
        .objects.filter(session_key=session_key, expire_date__gt=timezone.now())
        .first()
    )
    if session is None or store_class().decode(session.session_data).get(SESSION_KEY) != str(user_id):
        return None
    return session.expire_date


def invalid_reason(message) -> str | None:
    """Why a decoded message does not fit the schema, or None when it does."""
    if not isinstance(message, dict):
        return "not an object"
    allowed = _MESSAGE_KEYS.get(message.get("type"))
    if allowed is None:
        return "unknown type"
    if set(message) - allowed:
        return "unexpected keys"
    if message["type"] in ("subscribe", "unsubscribe"):
        if not isinstance(message.get("stream"), str) or events.normalise_stream_key(message.get("key")) is None:
            return "invalid stream or key"
    return None


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Pushes the signed-in member's notifications and the streams they follow.

    Clients never name groups: the user's group comes from the session, stream groups from a
    registered stream and a validated key after its `may_subscribe` check.
    """

    async def dispatch(self, message):
        # Channels runs close_old_connections in a worker thread before every message; with
        # hundreds of sockets on a process, that thread hop per push was a fifth of daphne's
        # time while fanning out. Here the database is reached only through
        # database_sync_to_async, which closes stale connections itself around each call.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.user = self.scope.get("user")
        self.group_names: set[str] = set()
        self.received_at: deque[float] = deque()
        # A socket outlives the page that opened it, and its session may expire meanwhile
        # (the idle limit of community.security); ended sessions close their sockets at once
        # (events.disconnect_user). Sockets authenticated without a session (tests put the
        # user in the scope) have none to follow; through AuthMiddlewareStack every signed-in
        # socket has one.
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        if not await database_sync_to_async(may_connect)(self.user):
            await self.close(code=CLOSE_REFUSED)
            return
        if self.session_key:
            self.session_expires_at = await database_sync_to_async(session_expiry)(self.session_key, self.user.pk)
            if self.session_expires_at is None:
                await self.close(code=CLOSE_REFUSED)
                return
        try:
            await self._join(events.user_group_name(self.user.pk))
        except Exception:  # noqa: BLE001 - the client falls back to polling
            logger.warning("Channel layer unavailable; refusing socket", exc_info=True)
            await self.close(code=CLOSE_LAYER_DOWN)
            return
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "group_names", ()):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001 - the group expires on its own
                logger.info("Could not leave group %s", group, exc_info=True)

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.group_names.add(group)

    # --- incoming -------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        now = time.monotonic()
        self.received_at.append(now)
        while self.received_at and self.received_at[0] < now - RATE_LIMIT_SECONDS:
            self.received_at.popleft()
        if len(self.received_at) > RATE_LIMIT_MESSAGES:
            await self.close(code=CLOSE_TOO_MANY)
            return
        if bytes_data is not None or text_data is None:
            await self.send_json({"type": "error", "error": "text frames only"})
            return
        if len(text_data.encode()) > MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "error": "invalid JSON"})
            return
        reason = invalid_reason(message)
        if reason:
            await self.send_json({"type": "error", "error": reason})
            return
        await self.receive_json(message)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "subscribe":
            await self._subscribe(content["stream"], content["key"])
        elif kind == "unsubscribe":
            await self._unsubscribe(content["stream"], content["key"])

    async def _subscribe(self, name, key):
        stream = events.get_stream(name)
        reply = {"stream": name, "key": events.normalise_stream_key(key)}
        if stream is None:
            await self.send_json({"type": "error", "error": "unknown stream", **reply})
            return
        group = events.stream_group_name(name, key)
        if group in self.group_names:
            await self.send_json({"type": "subscribed", **reply})
            return
        if len(self.group_names) > MAX_SUBSCRIPTIONS:
            await self.send_json({"type": "error", "error": "too many subscriptions", **reply})
            return
        if not await database_sync_to_async(stream.may_subscribe)(self.user, key):
            await self.send_json({"type": "error", "error": "forbidden", **reply})
            return
        await self._join(group)
        await self.send_json({"type": "subscribed", **reply})

    async def _unsubscribe(self, name, key):
        if events.get_stream(name) is None:
            return
        group = events.stream_group_name(name, key)
        if group in self.group_names:
            self.group_names.discard(group)
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.send_json({"type": "unsubscribed", "stream": name, "key": events.normalise_stream_key(key)})

    # --- from the channel layer -----------------------------------------------------

    async def _forward(self, message: dict) -> None:
        # Activity on the site moves the expiry on; only once the known one has passed is it
        # read again, so pushes cost no query.
        if self.session_key and timezone.now() >= self.session_expires_at:
            self.session_expires_at = await database_sync_to_async(session_expiry)(self.session_key, self.user.pk)
            if self.session_expires_at is None:
                await self.close(code=CLOSE_REVOKED)
                return
        await self.send_json(message)

    async def notification_created(self, event):
        await self._forward({"type": "notification", "notification": event["notification"]})

    async def notification_read(self, event):
        await self._forward({"type": "read", "ids": event["ids"], "unread_count": event["unread_count"]})

    async def stream_event(self, event):
        await self._forward(
            {"type": "stream", "stream": event["stream"], "key": event["key"], "payload": event["payload"]}
        )

    async def session_revoked(self, event):
        await self.close(code=CLOSE_REVOKED)
