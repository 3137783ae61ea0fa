from dataclasses import dataclass

from .kinds import Kind, registered_kinds
from .models import EmailSettings, Notification, NotificationPreference

FEED_LATEST = 10
FEED_CATCH_UP_LIMIT = 50


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "title", "body", "url", "actor_name", "created_at", "read_at"
    )


def unread_count_for(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def latest_notifications_for(*, user, limit: int = FEED_LATEST) -> list[Notification]:
    return list(notifications_for(user=user).order_by("-id")[:limit])


def notifications_after(*, user, after_id: int, limit: int = FEED_CATCH_UP_LIMIT) -> list[Notification]:
    """What a reconnecting client missed, oldest first, so it can replay them in order."""
    return list(notifications_for(user=user).filter(pk__gt=after_id).order_by("id")[:limit])


@dataclass(frozen=True)
class PreferenceRow:
    kind: Kind
    delivery: str
    allowed: list[str]


def preference_rows_for(*, user, is_minor: bool) -> list[PreferenceRow]:
    """Every registered kind with the member's effective choice (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
    )
    return [
        PreferenceRow(
            kind=kind,
            delivery=kind.effective_delivery(chosen.get(kind.key), is_minor=is_minor),
            allowed=kind.allowed_deliveries(is_minor=is_minor),
        )
        for kind in registered_kinds()
    ]


def wants_weekly_digest(*, user) -> bool:
    settings_row = EmailSettings.objects.filter(user=user).first()
    return settings_row.weekly_digest if settings_row else True
