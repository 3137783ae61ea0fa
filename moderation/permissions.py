"""Every "may X do Y" of moderation. Scope itself is `registry.may_moderate`.

`can_*` answers for templates; `check_*` raises: Http404 where the user may not know the
thing exists (another space's queue item, a concern), PermissionDenied where they may see it
but not act.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from community.models import Role

from .registry import can_moderate_space, is_network_moderator, registration_for_content_type_id

SAFEGUARDING_LEAD = "safeguarding_lead"


def _is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved_member)


def can_moderate_item(user, item) -> bool:
    """May `user` see this queue item (scope only)."""
    registration = registration_for_content_type_id(item.content_type_id)
    return can_moderate_space(user, registration, item.space)


def can_decide_item(user, item) -> bool:
    """Scope, and never one's own content, and never the appeal of one's own decision."""
    if not can_moderate_item(user, item):
        return False
    if item.author_id is not None and item.author_id == user.pk:
        return False
    return item.excluded_moderator_id != user.pk


def check_decide_item(user, item) -> None:
    if not can_moderate_item(user, item):
        raise Http404
    if not can_decide_item(user, item):
        raise PermissionDenied(_("Another moderator decides this one: it is yours, or it appeals your decision."))


def can_use_queue(user) -> bool:
    return _is_member(user)


def can_view_audit(user) -> bool:
    return _is_member(user) and user.has_role(Role.NETWORK_COORDINATOR)


def check_view_audit(user) -> None:
    if not can_view_audit(user):
        raise Http404


def can_manage_settings(user) -> bool:
    """Policies, word lists, thresholds and safeguarding leads: the coordination team."""
    return _is_member(user) and user.has_role(Role.NETWORK_COORDINATOR)


def check_manage_settings(user) -> None:
    if not can_manage_settings(user):
        raise Http404


def can_suspend_accounts(user) -> bool:
    return is_network_moderator(user)


def check_suspend_accounts(user, member) -> None:
    if not can_suspend_accounts(user) or user.pk == member.pk:
        raise PermissionDenied(_("Only network moderators may suspend accounts."))


def is_safeguarding_lead(user) -> bool:
    return _is_member(user) and user.has_role(SAFEGUARDING_LEAD)


def is_network_safeguarding_lead(user) -> bool:
    return is_safeguarding_lead(user) and user.has_role(Role.NETWORK_COORDINATOR)


def lead_country_id(user):
    membership = user.approved_membership
    return membership.organisation.country_id if membership else None


def can_handle_concern(user, concern) -> bool:
    if not is_safeguarding_lead(user) or concern.raised_by_id == user.pk or concern.about_user_id == user.pk:
        return False
    return is_network_safeguarding_lead(user) or concern.country_id == lead_country_id(user)


def check_handle_concern(user, concern) -> None:
    if not can_handle_concern(user, concern):
        raise Http404


def can_raise_concern(user) -> bool:
    return _is_member(user)
