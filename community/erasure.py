"""Erasure of a member's personal data (GDPR art. 17), with feature apps plugged in.

What erasure means here:

- An adult's contributions stay, shown as "Former member", because conversations would not
  make sense with holes; nothing that identifies them remains (name, email, bio, languages,
  birth year, email addresses, authenticators, sessions, roles, memberships).
- A minor's contributions are deleted, not only anonymised: young people deserve a clean
  slate (UK Age Appropriate Design Code, GDPR recital 65).
- Every session ends and every live socket closes.
- The erasure is logged with who did it and when, without any of the erased data.

Feature apps own their content, so they register an eraser in `AppConfig.ready()`::

    from community.erasure import register_eraser

    def erase_forum_content(user, *, delete_content: bool) -> None:
        posts = Post.all_objects.filter(author=user)
        if delete_content:
            posts.delete()
        else:
            # Keep the post; drop anything personal stored beside it (uploads, IPs, drafts).
            Draft.objects.filter(author=user).delete()

    register_eraser("forums", erase_forum_content)

Erasers run inside the erasure's transaction, before the user row is anonymised, so they can
still find the user's rows through their foreign keys. The user row itself is kept (with no
personal data) so foreign keys from content stay valid and render as "Former member".
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Role

FORMER_MEMBER_NAME = "Former member"
ADULT_AGE = 18

_erasers: dict[str, Callable] = {}


def register_eraser(name: str, eraser: Callable) -> None:
    """`eraser(user, *, delete_content: bool)`: delete (minor) or keep-but-detach (adult)
    everything of `name`'s app that belongs to `user`."""
    _erasers[name] = eraser


def is_minor(user, today: datetime.date | None = None) -> bool:
    """Youth panellists and anyone who may be under 18 by birth year count as minors."""
    if user.is_youth_panellist:
        return True
    if user.birth_year is None:
        return False
    today = today or datetime.date.today()
    return today.year - user.birth_year - 1 < ADULT_AGE


def can_erase_member(actor, user) -> bool:
    """Network coordinators carry out deletion requests; nobody erases themselves by accident
    (members ask through "Your data", which notifies the coordinators)."""
    return bool(
        actor.is_authenticated and actor.is_approved_member and actor.pk != user.pk
        and actor.has_role(Role.NETWORK_COORDINATOR)
    )


def check_erase_member(actor, user) -> None:
    if not can_erase_member(actor, user):
        raise PermissionDenied(_("Only network coordinators can erase a member's data."))


@transaction.atomic
def erase_member(*, actor, user) -> bool:
    """Erase `user`'s personal data. Returns False when they were already erased."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from guardian.models import UserObjectPermission

    from notifications.events import disconnect_user
    from notifications.models import Notification

    from .security import log_security_event
    from .services import end_all_sessions

    check_erase_member(actor, user)
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if erased_email(user) == user.email:
        return False
    delete_content = is_minor(user)
    for eraser in _erasers.values():
        eraser(user, delete_content=delete_content)

    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(actor=user).update(actor=None, actor_name=FORMER_MEMBER_NAME)
    user.memberships.all().delete()
    UserObjectPermission.objects.filter(user=user).delete()
    user.groups.clear()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()

    user.email = erased_email(user)
    user.display_name = FORMER_MEMBER_NAME
    user.first_name = user.last_name = ""
    user.bio = user.languages = ""
    user.birth_year = None
    user.show_surname = user.show_email = user.show_in_directory = False
    user.is_active = False
    user.set_unusable_password()
    user.save()

    end_all_sessions(user)
    disconnect_user(user.pk)
    log_security_event(
        "member_erased", user=user, actor=actor, minor=delete_content, erasers=",".join(sorted(_erasers))
    )
    return True


def erased_email(user) -> str:
    """Unique (the column is) and undeliverable (.invalid is reserved, RFC 2606)."""
    return f"erased-{user.pk}@erased.invalid"
