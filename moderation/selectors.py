"""Reads of moderation, already filtered to what the viewer may see."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q

from .models import AuditEntry, Flag, ModerationItem, SafeguardingConcern, Sanction
from .permissions import can_handle_concern, is_network_safeguarding_lead, is_safeguarding_lead, lead_country_id
from .registry import (
    NETWORK_MODERATOR_ROLES,
    Space,
    can_moderate_space,
    is_network_moderator,
    registration_for_content_type_id,
)
from .rules import RULE_LABELS


@dataclass
class QueueScope:
    """What part of the queue a viewer moderates: a filter plus the spaces it covers."""

    condition: Q
    spaces: list[Space]
    everything: bool = False


def queue_scope(user) -> QueueScope:
    """One query for the spaces that have waiting items, then one scope check per space
    (never per item), so the cost does not grow with the queue."""
    rows = (
        ModerationItem.objects.filter(status=ModerationItem.Status.OPEN)
        .order_by()
        .values_list("content_type_id", "space_kind", "space_id", "space_label")
        .distinct()
    )
    everything = is_network_moderator(user)
    condition = Q() if everything else Q(pk__in=[])
    spaces: dict[str, Space] = {}
    decided: dict[tuple, bool] = {}
    for content_type_id, kind, space_id, label in rows:
        space = Space(kind=kind, pk=space_id, label=label)
        if not everything:
            registration = registration_for_content_type_id(content_type_id)
            key = (registration.can_moderate if registration else None, kind, space_id)
            if key not in decided:
                decided[key] = can_moderate_space(user, registration, space)
            if not decided[key]:
                continue
            condition |= Q(content_type_id=content_type_id, space_kind=kind, space_id=space_id)
        spaces.setdefault(space.key, space)
    return QueueScope(condition=condition, spaces=sorted(spaces.values(), key=lambda s: s.label), everything=everything)


def items_in_scope(user, scope: QueueScope | None = None):
    """Items in the spaces `user` moderates, among the spaces that have waiting items."""
    scope = scope or queue_scope(user)
    if scope.everything:
        return ModerationItem.objects.all()
    return ModerationItem.objects.filter(scope.condition)


def queue_for(user, *, scope: QueueScope | None = None, space_key: str = "", content_type_id=None, reason: str = "",
              rule: str = ""):
    """The items `user` may decide, oldest first: never their own, never an appeal of their
    own decision."""
    items = (
        items_in_scope(user, scope)
        .filter(status=ModerationItem.Status.OPEN)
        .exclude(author=user)
        .exclude(excluded_moderator=user)
    )
    if space_key:
        space = Space.from_key(space_key)
        items = items.filter(space_kind=space.kind, space_id=space.pk)
    if content_type_id:
        items = items.filter(content_type_id=content_type_id)
    if reason in ModerationItem.Reason.values:
        items = items.filter(reason=reason)
    if rule in RULE_LABELS:
        # hold_rules is a short JSON list of codes; matching the quoted code works on both
        # SQLite and PostgreSQL (JSON containment lookups do not exist on SQLite).
        items = items.filter(hold_rules__icontains=f'"{rule}"')
    return (
        items.select_related("content_type", "appeal_of")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.select_related("flagged_by").order_by("created_at")))
        .order_by("created_at", "id")
    )


def pending_count_for(user) -> int:
    """The header's count of items waiting for this viewer."""
    if not (user.is_authenticated and user.is_approved_member):
        return 0
    return queue_for(user).count()


def network_moderators():
    return get_user_model().objects.filter(
        groups__name__in=[str(role) for role in NETWORK_MODERATOR_ROLES], is_active=True, suspended_at__isnull=True
    ).distinct()


def pending_counts_after_change(changed_items) -> dict[int, int]:
    """Each moderator whose queue holds one of `changed_items` (the network moderators and the
    moderators of those items' spaces), with their new pending count, counted as `queue_for`
    counts it (never their own items, never an appeal of their own decision).

    The cost does not grow with the moderators nor with the queue: one query for the network
    moderators, one for the waiting items grouped by space, author and excluded moderator,
    and one `moderators_of` per space that has waiting items or was changed."""
    network = set(network_moderators().values_list("pk", flat=True))
    waiting = list(
        ModerationItem.objects.filter(status=ModerationItem.Status.OPEN)
        .order_by()
        .values("content_type_id", "space_kind", "space_id", "author_id", "excluded_moderator_id")
        .annotate(count=Count("pk"))
    )
    moderators_by_space: dict[tuple, frozenset[int]] = {}

    def moderators_of(content_type_id, kind, space_id) -> frozenset[int]:
        registration = registration_for_content_type_id(content_type_id)
        if registration is None or not kind:
            return frozenset()
        # Models living in the same kind of space share the callable: asked once per space.
        key = (registration.moderators_of, kind, space_id)
        if key not in moderators_by_space:
            people = registration.moderators_of(Space(kind=kind, pk=space_id))
            moderators_by_space[key] = frozenset(person.pk for person in people)
        return moderators_by_space[key]

    affected = set(network)
    for item in changed_items:
        affected |= moderators_of(item.content_type_id, item.space_kind, item.space_id)
    counts = dict.fromkeys(affected, 0)
    for row in waiting:
        deciders = network | moderators_of(row["content_type_id"], row["space_kind"], row["space_id"])
        for user_id in deciders & affected:
            if user_id not in (row["author_id"], row["excluded_moderator_id"]):
                counts[user_id] += row["count"]
    return counts


def history_of(item: ModerationItem):
    """Every queue item and audit entry about the same object, for the item page."""
    items = ModerationItem.objects.filter(content_type_id=item.content_type_id, object_id=item.object_id).order_by(
        "created_at", "id"
    )
    entries = AuditEntry.objects.filter(content_type_id=item.content_type_id, object_id=item.object_id).order_by(
        "created_at", "id"
    )
    return items, entries


def items_by_author(user):
    return (
        ModerationItem.objects.filter(author=user)
        .exclude(kind=ModerationItem.Kind.APPEAL)
        .select_related("appeal")
        .order_by("-created_at", "-id")
    )


def author_links(user, items) -> dict[int, str]:
    """{item id: link} for "Your submissions": the items whose content their author can open
    now, in whatever state (authors see their own held, refused and hidden content), and not
    deleted or withdrawn. One query per kind of content on the page."""
    by_type = defaultdict(list)
    for item in items:
        if item.url and item.status != ModerationItem.Status.WITHDRAWN:
            by_type[item.content_type_id].append(item)
    links = {}
    for content_type_id, typed in by_type.items():
        registration = registration_for_content_type_id(content_type_id)
        if registration is None:
            continue
        objects = registration.model._default_manager.select_related(*registration.view_related).in_bulk(
            [item.object_id for item in typed])
        for item in typed:
            obj = objects.get(item.object_id)
            if obj is not None and getattr(obj, "deleted_at", None) is None and registration.can_view(user, obj):
                links[item.pk] = item.url
    return links


def active_sanctions_of(user):
    return Sanction.objects.active().filter(user=user).order_by("ends_at")


def sanctions_of(user):
    return Sanction.objects.filter(user=user).order_by("-starts_at")


def audit_entries(*, action: str = "", actor: str = "", space_key: str = "", date_from=None, date_to=None):
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if space_key:
        space = Space.from_key(space_key)
        entries = entries.filter(space_kind=space.kind, space_id=space.pk)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries.select_related("content_type").order_by("-created_at", "-id")


def audit_spaces() -> list[Space]:
    rows = (
        AuditEntry.objects.exclude(space_kind="").order_by()
        .values_list("space_kind", "space_id", "space_label").distinct()
    )
    spaces = {space.key: space for space in (Space(kind=kind, pk=pk, label=label) for kind, pk, label in rows)}
    return sorted(spaces.values(), key=lambda s: s.label)


def concerns_for(user):
    """Concerns the viewer handles as a safeguarding lead (none for anyone else)."""
    if not is_safeguarding_lead(user):
        return SafeguardingConcern.objects.none()
    concerns = SafeguardingConcern.objects.exclude(raised_by=user).exclude(about_user=user)
    if not is_network_safeguarding_lead(user):
        concerns = concerns.filter(country_id=lead_country_id(user))
    return concerns.select_related("country").order_by("created_at", "id")


def concern_for(user, concern_id: int) -> SafeguardingConcern | None:
    concern = concerns_for(user).filter(pk=concern_id).prefetch_related("events").first()
    if concern is None or not can_handle_concern(user, concern):
        return None
    return concern
