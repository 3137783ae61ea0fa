"""Notification kinds, declared by the apps that send them.

`notifications` is the leaf app: it knows no kind itself. A sending app declares each kind
once, in its `AppConfig.ready()`::

    from notifications.kinds import Delivery, register_kind

    register_kind(
        "reply_in_watched_topic",
        label=_("Replies in topics you watch"),
        default_delivery=Delivery.SITE,
        group=_("Forums"),
    )

- `default_delivery` is what a member gets until they choose otherwise on the preferences page.
- `is_account=True` marks account mail (a membership decision, a role change): it is emailed at
  once even to youth panellists and cannot be switched off.
- `remind_if_unread=True` repeats the notification in the weekly digest while it is unread
  (mentions).

A kind nobody registered still works, with safe defaults: shown on site, never emailed at once.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    SITE = "site", _("Live on site")
    EMAIL = "email", _("On site and email at once")
    DIGEST = "digest", _("On site and in the weekly digest")
    OFF = "off", _("Off")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_delivery: str = Delivery.SITE
    group: str = ""
    description: str = ""
    is_account: bool = False
    remind_if_unread: bool = False

    def allowed_deliveries(self, *, is_minor: bool) -> list[str]:
        """What a member may choose. Minors get no immediate email except account mail."""
        choices = [Delivery.SITE, Delivery.EMAIL, Delivery.DIGEST, Delivery.OFF]
        if self.is_account:
            choices.remove(Delivery.OFF)
        elif is_minor:
            choices.remove(Delivery.EMAIL)
        return [str(choice) for choice in choices]

    def effective_delivery(self, chosen: str | None, *, is_minor: bool) -> str:
        delivery = chosen or self.default_delivery
        if delivery not in self.allowed_deliveries(is_minor=is_minor):
            # A default of "email" for a minor becomes the digest; "off" for account mail
            # becomes "site".
            delivery = Delivery.DIGEST if delivery == Delivery.EMAIL else Delivery.SITE
        return str(delivery)


_kinds: dict[str, Kind] = {}


def register_kind(
    key: str,
    *,
    label,
    default_delivery: str = Delivery.SITE,
    group="",
    description="",
    is_account: bool = False,
    remind_if_unread: bool = False,
) -> Kind:
    if len(key) > 50:
        raise ValueError(f"Notification kind {key!r} is longer than 50 characters.")
    if default_delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {default_delivery!r} for kind {key!r}.")
    kind = Kind(
        key=key,
        label=label,
        default_delivery=default_delivery,
        group=group,
        description=description,
        is_account=is_account,
        remind_if_unread=remind_if_unread,
    )
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    """The registered kind, or safe defaults for one nobody declared."""
    kind = _kinds.get(key)
    if kind is None:
        kind = Kind(key=key, label=key.replace("_", " ").capitalize())
    return kind


def registered_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (str(kind.group), str(kind.label)))

