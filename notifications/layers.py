"""The Redis channel layer, fitted to short socket timeouts and to fan-out.

- Settings give Redis a short read timeout (a vanished Redis must not stall a request), but
  channels-redis waits for incoming messages with a blocking BZPOPMIN of 5 seconds, which a
  1 s read timeout turns into a TimeoutError that kills every consumer after a second of quiet.
  Waiting for half the read timeout instead keeps sockets alive; it costs one cheap command
  per process per half-timeout, not one per socket (channels-redis receives for all of a
  process's consumers in one loop). A read that still times out (an event loop busy for a
  second) counts as an empty wait instead of killing every socket of the process.
- All sockets of a daphne process share one Redis inbox, whose default capacity of 100 would
  drop pushes when one reply reaches hundreds of members online on that process.
- channels-redis takes a process's incoming messages off Redis one at a time, with four round
  trips each (a crash-safety backup queue) while holding the process's receive lock, so a
  push to 500 sockets of one process queues up for seconds. Here a process takes up to
  `RECEIVE_BATCH` messages in two round trips and hands them all to their sockets at once,
  instead of one per turn of the receive lock. The fetch is shielded from cancellation (a
  socket closing mid-receive), so fetched messages wait in memory for the next receive
  instead of being lost; only a process that dies loses them, together with its sockets, whose
  clients reconnect and catch up from the database.
- `group_send_many` sends one message to each of many groups in a handful of round trips
  instead of four per group, so notifying 1,000 watchers does not hold a request for seconds.
  It follows channels-redis 4's own `group_send`, batched.
"""

import asyncio
import collections
import logging
import time

import redis.exceptions

from channels_redis.core import RedisChannelLayer as BaseRedisChannelLayer

logger = logging.getLogger(__name__)

PROCESS_INBOX_CAPACITY = 5000
RECEIVE_BATCH = 200
_BATCH = 500

# channels-redis 4's group_send script: ZADD each message unless its channel is full.
_GROUP_SEND_LUA = """
    local over_capacity = 0
    local current_time = ARGV[#ARGV - 1]
    local expiry = ARGV[#ARGV]
    for i=1,#KEYS do
        if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
            redis.call('ZADD', KEYS[i], current_time, ARGV[i])
            redis.call('EXPIRE', KEYS[i], expiry)
        else
            over_capacity = over_capacity + 1
        end
    end
    return over_capacity
"""


class RedisChannelLayer(BaseRedisChannelLayer):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("capacity", PROCESS_INBOX_CAPACITY)
        super().__init__(*args, **kwargs)
        read_timeouts = [
            host["socket_timeout"]
            for host in self.hosts
            if isinstance(host, dict) and host.get("socket_timeout")
        ]
        if read_timeouts:
            self.brpop_timeout = min(self.brpop_timeout, min(read_timeouts) / 2)
        self._fetched: collections.deque = collections.deque()
        self._fetching: asyncio.Future | None = None

    async def receive_single(self, channel):
        if not channel.endswith("!"):
            # Named (worker) channels, which this project does not use, keep the original path.
            return await super().receive_single(channel)
        assert self.require_valid_channel_name(channel, receive=True), "Channel name invalid"
        while not self._fetched:
            if self._fetching is None or self._fetching.done():
                self._fetching = asyncio.ensure_future(self._fetch_batch(channel))
            await asyncio.shield(self._fetching)
        # Under the receive lock: the parent's receive() buffers what this returns after what
        # is buffered here, so the last message is returned to keep each socket's order.
        while len(self._fetched) > 1:
            targets, message = self._unpack(self._fetched.popleft(), channel)
            # A group message for several sockets of this process names them all.
            for target in targets if isinstance(targets, list) else [targets]:
                self.receive_buffer[target].put_nowait(message)
        return self._unpack(self._fetched.popleft(), channel)

    def _unpack(self, content, channel):
        message = self.deserialize(content)
        if "__asgi_channel__" in message:
            channel = message.pop("__asgi_channel__")
        return channel, message

    async def _fetch_batch(self, channel) -> None:
        key = self.prefix + channel
        connection = self.connection(self.consistent_hash(channel))
        try:
            first = await connection.bzpopmin(key, timeout=self.brpop_timeout)
        except redis.exceptions.TimeoutError:
            # A busy event loop can read the answer to an empty wait after the read timeout;
            # that is an empty wait, not a reason to fail every socket of the process.
            logger.info("Slow read from Redis while waiting for messages; waiting again")
            return
        if first is None:
            return
        self._fetched.append(first[1])
        self._fetched.extend(member for member, _score in await connection.zpopmin(key, RECEIVE_BATCH - 1))

    async def group_send_many(self, messages: list[tuple[str, dict]]) -> None:
        for start in range(0, len(messages), _BATCH):
            await self._group_send_batch(messages[start : start + _BATCH])

    async def _group_send_batch(self, messages):
        by_connection = collections.defaultdict(list)
        for group, message in messages:
            assert self.require_valid_group_name(group), "Group name not valid"
            by_connection[self.consistent_hash(group)].append((group, message))

        members: dict[str, list[str]] = {}
        for index, items in by_connection.items():
            pipe = self.connection(index).pipeline(transaction=False)
            for group, _ in items:
                key = self._group_key(group)
                pipe.zremrangebyscore(key, min=0, max=int(time.time()) - self.group_expiry)
                pipe.zrange(key, 0, -1)
            results = await pipe.execute()
            for position, (group, _) in enumerate(items):
                members[group] = [name.decode("utf8") for name in results[2 * position + 1]]

        entries = collections.defaultdict(list)
        for group, message in messages:
            if not members[group]:
                continue
            keys_by_connection, key_to_message, key_to_capacity = self._map_channel_keys_to_connection(
                members[group], message
            )
            for index, keys in keys_by_connection.items():
                entries[index] += [(key, key_to_message[key], key_to_capacity[key]) for key in keys]

        for index, items in entries.items():
            connection = self.connection(index)
            pipe = connection.pipeline(transaction=False)
            for key in {key for key, _, _ in items}:
                pipe.zremrangebyscore(key, min=0, max=int(time.time()) - int(self.expiry))
            await pipe.execute()
            keys = [key for key, _, _ in items]
            args = [payload for _, payload, _ in items] + [capacity for _, _, capacity in items]
            await connection.eval(_GROUP_SEND_LUA, len(keys), *keys, *args, time.time(), self.expiry)
