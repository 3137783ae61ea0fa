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
  trips each (a crash-safety backup queue), by whichever socket holds the process's receive
  lock, while every other socket waits on that lock with two fresh tasks per message: a push
  to 500 sockets of one process queued up for seconds. Here one reader task per process takes
  up to `RECEIVE_BATCH` messages in two round trips and puts each in its socket's queue, and a
  socket's receive() just waits on its own queue. The reader runs while sockets are receiving
  and is never cancelled mid-fetch, so no fetched message is lost; only a process that dies
  loses them, together with its sockets, whose clients reconnect and catch up from the
  database. When Redis fails, every waiting socket gets the error (and closes; clients fall
  back to polling and reconnect), as with channels-redis.
- Group members outlive a process that dies or restarts (a deploy): channels-redis keeps them
  for a day and every push to their groups was queued for nobody, filling each dead process's
  inbox to capacity (5,000 messages) and costing the live ones. Each process holding sockets
  says it is alive in Redis (a key refreshed every `ALIVE_REFRESH` seconds, set before its
  first socket joins a group); `group_send_many` drops, and removes from their groups, the
  members of processes silent for `ALIVE_SECONDS`.
- `group_send_many` sends one message to each of many groups in two Redis scripts per
  connection (read the groups' members; queue the messages) instead of four round trips per
  group, so notifying 1,000 watchers does not hold a request for seconds. It keeps
  channels-redis 4's message format and its `group_send` rules: expired group members and
  inbox messages are dropped first, a full inbox drops the message (logged).
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
# Longer than any pause of a working event loop (daphne closes sockets whose pings go
# unanswered for 30 s anyway), short enough that a dead process stops costing pushes soon.
ALIVE_SECONDS = 60
ALIVE_REFRESH = 10

# The members of each group (KEYS), after dropping those older than ARGV[1].
_GROUP_MEMBERS_LUA = """
    local result = {}
    for i=1,#KEYS do
        redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, ARGV[1])
        result[i] = redis.call('ZRANGE', KEYS[i], 0, -1)
    end
    return result
"""

# channels-redis 4's group_send script, with its expiry pass folded in: each inbox (KEYS, one
# entry per message, so repeated) first drops messages older than the expiry, once; then each
# message (ARGV[i]) is added unless its inbox is full (capacity ARGV[#KEYS + i]). Inboxes are
# read lowest score first, so each message scores a microsecond after the one before it: with
# one score for all, two pushes to one socket could arrive in either order.
_GROUP_SEND_LUA = """
    local over_capacity = 0
    local current_time = ARGV[#ARGV - 1]
    local expiry = ARGV[#ARGV]
    local cleaned = {}
    for i=1,#KEYS do
        if not cleaned[KEYS[i]] then
            redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, math.floor(current_time - expiry))
            cleaned[KEYS[i]] = true
        end
        if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
            redis.call('ZADD', KEYS[i], current_time + (i - 1) / 1000000, ARGV[i])
            redis.call('EXPIRE', KEYS[i], expiry)
        else
            over_capacity = over_capacity + 1
        end
    end
    return over_capacity
"""


class _ReceiveFailed:
    def __init__(self, error: Exception):
        self.error = error


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
        self._receivers = 0
        self._reader: asyncio.Task | None = None
        # This process's inboxes (non-local channel names) and the task saying they are alive.
        self._inboxes: set[str] = set()
        self._alive_task: asyncio.Task | None = None

    async def new_channel(self, prefix="specific"):
        channel = await super().new_channel(prefix)
        inbox = self.non_local_name(channel)
        if inbox not in self._inboxes:
            self._inboxes.add(inbox)
            # Before the socket can join a group: a push must never find it not yet alive.
            await self._say_alive(inbox)
        loop = asyncio.get_running_loop()
        if self._alive_task is None or self._alive_task.done() or self._alive_task.get_loop() is not loop:
            self._alive_task = loop.create_task(self._keep_saying_alive())
        return channel

    def _alive_key(self, inbox: str) -> str:
        return f"{self.prefix}:alive:{inbox}"

    async def _say_alive(self, inbox: str) -> None:
        try:
            await self.connection(self.consistent_hash(inbox)).set(self._alive_key(inbox), 1, ex=ALIVE_SECONDS)
        except Exception:  # noqa: BLE001 - Redis down: joining a group fails too, and says so
            logger.info("Could not tell Redis that %s is alive", inbox, exc_info=True)

    async def _keep_saying_alive(self) -> None:
        while True:
            await asyncio.sleep(ALIVE_REFRESH)
            for inbox in list(self._inboxes):
                await self._say_alive(inbox)

    async def flush(self):
        if self._alive_task is not None:
            self._alive_task.cancel()
        self._inboxes.clear()
        await super().flush()

    async def _dead_inboxes(self, inboxes: set[str]) -> set[str]:
        """Which of these process inboxes no process has said is alive for ALIVE_SECONDS."""
        by_connection = collections.defaultdict(list)
        for inbox in inboxes - self._inboxes:
            by_connection[self.consistent_hash(inbox)].append(inbox)
        dead = set()
        for index, names in by_connection.items():
            alive = await self.connection(index).mget([self._alive_key(name) for name in names])
            dead.update(name for name, flag in zip(names, alive, strict=True) if flag is None)
        return dead

    async def receive(self, channel):
        if "!" not in channel:
            # Named (worker) channels, which this project does not use, keep the original path.
            return await super().receive(channel)
        assert self.require_valid_channel_name(channel)
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        queue = self.receive_buffer[channel]
        self._receivers += 1
        try:
            self._start_reader(real_channel)
            item = await queue.get()
        except asyncio.CancelledError:
            # The socket closed: nothing will read its queue again.
            self.receive_buffer.pop(channel, None)
            raise
        finally:
            self._receivers -= 1
        if queue.empty():
            self.receive_buffer.pop(channel, None)
        if isinstance(item, _ReceiveFailed):
            raise item.error
        return item

    def _start_reader(self, real_channel) -> None:
        loop = asyncio.get_running_loop()
        if self._reader is None or self._reader.done() or self._reader.get_loop() is not loop:
            self._reader = loop.create_task(self._read(real_channel))

    async def _read(self, real_channel) -> None:
        # The condition is checked with no await before returning, so a socket that starts
        # receiving either finds this task still looping or already done (and starts another).
        while self._receivers:
            try:
                batch = await self._fetch_batch(real_channel)
            except Exception as error:  # noqa: BLE001 - handed to every waiting socket
                for queue in list(self.receive_buffer.values()):
                    queue.put_nowait(_ReceiveFailed(error))
                return
            for content in batch:
                message = self.deserialize(content)
                targets = message.pop("__asgi_channel__")
                # A group message for several sockets of this process names them all.
                for target in targets if isinstance(targets, list) else [targets]:
                    self.receive_buffer[target].put_nowait(message)

    async def _fetch_batch(self, real_channel) -> list[bytes]:
        key = self.prefix + real_channel
        connection = self.connection(self.consistent_hash(real_channel))
        try:
            first = await connection.bzpopmin(key, timeout=self.brpop_timeout)
        except redis.exceptions.TimeoutError:
            # A busy event loop can read the answer to an empty wait after the read timeout;
            # that is an empty wait, not a reason to fail every socket of the process.
            logger.info("Slow read from Redis while waiting for messages; waiting again")
            return []
        if first is None:
            return []
        return [first[1]] + [member for member, _score in await connection.zpopmin(key, RECEIVE_BATCH - 1)]

    async def group_send_many(self, messages: list[tuple[str, dict]]) -> None:
        for start in range(0, len(messages), _BATCH):
            await self._group_send_batch(messages[start : start + _BATCH])

    async def _group_send_batch(self, messages):
        by_connection = collections.defaultdict(list)
        for group, _message in messages:
            assert self.require_valid_group_name(group), "Group name not valid"
            by_connection[self.consistent_hash(group)].append(group)

        members: dict[str, list[str]] = {}
        cutoff = int(time.time()) - self.group_expiry
        for index, groups in by_connection.items():
            keys = [self._group_key(group) for group in groups]
            found = await self.connection(index).eval(_GROUP_MEMBERS_LUA, len(keys), *keys, cutoff)
            for group, names in zip(groups, found, strict=True):
                members[group] = [name.decode("utf8") for name in names]
        await self._drop_members_of_dead_processes(members)

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
            keys = [key for key, _, _ in items]
            args = [payload for _, payload, _ in items] + [capacity for _, _, capacity in items]
            over_capacity = await self.connection(index).eval(
                _GROUP_SEND_LUA, len(keys), *keys, *args, time.time(), self.expiry
            )
            if over_capacity:
                logger.warning("%d of %d pushes dropped: the receiving process's inbox is full",
                               over_capacity, len(keys))

    async def _drop_members_of_dead_processes(self, members: dict[str, list[str]]) -> None:
        inboxes = {self.non_local_name(name) for names in members.values() for name in names if "!" in name}
        dead = await self._dead_inboxes(inboxes)
        if not dead:
            return
        pipelines = {}
        for group, names in members.items():
            stale = [name for name in names if "!" in name and self.non_local_name(name) in dead]
            if not stale:
                continue
            index = self.consistent_hash(group)
            pipe = pipelines.setdefault(index, self.connection(index).pipeline(transaction=False))
            pipe.zrem(self._group_key(group), *stale)
            members[group] = [name for name in names if name not in stale]
        for pipe in pipelines.values():
            await pipe.execute()
        logger.info("Removed the sockets of %d stopped processes from their groups", len(dead))
