"""Roles are Django groups; organisation-scoped powers are django-guardian object permissions."""

from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from .models import Organisation, Role

# Model-level (network-wide) permissions each role's group holds.
ROLE_GLOBAL_PERMISSIONS: dict[str, list[str]] = {
    Role.NETWORK_COORDINATOR: [
        "community.approve_membership",
        "community.manage_members",
        "community.add_invitation",
        "community.change_organisation",
    ],
    Role.MODERATOR: [],
    Role.MEMBER: [],
    Role.ORG_ADMIN: [],
    Role.YOUTH_COORDINATOR: ["community.add_invitation"],
    Role.YOUTH_PANELLIST: [],
}

ORG_ADMIN_OBJECT_PERMISSIONS = ("approve_membership", "manage_members")

# Roles whose holders must use two-factor authentication before anything else.
MFA_REQUIRED_ROLES = frozenset({Role.NETWORK_COORDINATOR, Role.MODERATOR})


def ensure_role_groups() -> None:
    """Create the role groups with their global permissions (run after every migrate)."""
    for role, perm_names in ROLE_GLOBAL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for perm_name in perm_names:
            app_label, codename = perm_name.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def grant_role(user, role: Role | str) -> None:
    user.groups.add(Group.objects.get(name=str(role)))
    user.__dict__.pop("role_names", None)


def revoke_role(user, role: Role | str) -> None:
    user.groups.remove(*Group.objects.filter(name=str(role)))
    user.__dict__.pop("role_names", None)


def make_org_admin(user, organisation: Organisation) -> None:
    for codename in ORG_ADMIN_OBJECT_PERMISSIONS:
        assign_perm(f"community.{codename}", user, organisation)
    grant_role(user, Role.ORG_ADMIN)


def unmake_org_admin(user, organisation: Organisation) -> None:
    for codename in ORG_ADMIN_OBJECT_PERMISSIONS:
        remove_perm(f"community.{codename}", user, organisation)
    revoke_role(user, Role.ORG_ADMIN)


def org_admins_of(organisation: Organisation):
    return get_users_with_perms(
        organisation, only_with_perms_in=["approve_membership"], with_group_users=False, with_superusers=False
    )


def is_org_admin_of(user, organisation: Organisation) -> bool:
    return user.has_perm("community.approve_membership", organisation)
