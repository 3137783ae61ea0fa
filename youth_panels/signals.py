"""A role granted or revoked changes who may use the youth spaces' discussions at once (the
forums engine reads the space's groups, kept by `services.sync_discussion_access`); the
panellist role granted outside the panel invitation gives a panel place only with the consent
rules (`services.place_admitted_panellist`)."""

from django.contrib.auth.models import Group

from community.models import Role

from . import services

ROLES_THAT_OPEN_YOUTH_SPACES = (Role.YOUTH_PANELLIST, Role.YOUTH_COORDINATOR, Role.NETWORK_COORDINATOR)


def role_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # `reverse`: a group's user set changed, which only the youth area's own groups do.
    if reverse or action not in ("post_add", "post_remove") or not pk_set:
        return
    granted = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    if action == "post_add" and str(Role.YOUTH_PANELLIST) in granted:
        # Admitted outside the panel invitation: the place depends on the consent age.
        services.place_admitted_panellist(instance)
    if granted & {str(role) for role in ROLES_THAT_OPEN_YOUTH_SPACES}:
        services.resync_discussion_access(instance)


def invitation_saved(sender, instance, update_fields=None, **kwargs):
    """A panel invitation accepted: its own place decides (see services.joined_by_panel_invitation)."""
    if instance.accepted_by_id is not None and (update_fields is None or "accepted_by" in update_fields):
        services.joined_by_panel_invitation(instance)
