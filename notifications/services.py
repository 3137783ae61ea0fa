"""State changes of notifications: store and deliver, mark read, preferences, unsubscribe.

`notify()` is what every other app calls. It stores one row per recipient in one INSERT inside
the caller's transaction; the live push leaves after commit, and any immediate email after the
response, from a background thread.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, connections, transaction
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone

from . import emails, events
from .kinds import Delivery, get_kind
from .models import EmailSettings, EmailState, Notification, NotificationPreference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The scope of an unsubscribe token that stops the weekly digest (other scopes are kinds).
DIGEST_SCOPE = "digest"


def emails_per_hour() -> int:
    return getattr(settings, "NOTIFICATION_EMAILS_PER_HOUR", 5)


def is_minor(user) -> bool:
    # Youth panellists are treated as minors: most are 13-18.
    return bool(getattr(user, "is_youth_panellist", False))


def may_receive_email(user) -> bool:
    return bool(user.email) and user.is_active and not getattr(user, "is_suspended", False)


def notify(
    *, recipients, kind: str, title: str, url: str = "", body: str = "", actor=None
) -> list[Notification]:
    """Store one notification per distinct recipient (one INSERT) and deliver on commit.

    Callers pass only recipients who may see what the notification points to. Each
    recipient's preference for `kind` decides the delivery: on site only, on site and email at
    once, on site and the weekly digest, or nothing. Immediate emails beyond the hourly cap
    wait for the digest. Queries: preferences (1), the hourly email count and the recipients'
    roles when someone wants email (2), the INSERT (1).
    """
    spec = get_kind(kind)
    people = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (actor is not None and recipient.pk == actor.pk):
            continue
        seen.add(recipient.pk)
        people.append(recipient)
    if not people:
        return []

    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=seen, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    wants_email = [
        person
        for person in people
        if (chosen.get(person.pk) or spec.default_delivery) == Delivery.EMAIL
    ]
    if wants_email and not spec.is_account:
        # Whether someone is a minor is read from their roles (auth groups): one query for
        # all of them instead of one each.
        prefetch_related_objects(wants_email, "groups")
    sent_this_hour = _emails_sent_in_the_hour_before(timezone.now(), [person.pk for person in wants_email])

    now = timezone.now()
    rows = []
    for person in people:
        delivery = chosen.get(person.pk) or spec.default_delivery
        if delivery == Delivery.EMAIL:
            delivery = spec.effective_delivery(delivery, is_minor=is_minor(person))
        else:
            delivery = spec.effective_delivery(delivery, is_minor=False)
        if delivery == Delivery.OFF:
            continue
        email_state, emailed_at = EmailState.NONE, None
        if delivery == Delivery.EMAIL and may_receive_email(person):
            if sent_this_hour.get(person.pk, 0) < emails_per_hour():
                email_state, emailed_at = EmailState.QUEUED, now
            else:
                email_state = EmailState.DIGEST_PENDING
        elif delivery == Delivery.DIGEST:
            email_state = EmailState.DIGEST_PENDING
        rows.append(
            Notification(
                recipient=person,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                actor=actor,
                actor_name=str(actor)[:80] if actor is not None else "",
                email_state=email_state,
                emailed_at=emailed_at,
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = _insert(rows)
        transaction.on_commit(lambda: events.push_notifications(created), robust=True)
        to_email = [row for row in created if row.email_state == EmailState.QUEUED]
        if to_email:
            transaction.on_commit(lambda: _email_at_once(to_email), robust=True)
    return created


def _emails_sent_in_the_hour_before(now, recipient_ids) -> dict[int, int]:
    """Immediate emails each recipient got in the last hour: what the hourly cap counts."""
    if not recipient_ids:
        return {}
    return dict(
        Notification.objects.filter(recipient_id__in=recipient_ids, emailed_at__gte=now - timedelta(hours=1))
        .values("recipient_id")
        .annotate(count=Count("id"))
        .values_list("recipient_id", "count")
    )


# One thread: the emails of one process leave in order, over one mail connection at a time.
# Its jobs finish before the process exits (concurrent.futures joins its threads at exit).
_email_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notification-emails")


def _email_at_once(notifications) -> None:
    """After commit: hand the queued emails to the background sender, so a slow or unreachable
    mail server (up to EMAIL_TIMEOUT per batch) never holds the request that notified."""
    if settings.NOTIFICATION_EMAILS_IN_BACKGROUND:
        _email_sender.submit(_send_in_background, notifications)
    else:
        send_queued_emails(notifications)


def _send_in_background(notifications) -> None:
    try:
        send_queued_emails(notifications)
    except Exception:  # noqa: BLE001 - a thread's error would otherwise vanish with its future
        logger.exception("Sending %d queued notification emails failed", len(notifications))
    finally:
        connections.close_all()  # this thread's own connections, back to the server or pool


def send_queued_emails(notifications) -> None:
    """Send those of `notifications` still queued (`resend_failed_emails` takes over the ones a
    stopped process left behind). What the mail server refuses or misses is marked for sending
    again, so a mail server that is down delays the email, never loses it."""
    queued = set(Notification.objects.filter(pk__in=[n.pk for n in notifications], email_state=EmailState.QUEUED)
                 .values_list("pk", flat=True))
    to_send = [notification for notification in notifications if notification.pk in queued]
    if not to_send:
        return
    failed = set(emails.send_each(to_send))
    sent = [notification.pk for notification in to_send if notification.pk not in failed]
    Notification.objects.filter(pk__in=sent, email_state=EmailState.QUEUED).update(email_state=EmailState.SENT)
    Notification.objects.filter(pk__in=failed).update(email_state=EmailState.RETRY, emailed_at=None)


# Past this age an immediate email that could not be sent waits for the weekly digest instead.
EMAIL_RETRY_WINDOW = timedelta(hours=24)
# An email still queued after this long was left by a process that stopped before sending it
# (the background sender gets to an email within seconds; if a mail server timing out batch
# after batch delays it longer, the sender skips what the resend job has taken over).
EMAIL_QUEUE_ABANDONED_AFTER = timedelta(minutes=10)
EMAIL_RETRY_BATCH = 500


def resend_failed_emails(*, now=None) -> tuple[int, int]:
    """Send again the immediate emails the mail server refused or missed, and those a stopped
    process left queued (oldest first, at most `EMAIL_RETRY_BATCH` a run), and return (sent,
    moved to the digest). The hourly cap still applies; what it holds back, what is older than a
    day and what a member suspended since may no longer receive leave the retry."""
    now = now or timezone.now()
    abandoned = Notification.objects.filter(email_state=EmailState.QUEUED,
                                            created_at__lt=now - EMAIL_QUEUE_ABANDONED_AFTER)
    abandoned.update(email_state=EmailState.RETRY, emailed_at=None)
    waiting = Notification.objects.filter(email_state=EmailState.RETRY)
    to_digest = waiting.filter(created_at__lt=now - EMAIL_RETRY_WINDOW).update(email_state=EmailState.DIGEST_PENDING)
    retry = list(
        waiting.filter(created_at__gte=now - EMAIL_RETRY_WINDOW).select_related("recipient")
        .order_by("created_at", "id")[:EMAIL_RETRY_BATCH]
    )
    if not retry:
        return 0, to_digest
    sent_this_hour = _emails_sent_in_the_hour_before(now, {notification.recipient_id for notification in retry})
    to_send, held_back, not_allowed = [], [], []
    for notification in retry:
        person = notification.recipient
        if not may_receive_email(person):
            not_allowed.append(notification.pk)
        elif sent_this_hour.get(person.pk, 0) < emails_per_hour():
            sent_this_hour[person.pk] = sent_this_hour.get(person.pk, 0) + 1
            to_send.append(notification)
        else:
            held_back.append(notification.pk)
    failed = set(emails.send_each(to_send))
    sent = [notification.pk for notification in to_send if notification.pk not in failed]
    Notification.objects.filter(pk__in=sent).update(email_state=EmailState.SENT, emailed_at=now)
    Notification.objects.filter(pk__in=held_back).update(email_state=EmailState.DIGEST_PENDING)
    Notification.objects.filter(pk__in=not_allowed).update(email_state=EmailState.NONE)
    return len(sent), to_digest + len(held_back)


def _insert(rows: list[Notification]) -> list[Notification]:
    """Store `rows`, which share everything but recipient and email state, in one INSERT.

    bulk_create binds every field of every row: for one reply to 500 watchers that is 5,500
    parameters, and preparing them took longer than the rest of notify(). On PostgreSQL the
    per-recipient columns go in as three arrays and the shared ones once.
    """
    if connection.vendor != "postgresql":
        # bulk_create sets primary keys on SQLite >= 3.35.
        return Notification.objects.bulk_create(rows)
    now = timezone.now()
    for row in rows:
        row.created_at = now
    shared = ("kind", "title", "body", "url", "actor", "actor_name", "created_at", "read_at")
    per_recipient = {"recipient": "bigint", "email_state": "text", "emailed_at": "timestamptz"}
    fields = Notification._meta
    columns = [fields.get_field(name).column for name in (*per_recipient, *shared)]
    first = rows[0]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(fields.db_table)} ({', '.join(map(quote, columns))}) "
        f"SELECT {', '.join(f'item.{quote(name)}' for name in per_recipient)}, {', '.join(['%s'] * len(shared))} "
        f"FROM unnest({', '.join(f'%s::{kind}[]' for kind in per_recipient.values())}) "
        f"AS item({', '.join(map(quote, per_recipient))}) "
        f"RETURNING {quote(fields.pk.column)}, {quote(fields.get_field('recipient').column)}"
    )
    params = [getattr(first, fields.get_field(name).attname) for name in shared] + [
        [row.recipient_id for row in rows],
        [row.email_state for row in rows],
        [row.emailed_at for row in rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # notify() stores one row per recipient, so the recipient names each new id.
        ids = dict((recipient_id, pk) for pk, recipient_id in cursor.fetchall())
    for row in rows:
        row.pk = ids[row.recipient_id]
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's notifications read; every open tab of theirs follows."""
    with transaction.atomic():
        updated = Notification.objects.filter(
            recipient=user, pk=notification_id, read_at__isnull=True
        ).update(read_at=timezone.now())
        if updated:
            unread = _unread_count(user)
            transaction.on_commit(
                lambda: events.push_read_state(
                    user_id=user.pk, ids=[notification_id], unread_count=unread
                ),
                robust=True,
            )
    return bool(updated)


def mark_all_read(*, user) -> int:
    with transaction.atomic():
        updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            transaction.on_commit(
                lambda: events.push_read_state(user_id=user.pk, ids=None, unread_count=0),
                robust=True,
            )
    return updated


@transaction.atomic
def withdraw_notifications(*, recipient_ids, url_prefix: str, gone_links: Callable[[set[str]], set[str]]) -> int:
    """Delete the notifications of `recipient_ids` that lead to something they may no longer
    see (they lost access to a forum, for example): the stored title would still tell them
    what it was. Only the sending app knows what its links point at: `gone_links` receives the
    links of these notifications that start with `url_prefix` and returns those to withdraw.
    Open tabs show the new count on their next page (the stored row is the truth)."""
    links = set(
        Notification.objects.filter(recipient_id__in=recipient_ids, url__startswith=url_prefix)
        .values_list("url", flat=True)
        .distinct()
    )
    gone = gone_links(links) if links else set()
    if not gone:
        return 0
    withdrawn, _per_model = Notification.objects.filter(recipient_id__in=recipient_ids, url__in=gone).delete()
    return withdrawn


@transaction.atomic
def set_preferences(*, user, deliveries: dict[str, str], weekly_digest: bool) -> None:
    """Store the member's choices; a choice equal to the kind's default stores no row, so a
    changed default reaches everyone who never chose."""
    minor = is_minor(user)
    for kind_key, delivery in deliveries.items():
        spec = get_kind(kind_key)
        if delivery not in spec.allowed_deliveries(is_minor=minor):
            raise ValueError(f"{delivery!r} is not allowed for {kind_key!r}")
        if delivery == spec.effective_delivery(None, is_minor=minor):
            NotificationPreference.objects.filter(user=user, kind=kind_key).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind_key, defaults={"delivery": delivery}
            )
    EmailSettings.objects.update_or_create(user=user, defaults={"weekly_digest": weekly_digest})


def unsubscribe_token(*, user, scope: str) -> str:
    """A signed, non-expiring token for one-click unsubscribe from `scope` (a kind or the
    digest). Changing any character invalidates it."""
    return signing.dumps({"u": user.pk, "s": scope}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (user id, scope) in a token; raises signing.BadSignature when tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(
        data.get("s"), str
    ):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data["u"], data["s"]


@transaction.atomic
def unsubscribe(*, user, scope: str) -> bool:
    """Stop the email the link came from: the weekly digest, or immediate and digest mail of
    one kind (which then stays on site). Account mail cannot be stopped: returns False."""
    if scope == DIGEST_SCOPE:
        EmailSettings.objects.update_or_create(user=user, defaults={"weekly_digest": False})
        return True
    if get_kind(scope).is_account:
        return False
    NotificationPreference.objects.update_or_create(
        user=user, kind=scope, defaults={"delivery": Delivery.SITE}
    )
    return True
