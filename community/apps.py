from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        # Permissions exist only after migrate has run, so groups are wired up then.
        post_migrate.connect(_ensure_role_groups, sender=self)
        from .security import connect_receivers

        # Security events (logins, role changes, suspensions) are logged from every path.
        connect_receivers()
        _register_notification_kinds()


def _register_notification_kinds():
    from django.utils.translation import gettext_lazy as _

    from notifications.kinds import Delivery, register_kind

    group = _("Membership")
    register_kind("membership_request", label=_("Membership requests for you to decide"), group=group,
                  default_delivery=Delivery.EMAIL)
    register_kind("organisation_request", label=_("New organisations to approve"), group=group,
                  default_delivery=Delivery.EMAIL)
    register_kind("membership_decision", label=_("Decisions about your membership"), group=group,
                  default_delivery=Delivery.EMAIL, is_account=True)
    register_kind("role_change", label=_("Changes to your roles"), group=group,
                  default_delivery=Delivery.EMAIL, is_account=True)
    register_kind("invitation_accepted", label=_("Your invitations accepted"), group=group)
    register_kind("deletion_request", label=_("Account deletion requests to handle"), group=group,
                  default_delivery=Delivery.EMAIL)
