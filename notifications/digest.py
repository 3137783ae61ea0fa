"""The weekly digest email.

It gathers, per member: notifications waiting for the digest (their preference, or the hourly
email cap), unread notifications of kinds registered with ``remind_if_unread`` (mentions), and
sections that feature apps register, in their ``AppConfig.ready()``::

    from notifications.digest import DigestItem, register_section

    def upcoming_meetings(user, *, since, until):
        return [DigestItem(title=m.title, url=m.get_absolute_url(), detail=date_format(m.starts_at))
                for m in meetings_for(user=user).filter(starts_at__range=(until, until + week))]

    register_section("upcoming_meetings", _("Upcoming meetings"), upcoming_meetings)

A collector returns only what `user` may see (use your selectors). ``send_digests()`` sends at
most one digest per member per week (the period starts on Monday): running it twice is safe.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import absolute_url, build_message
from .kinds import get_kind, registered_kinds
from .models import DigestDelivery, EmailState, Notification

MAX_ITEMS_PER_SECTION = 30
# Unread reminders older than this are stale: the digest is not an archive.
REMINDER_WINDOW = timedelta(weeks=4)


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str = ""
    detail: str = ""


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass(frozen=True)
class _RegisteredSection:
    key: str
    title: str
    collect: Callable


_sections: dict[str, _RegisteredSection] = {}


def register_section(key: str, title, collect: Callable) -> None:
    """`collect(user, *, since, until) -> list[DigestItem]`, only what `user` may see."""
    _sections[key] = _RegisteredSection(key=key, title=title, collect=collect)


def period_start_for(moment: datetime) -> date:
    local = timezone.localdate(moment)
    return local - timedelta(days=local.weekday())


def _item_for(notification) -> DigestItem:
    return DigestItem(
        title=notification.title,
        url=absolute_url(notification.url or reverse("notifications:list")),
        detail=str(get_kind(notification.kind).label),
    )


def build_digest(user, *, now: datetime) -> tuple[list[DigestSection], list[int]]:
    """The sections for `user` and the ids of the waiting notifications they include."""
    since = now - timedelta(weeks=1)
    sections = []
    waiting = list(
        Notification.objects.filter(recipient=user, email_state=EmailState.DIGEST_PENDING)
        .order_by("-id")[:MAX_ITEMS_PER_SECTION]
    )
    if waiting:
        sections.append(
            DigestSection("waiting", _("Since your last update"), [_item_for(n) for n in waiting])
        )
    reminder_kinds = [kind.key for kind in registered_kinds() if kind.remind_if_unread]
    if reminder_kinds:
        unread = list(
            Notification.objects.filter(
                recipient=user,
                kind__in=reminder_kinds,
                read_at__isnull=True,
                created_at__gte=now - REMINDER_WINDOW,
            )
            .exclude(pk__in=[n.pk for n in waiting])
            .order_by("-id")[:MAX_ITEMS_PER_SECTION]
        )
        if unread:
            sections.append(
                DigestSection("unread", _("Still unread"), [_item_for(n) for n in unread])
            )
    for registered in _sections.values():
        items = list(registered.collect(user, since=since, until=now))[:MAX_ITEMS_PER_SECTION]
        if items:
            sections.append(
                DigestSection(
                    registered.key,
                    str(registered.title),
                    [
                        DigestItem(title=item.title, url=absolute_url(item.url) if item.url else "",
                                   detail=item.detail)
                        for item in items
                    ],
                )
            )
    return sections, [n.pk for n in waiting]


def _candidates(period_start: date):
    User = get_user_model()
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(notification_email_settings__weekly_digest=False)
        .exclude(notification_digests__period_start=period_start)
    )
    if not _sections:
        # Without feature sections only members with something waiting or unread get mail.
        reminder_kinds = [kind.key for kind in registered_kinds() if kind.remind_if_unread]
        people = people.filter(
            Q(notifications__email_state=EmailState.DIGEST_PENDING)
            | Q(notifications__kind__in=reminder_kinds, notifications__read_at__isnull=True)
        ).distinct()
    return people.order_by("pk")


def send_digests(*, now: datetime | None = None) -> int:
    """Send this week's digest to every member who has something in it and has not had it
    yet. Returns how many were sent."""
    now = now or timezone.now()
    period_start = period_start_for(now)
    sent = 0
    for user in _candidates(period_start).iterator(chunk_size=200):
        if getattr(user, "is_suspended", False) or not getattr(user, "is_approved_member", True):
            continue
        sections, waiting_ids = build_digest(user, now=now)
        if not sections:
            continue
        item_count = sum(len(section.items) for section in sections)
        message = build_message(
            user=user,
            subject=_("Your weekly update"),
            template="notifications/email/digest",
            context={"sections": sections, "period_start": period_start},
            unsubscribe_scope="digest",
        )
        try:
            # The mail goes out inside the transaction: if sending fails, the delivery row and
            # the "digested" marks roll back and the next run tries again.
            with transaction.atomic():
                DigestDelivery.objects.create(user=user, period_start=period_start, item_count=item_count)
                Notification.objects.filter(pk__in=waiting_ids).update(email_state=EmailState.DIGESTED)
                message.send()
        except IntegrityError:
            # Another run sent this period's digest meanwhile.
            continue
        sent += 1
    return sent
