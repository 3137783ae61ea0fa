"""Every "may X do Y to Z" of the community app. Views and services both call these.

`can_*` answers for templates; `check_*` raises: Http404 where the user may not know the object
exists, PermissionDenied where they can see it but may not act.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation, Role
from .roles import MFA_REQUIRED_ROLES


def _is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_approved_member)


def has_network_power(user, perm: str) -> bool:
    """A network-wide (group) permission, held by an approved member."""
    return _is_member(user) and user.has_perm(perm)


def can_decide_membership(user, membership: Membership) -> bool:
    if not _is_member(user) or membership.user_id == user.pk:
        return False
    return user.has_perm("community.approve_membership") or user.has_perm(
        "community.approve_membership", membership.organisation
    )


def decides_memberships(user) -> bool:
    """Whether the "Membership requests" page is for this user (coordinators and org admins)."""
    # Decided by role (already loaded) so the header costs no permission queries.
    return _is_member(user) and bool({Role.NETWORK_COORDINATOR, Role.ORG_ADMIN} & user.role_names)


def check_decide_membership(user, membership: Membership) -> None:
    if not can_decide_membership(user, membership):
        raise Http404


def can_manage_members(user, organisation: Organisation) -> bool:
    if not _is_member(user):
        return False
    return user.has_perm("community.manage_members") or user.has_perm("community.manage_members", organisation)


def check_manage_members(user, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise PermissionDenied


def can_decide_organisations(user) -> bool:
    return _is_member(user) and user.has_role(Role.NETWORK_COORDINATOR)


def check_decide_organisations(user) -> None:
    if not can_decide_organisations(user):
        raise Http404


def invitable_roles(user, organisation: Organisation) -> list[str]:
    """The roles `user` may invite someone into at `organisation` (empty: may not invite)."""
    if not _is_member(user) or not organisation.is_active:
        return []
    if user.has_role(Role.NETWORK_COORDINATOR):
        return [Role.MEMBER, Role.YOUTH_COORDINATOR, Role.YOUTH_PANELLIST]
    roles = []
    if can_manage_members(user, organisation):
        roles.append(Role.MEMBER)
    own = user.approved_membership.organisation
    if user.has_role(Role.YOUTH_COORDINATOR) and own.country_id == organisation.country_id:
        roles.append(Role.YOUTH_PANELLIST)
    return roles


def can_invite(user) -> bool:
    """Whether the invitations page is for this user at all."""
    if not _is_member(user):
        return False
    return bool(
        user.has_role(Role.NETWORK_COORDINATOR)
        or user.has_role(Role.YOUTH_COORDINATOR)
        or user.has_role(Role.ORG_ADMIN)
    )


def check_invite(user, organisation: Organisation, role: str) -> None:
    if role not in invitable_roles(user, organisation):
        raise PermissionDenied


def can_suspend(user, target) -> bool:
    if not _is_member(user) or user.pk == target.pk:
        return False
    return user.has_role(Role.NETWORK_COORDINATOR) or user.has_role(Role.MODERATOR)


def check_suspend(user, target) -> None:
    if not can_suspend(user, target):
        raise PermissionDenied


def sees_private_details(viewer, person) -> bool:
    """Coordinators see what they need to run the network; members see what people share."""
    if viewer.pk == person.pk:
        return True
    if not _is_member(viewer):
        return False
    if viewer.has_role(Role.NETWORK_COORDINATOR) or viewer.has_role(Role.MODERATOR):
        return True
    if person.is_youth_panellist and viewer.has_role(Role.YOUTH_COORDINATOR):
        person_membership = person.approved_membership
        return bool(
            person_membership
            and person_membership.organisation.country_id == viewer.approved_membership.organisation.country_id
        )
    return False


def requires_mfa(user) -> bool:
    """Network coordinators, moderators, organisation admins and hotline staff must use
    two-factor authentication (issue 9: every role that can see others' data or act on it)."""
    if not user.is_authenticated:
        return False
    return bool((MFA_REQUIRED_ROLES | {Role.ORG_ADMIN}) & user.role_names) or user.is_hotline_staff
