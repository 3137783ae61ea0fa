import socket

import pytest
from channels.testing import WebsocketCommunicator

from notifications import digest, events, kinds
from notifications.consumers import NotificationConsumer
from notifications.kinds import Delivery


@pytest.fixture(autouse=True)
def isolated_registries(monkeypatch):
    """Kinds, streams and digest sections registered by a test vanish after it."""
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))
    monkeypatch.setattr(events, "_streams", dict(events._streams))
    monkeypatch.setattr(digest, "_sections", dict(digest._sections))


@pytest.fixture
def test_kinds():
    """Kinds as the sending apps would declare them."""
    return {
        "reply": kinds.register_kind("test_reply", label="Replies in topics you watch", group="Forums"),
        "mention": kinds.register_kind(
            "test_mention", label="Mentions", default_delivery=Delivery.EMAIL, remind_if_unread=True
        ),
        "new_topic": kinds.register_kind(
            "test_new_topic", label="New topics in forums you watch", default_delivery=Delivery.DIGEST
        ),
        "account": kinds.register_kind(
            "test_account", label="Membership decisions", default_delivery=Delivery.EMAIL, is_account=True
        ),
    }


@pytest.fixture
def closed_port():
    """A local port nobody listens on: connecting to it fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def socket_for():
    """`await socket_for(user)` -> (communicator, connected, close code), the user placed in
    the scope as the session middleware would. Sockets still open are closed afterwards."""
    opened = []

    async def connect(user):
        communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
        communicator.scope["user"] = user
        connected, code = await communicator.connect()
        opened.append(communicator)
        return communicator, connected, code

    yield connect
    for communicator in opened:
        # Already-closed sockets raise here; the test has asserted what it needed.
        try:
            await communicator.disconnect()
        except Exception:  # noqa: BLE001
            pass
