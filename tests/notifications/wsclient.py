"""A minimal asyncio websocket client (RFC 6455) for talking to a real daphne process.

Enough for the multi-process test and bench/notifications.py: text frames, close, ping/pong.
"""

import asyncio
import base64
import os
import struct


class HandshakeRefused(Exception):
    pass


class ConnectionClosed(Exception):
    def __init__(self, code):
        super().__init__(f"closed with code {code}")
        self.code = code


class WebSocket:
    """Reads in the background from the start, answering the server's pings even while
    nobody awaits `recv()` (daphne closes sockets whose pings go unanswered)."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.messages: asyncio.Queue = asyncio.Queue()
        self.reading = asyncio.ensure_future(self._read_forever())

    async def _send_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    async def send(self, text: str) -> None:
        await self._send_frame(0x1, text.encode())

    async def _read_forever(self) -> None:
        parts = []
        try:
            while True:
                first, second = await self.reader.readexactly(2)
                opcode, length = first & 0x0F, second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await self.reader.readexactly(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
                payload = await self.reader.readexactly(length)
                if opcode == 0x8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    self.messages.put_nowait(ConnectionClosed(code))
                    return
                if opcode == 0x9:
                    await self._send_frame(0xA, payload)
                elif opcode in (0x0, 0x1):
                    parts.append(payload)
                    if first & 0x80:
                        self.messages.put_nowait(b"".join(parts).decode())
                        parts = []
        except (asyncio.IncompleteReadError, ConnectionError):
            self.messages.put_nowait(ConnectionClosed(1006))

    async def recv(self) -> str:
        """The next text message; raises ConnectionClosed once the socket is closed."""
        item = await self.messages.get()
        if isinstance(item, ConnectionClosed):
            self.messages.put_nowait(item)
            raise item
        return item

    async def close(self) -> None:
        try:
            await self._send_frame(0x8, struct.pack("!H", 1000))
        except (ConnectionError, RuntimeError):
            pass
        self.reading.cancel()
        self.writer.close()


async def connect(host: str, port: int, path: str, headers: dict[str, str]) -> WebSocket:
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readline()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if b" 101 " not in status:
        writer.close()
        raise HandshakeRefused(status.decode().strip())
    return WebSocket(reader, writer)
