"""Reads of the youth area, already filtered by `permissions.visible_panel_ids` to what the
viewer may see. Lists, detail pages, search and notification fan-out all come through here."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from community.models import Membership, Organisation, Role
from moderation.models import ModerationItem, ModerationState

from . import permissions
from .models import (
    BirthYearChange,
    PanelMembership,
    YouthComment,
    YouthFollower,
    YouthPanel,
    YouthPost,
    YouthResource,
)

User = get_user_model()
SPACE_KIND = "youth_panel"
# What a space's reviewers see in its lists besides published content.
HELD_OR_REFUSED = (ModerationState.PENDING, ModerationState.REJECTED)


def spaces_for(*, user):
    """The spaces the viewer may enter: the European area first, then national spaces."""
    return YouthPanel.objects.filter(pk__in=permissions.visible_panel_ids(user)).select_related("country")


def european_area():
    return YouthPanel.objects.filter(is_european=True).first()


def space_for(*, user, slug: str) -> YouthPanel:
    panel = YouthPanel.objects.select_related("country").filter(slug=slug).first()
    if panel is None:
        raise Http404
    permissions.check_view_space(user, panel)
    return panel


def _posts_base():
    return (
        YouthPost.all_objects.filter(deleted_at__isnull=True)
        .select_related("author", "panel__country")
        .prefetch_related("tags")
        .annotate(
            published_comments=Count(
                "comments",
                filter=Q(comments__moderation_state=ModerationState.APPROVED, comments__deleted_at__isnull=True),
            )
        )
    )


def _visible_posts_q(user) -> Q:
    access = permissions.youth_access(user)
    in_space = Q(panel_id__in=access.visible)
    if access.european_id in access.visible:
        in_space |= Q(promoted_at__isnull=False)
    state = (
        Q(moderation_state=ModerationState.APPROVED)
        | Q(author=user, moderation_state__in=permissions.OWN_VISIBLE_STATES)
        | Q(panel_id__in=access.reviewed, moderation_state__in=HELD_OR_REFUSED)
    )
    return in_space & state


def posts_in_space(*, user, panel: YouthPanel):
    """A space's blog: its own posts and, in the European area, posts promoted to it."""
    posts = _posts_base().filter(_visible_posts_q(user))
    if panel.is_european:
        posts = posts.filter(Q(panel=panel) | Q(promoted_at__isnull=False))
        # Newest in the area first: a promoted post counts from its promotion.
        return posts.annotate(in_area_since=Coalesce("promoted_at", "created_at")).order_by("-in_area_since", "-id")
    return posts.filter(panel=panel).order_by("-created_at", "-id")


def search_posts(*, user, query: str):
    """Posts in every space the viewer may see whose title or text matches."""
    query = query.strip()
    if not query:
        return YouthPost.objects.none()
    return (
        _posts_base()
        .filter(_visible_posts_q(user))
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .order_by("-created_at", "-id")
    )


def post_for(*, user, post_id: int) -> YouthPost:
    post = YouthPost.all_objects.select_related("author", "panel__country", "promoted_by").filter(pk=post_id).first()
    if post is None:
        raise Http404
    permissions.check_view_post(user, post)
    return post


def _author_country_prefetch() -> Prefetch:
    """The commenter's country (from their approved membership), shown next to their name."""
    return Prefetch(
        "author__memberships",
        queryset=Membership.objects.filter(status=Membership.Status.APPROVED).select_related("organisation__country"),
        to_attr="approved_memberships",
    )


def comments_for(*, user, post: YouthPost):
    access = permissions.youth_access(user)
    state = Q(moderation_state=ModerationState.APPROVED) | Q(
        author=user, moderation_state__in=permissions.OWN_VISIBLE_STATES)
    if post.panel_id in access.reviewed:
        state |= Q(moderation_state__in=HELD_OR_REFUSED)
    return (
        post.comments.filter(deleted_at__isnull=True)
        .filter(state)
        .select_related("author")
        .prefetch_related(_author_country_prefetch())
        .order_by("created_at", "id")
    )


def comment_to_delete(*, user, comment_id: int) -> YouthComment:
    """A comment `user` may delete: their own (even under a post they can no longer open) or one
    in a space they coordinate."""
    comment = YouthComment.all_objects.select_related("post__panel", "author").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    permissions.check_delete_comment(user, comment)
    return comment


def own_comments_under_posts_gone(*, user) -> list[YouthComment]:
    """The viewer's comments under posts they can no longer open: deleted by their author, or
    hidden or refused by a coordinator. Nobody reads them there any more (but the coordinators,
    under a hidden post), so the youth area lists them for their author to delete."""
    if not user.is_authenticated:
        return []
    taken_down = ~Q(post__moderation_state=ModerationState.APPROVED) & ~Q(post__author=user)
    gone = Q(post__deleted_at__isnull=False) | taken_down
    comments = (
        YouthComment.all_objects.filter(author=user, deleted_at__isnull=True).filter(gone)
        .select_related("post__panel").order_by("-created_at", "-id")
    )
    return [comment for comment in comments if not permissions.can_view_post(user, comment.post)]


def resources_in(*, panel: YouthPanel):
    return panel.resources.all()


def resource_for(*, user, resource_id: int) -> YouthResource:
    resource = YouthResource.objects.select_related("panel").filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    permissions.check_view_space(user, resource.panel)
    return resource


# --- People ------------------------------------------------------------------------------

def _decided_panellists() -> Q:
    """Panellists whose panel a row decides (see PanelMembership): not the country default."""
    return Q(pk__in=PanelMembership.objects.filter(user__isnull=False).values("user_id")) | Q(
        pk__in=PanelMembership.objects.filter(invitation__accepted_by__isnull=False).values("invitation__accepted_by")
    )


def _default_panellists(country_filter: Q) -> Q:
    approved = Membership.objects.filter(Q(status=Membership.Status.APPROVED) & country_filter)
    return Q(groups__name=Role.YOUTH_PANELLIST, pk__in=approved.values("user_id")) & ~_decided_panellists()


def _active_people():
    return User.objects.filter(
        is_active=True, suspended_at__isnull=True, memberships__status=Membership.Status.APPROVED
    )


def _live_rows():
    """Active panel places whose parental authorisation (if it has an end) still holds."""
    return PanelMembership.objects.filter(status=PanelMembership.Status.ACTIVE).exclude(
        authorisation_expires_on__lt=timezone.localdate()
    )


def panellists_of(panel: YouthPanel):
    """The active panellists of a national panel (explicit rows and the country default)."""
    explicit = _live_rows().filter(panel=panel).values("user_id")
    default = _default_panellists(Q(organisation__country_id=panel.country_id))
    return _active_people().filter(Q(pk__in=explicit) | default).distinct()


def expired_authorisations(*, panel: YouthPanel):
    """Panellists whose parent's authorisation has run out: the space is closed to them until
    the coordinator records a new one."""
    return (
        panel.memberships.filter(
            status=PanelMembership.Status.ACTIVE, authorisation_expires_on__lt=timezone.localdate()
        )
        .select_related("user", "authorisation_recorded_by")
        .order_by("authorisation_expires_on")
    )


def awaiting_authorisations(*, panel: YouthPanel):
    """Panellists admitted outside the panel invitation below the digital-consent age (or of
    unknown age): their place waits until the coordinator records a parent's authorisation."""
    return (
        panel.memberships.filter(status=PanelMembership.Status.AWAITING_AUTHORISATION, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "id")
    )


def birth_years_to_check(*, panel: YouthPanel):
    """Panellists' own birth years that would lift the parent's-authorisation requirement:
    they count once a coordinator confirms them."""
    return (
        panel.birth_year_changes.filter(status=BirthYearChange.Status.WAITING, user__is_active=True)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def has_expired_authorisation(user) -> bool:
    return PanelMembership.objects.filter(
        user=user, status=PanelMembership.Status.ACTIVE, authorisation_expires_on__lt=timezone.localdate()
    ).exists()


def removable_panellists_of(panel: YouthPanel):
    """People a coordinator may remove from the panel: its panellists and those waiting for a
    first or renewed authorisation."""
    expired = expired_authorisations(panel=panel).values("user_id")
    awaiting = awaiting_authorisations(panel=panel).values("user_id")
    return User.objects.filter(
        Q(pk__in=panellists_of(panel).values("pk")) | Q(pk__in=expired) | Q(pk__in=awaiting)
    )


def coordinators_of(panel: YouthPanel):
    guardian_ids = get_users_with_perms(
        panel, only_with_perms_in=["moderate_youthpanel"], with_group_users=True, with_superusers=False
    ).values("pk")
    who = Q(pk__in=guardian_ids)
    if not panel.is_european:
        # Youth coordinators coordinate their own country's panel (see permissions.youth_access).
        who |= Q(
            groups__name=Role.YOUTH_COORDINATOR,
            memberships__status=Membership.Status.APPROVED,
            memberships__organisation__country_id=panel.country_id,
        )
    return _active_people().filter(who).distinct()


def viewers_of_space(panel: YouthPanel):
    """Everyone who may see `panel` now: `permissions.visible_panel_ids` as one query, for
    notification fan-out. Network moderators read every space by office and are left out: they
    are not told of every youth post."""
    network = Q(groups__name=Role.NETWORK_COORDINATOR)
    coordinators = Q(pk__in=coordinators_of(panel).values("pk"))
    if not panel.is_european:
        panellists = Q(pk__in=panellists_of(panel).values("pk"))
        return _active_people().filter(network | coordinators | panellists).distinct()
    all_active = _live_rows().values("user_id")
    with_panel = _default_panellists(Q(organisation__country__youth_panel__isnull=False))
    readers = (
        network
        | coordinators
        | Q(pk__in=all_active)
        | with_panel
        | Q(groups__name=Role.YOUTH_COORDINATOR)
        | Q(pk__in=YouthFollower.objects.values("user_id"))
    )
    return _active_people().filter(readers).distinct()


def panel_members_for_dashboard(*, panel: YouthPanel):
    return (
        panellists_of(panel)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.APPROVED).select_related("organisation"),
                to_attr="approved_memberships",
            ),
            # The consent record, if the panellist joined through an invitation.
            Prefetch("panel_memberships", queryset=_live_rows().filter(panel=panel).select_related(
                "authorisation_recorded_by"), to_attr="panel_places"),
        )
        .order_by("display_name", "pk")
    )


def invitations_of(*, panel: YouthPanel):
    """Invitations not yet turned into an active membership: waiting to be accepted, or
    accepted and waiting for the coordinator's approval."""
    return (
        panel.memberships.filter(status=PanelMembership.Status.INVITED)
        .select_related("invitation__accepted_by", "invited_by", "authorisation_recorded_by")
        .order_by("-created_at")
    )


def inviting_organisations(*, panel: YouthPanel):
    """Organisations a panellist may be invited into: active ones of the panel's country."""
    return Organisation.objects.filter(country_id=panel.country_id, status=Organisation.Status.ACTIVE).order_by("name")


# --- Coordinator dashboard ---------------------------------------------------------------

def pending_items_for(*, panel: YouthPanel):
    """What waits for a decision in this space (the moderation queue owns the decisions)."""
    return ModerationItem.objects.filter(
        status=ModerationItem.Status.OPEN, space_kind=SPACE_KIND, space_id=panel.pk
    ).order_by("created_at", "id")


def recent_activity(*, panel: YouthPanel, limit: int = 10):
    """The space's newest posts and comments in every state (the dashboard labels each one):
    its coordinators moderate it."""
    posts = list(
        YouthPost.all_objects.filter(panel=panel, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-created_at")[:limit]
    )
    comments = list(
        YouthComment.all_objects.filter(post__panel=panel, deleted_at__isnull=True)
        .select_related("author", "post")
        .order_by("-created_at")[:limit]
    )
    return sorted(posts + comments, key=lambda item: item.created_at, reverse=True)[:limit]


def monthly_counts(*, panel: YouthPanel, months: int = 12) -> list[dict]:
    """Posts and comments written in the space per month, newest first (held and refused
    ones too: the coordinators' measure of how much the panel writes)."""
    posts = (
        YouthPost.all_objects.filter(panel=panel, deleted_at__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
    )
    comments = (
        YouthComment.all_objects.filter(post__panel=panel, deleted_at__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
    )
    table: dict = {}
    for row in posts:
        table.setdefault(row["month"], {"month": row["month"], "posts": 0, "comments": 0})["posts"] = row["count"]
    for row in comments:
        table.setdefault(row["month"], {"month": row["month"], "posts": 0, "comments": 0})["comments"] = row["count"]
    return sorted(table.values(), key=lambda row: row["month"], reverse=True)[:months]

