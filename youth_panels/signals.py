"""A role granted or revoked changes who may use the youth spaces' discussions at once (the
forums engine reads the space's groups, kept by `services.sync_discussion_access`)."""

from django.contrib.auth.models import Group

from community.models import Role

from . import services

ROLES_THAT_OPEN_YOUTH_SPACES = (Role.YOUTH_PANELLIST, Role.YOUTH_COORDINATOR, Role.NETWORK_COORDINATOR)


def role_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # `reverse`: a group's user set changed, which only the youth area's own groups do.
    if reverse or action not in ("post_add", "post_remove") or not pk_set:
        return
    if Group.objects.filter(pk__in=pk_set, name__in=[str(role) for role in ROLES_THAT_OPEN_YOUTH_SPACES]).exists():
        services.resync_discussion_access(instance)
