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
