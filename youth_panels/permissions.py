"""Every "may X do Y" of the youth area. Views, services, selectors and the moderation
registration all call these.

Who sees a space is answered in ONE place, `visible_panel_ids(user)`:

- a national space: its panellists, its coordinators, network coordinators;
- the European youth area: every active panellist, every youth coordinator, staff who opted
  in to follow youth work (`YouthFollower`), network coordinators;
- and every space, to read only, for network moderators (`Role.MODERATOR`): they decide youth
  items in the moderation queue, so they see them in place, held ones included (issue 9: youth
  data is shown to their panel's coordinators and moderators). They neither post nor
  coordinate there.

Everything else is a 404: pages, ids, lists, search and notification fan-out
(`selectors.viewers_of_space` is the same rule written as one query, without the network
moderators, who read by office and are not told of every post).

`can_*` answer for templates; `check_*` raise Http404 where the user may not know the object
exists and PermissionDenied where they can see it but may not act.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from community.models import Role

from .models import PanelMembership, YouthComment, YouthFollower, YouthPanel, YouthPost

COORDINATE = "youth_panels.moderate_youthpanel"
_CACHE = "_youth_access_cache"


@dataclass(frozen=True)
class YouthAccess:
    visible: frozenset[int]
    coordinated: frozenset[int]
    national_panel_id: int | None  # the panellist's active national panel
    european_id: int | None
    is_follower: bool
    is_pending_panellist: bool  # accepted an invitation, waiting for the coordinator
    # Admitted outside the panel invitation below the digital-consent age (or of unknown age):
    # no panel until the coordinator records a parent's authorisation.
    awaits_authorisation: bool = False
    # Spaces whose held and rejected content the user sees: those they coordinate, and every
    # space for network moderators.
    reviewed: frozenset[int] = frozenset()


def _is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved_member)


def _own_country_id(user):
    membership = user.approved_membership
    return membership.organisation.country_id if membership else None


def panellist_standing(user) -> tuple[int | None, bool, bool]:
    """(active national panel id, waiting for approval, waiting for a parent's authorisation)
    of a youth panellist.

    A row decides when there is one: an active row names the panel (unless the parent's
    authorisation has expired); an invitation the person accepted waits for the coordinator;
    a place waiting for a parent's authorisation waits for the coordinator to record it; only
    removed rows mean no panel. Without any row the panellist belongs to the panel of their
    organisation's country.
    """
    rows = list(
        PanelMembership.objects.filter(Q(user=user) | Q(invitation__accepted_by=user)).values_list(
            "panel_id", "status", "authorisation_expires_on"
        )
    )
    today = timezone.localdate()
    for panel_id, status, expires_on in rows:
        if status == PanelMembership.Status.ACTIVE:
            # An expired parental authorisation closes the youth area until it is renewed.
            return (None if expires_on is not None and expires_on < today else panel_id), False, False
    statuses = {status for _, status, _expiry in rows}
    if PanelMembership.Status.INVITED in statuses:
        return None, True, False
    if rows:
        return None, False, PanelMembership.Status.AWAITING_AUTHORISATION in statuses
    country_id = _own_country_id(user)
    panel_id = YouthPanel.objects.filter(country_id=country_id).values_list("pk", flat=True).first()
    return panel_id, False, False


def youth_access(user) -> YouthAccess:
    """What `user` may see and coordinate in the youth area, computed once per request."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    nothing = YouthAccess(frozenset(), frozenset(), None, None, False, False)
    if not _is_member(user):
        return nothing
    panels = dict(YouthPanel.objects.values_list("pk", "country_id"))
    european_id = next((pk for pk, country_id in panels.items() if country_id is None), None)
    everything = frozenset(panels)
    if user.is_network_coordinator:
        access = YouthAccess(everything, everything, None, european_id, False, False, reviewed=everything)
        setattr(user, _CACHE, access)
        return access
    if user.has_role(Role.MODERATOR):
        access = YouthAccess(everything, frozenset(), None, european_id, False, False, reviewed=everything)
        setattr(user, _CACHE, access)
        return access

    coordinated = set(
        get_objects_for_user(user, COORDINATE, klass=YouthPanel, accept_global_perms=False).values_list(
            "pk", flat=True
        )
    )
    if user.has_role(Role.YOUTH_COORDINATOR):
        own_country = _own_country_id(user)
        coordinated |= {pk for pk, country_id in panels.items() if country_id is not None and country_id == own_country}

    visible = set(coordinated)
    national_id, pending, awaits_authorisation = (None, False, False)
    if user.is_youth_panellist:
        national_id, pending, awaits_authorisation = panellist_standing(user)
    if national_id is not None:
        visible.add(national_id)
    is_follower = False
    if european_id is not None:
        is_follower = YouthFollower.objects.filter(user=user).exists()
        if national_id is not None or user.has_role(Role.YOUTH_COORDINATOR) or is_follower:
            visible.add(european_id)
    access = YouthAccess(
        frozenset(visible), frozenset(coordinated), national_id, european_id, is_follower, pending,
        reviewed=frozenset(coordinated), awaits_authorisation=awaits_authorisation,
    )
    setattr(user, _CACHE, access)
    return access


def forget_cached_access(user) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def visible_panel_ids(user) -> frozenset[int]:
    return youth_access(user).visible


# --- Spaces ------------------------------------------------------------------------------

def can_view_space(user, panel: YouthPanel) -> bool:
    return panel.pk in visible_panel_ids(user)


def check_view_space(user, panel: YouthPanel) -> None:
    if not can_view_space(user, panel):
        raise Http404


def can_coordinate(user, panel: YouthPanel) -> bool:
    """Coordinators moderate and run their panel's space; network coordinators every space."""
    return panel.pk in youth_access(user).coordinated


def check_coordinate(user, panel: YouthPanel) -> None:
    check_view_space(user, panel)
    if not can_coordinate(user, panel):
        raise PermissionDenied


def can_participate(user, panel: YouthPanel) -> bool:
    """Comment and discuss: panellists and coordinators. Staff who only follow youth work read."""
    if not can_view_space(user, panel):
        return False
    access = youth_access(user)
    if panel.pk in access.coordinated or panel.pk == access.national_panel_id:
        return True
    return panel.is_european and (access.national_panel_id is not None or user.has_role(Role.YOUTH_COORDINATOR))


def can_write_post(user, panel: YouthPanel) -> bool:
    """Panellists blog in their national space; the European area shows promoted posts and
    what its coordinators write."""
    access = youth_access(user)
    return can_view_space(user, panel) and (panel.pk in access.coordinated or panel.pk == access.national_panel_id)


def check_write_post(user, panel: YouthPanel) -> None:
    check_view_space(user, panel)
    if not can_write_post(user, panel):
        raise PermissionDenied


def can_follow_youth_work(user) -> bool:
    """Staff opt in to read the European youth area; panellists, youth coordinators and network
    moderators are in it already."""
    return _is_member(user) and not (
        user.is_youth_panellist or user.has_role(Role.YOUTH_COORDINATOR) or user.has_role(Role.MODERATOR)
    )


def check_follow_youth_work(user) -> None:
    if not can_follow_youth_work(user):
        raise PermissionDenied


# --- Posts and comments ------------------------------------------------------------------

def _sees_space_of_post(user, post: YouthPost) -> bool:
    visible = visible_panel_ids(user)
    if post.panel_id in visible:
        return True
    return post.promoted_at is not None and youth_access(user).european_id in visible


def can_review_in(user, panel_id: int) -> bool:
    """Sees the space's held, rejected and hidden content: its coordinators, network moderators."""
    return panel_id in youth_access(user).reviewed


# Authors see their own content in every moderation state (labelled), hidden included, so they
# can delete it at any time (issue 5); nobody sees deleted content.
OWN_VISIBLE_STATES = ("pending", "rejected", "hidden")


def can_view_post(user, post: YouthPost) -> bool:
    if post.deleted_at is not None or not _sees_space_of_post(user, post):
        return False
    if post.moderation_state == "approved":
        return True
    if post.author_id == user.pk and post.moderation_state in OWN_VISIBLE_STATES:
        return True
    return can_review_in(user, post.panel_id)


def check_view_post(user, post: YouthPost) -> None:
    if not can_view_post(user, post):
        raise Http404


def can_delete_post(user, post: YouthPost) -> bool:
    """Panellists may delete their own content at any time; coordinators anything in their space."""
    return can_view_post(user, post) and (post.author_id == user.pk or can_coordinate(user, post.panel))


def check_delete_post(user, post: YouthPost) -> None:
    check_view_post(user, post)
    if not can_delete_post(user, post):
        raise PermissionDenied


def can_edit_post(user, post: YouthPost) -> bool:
    """Authors edit their own posts (an edit of a published post waits for review)."""
    return can_view_post(user, post) and post.author_id == user.pk and post.moderation_state != "hidden"


def check_edit_post(user, post: YouthPost) -> None:
    check_view_post(user, post)
    if not can_edit_post(user, post):
        raise PermissionDenied


def can_promote_post(user, post: YouthPost) -> bool:
    return (
        can_view_post(user, post)
        and not post.panel.is_european
        and post.moderation_state == "approved"
        and can_coordinate(user, post.panel)
    )


def check_promote_post(user, post: YouthPost) -> None:
    check_view_post(user, post)
    if not can_promote_post(user, post):
        raise PermissionDenied


def can_comment(user, post: YouthPost) -> bool:
    if not can_view_post(user, post) or post.moderation_state != "approved":
        return False
    visible = visible_panel_ids(user)
    spaces = [post.panel] if post.panel_id in visible else []
    if not spaces and post.promoted_at is not None:
        spaces = list(YouthPanel.objects.filter(is_european=True))
    return any(can_participate(user, space) for space in spaces)


def check_comment(user, post: YouthPost) -> None:
    check_view_post(user, post)
    if not can_comment(user, post):
        raise PermissionDenied


def can_view_comment(user, comment: YouthComment) -> bool:
    if comment.deleted_at is not None or not can_view_post(user, comment.post):
        return False
    if comment.moderation_state == "approved":
        return True
    if comment.author_id == user.pk and comment.moderation_state in OWN_VISIBLE_STATES:
        return True
    return can_review_in(user, comment.post.panel_id)


def can_delete_comment(user, comment: YouthComment) -> bool:
    """Authors may delete their own comments at any time, also under a post they can no longer
    open (deleted, or taken down by a coordinator); coordinators anything they see in their space."""
    if comment.deleted_at is not None:
        return False
    if user.is_authenticated and comment.author_id == user.pk:
        return True
    return can_view_comment(user, comment) and can_coordinate(user, comment.post.panel)


def check_delete_comment(user, comment: YouthComment) -> None:
    if can_delete_comment(user, comment):
        return
    if not can_view_comment(user, comment):
        raise Http404
    raise PermissionDenied


# --- Moderation scope (called by moderation.registry) ------------------------------------

def can_moderate_panel_id(user, panel_id: int | None) -> bool:
    return panel_id is not None and panel_id in youth_access(user).coordinated
