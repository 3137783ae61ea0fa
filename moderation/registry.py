"""Which models are moderated, where each object lives, and who may moderate it.

Moderation knows only `community` and `notifications` (see STYLE.md, layering). Feature apps
(forums, youth_panels, meetings) therefore *register* their moderated models here, in their
`AppConfig.ready()`, and hand over callables for everything moderation cannot know itself.

How to integrate a model
========================

1. The model inherits `moderation.models.ModeratedContent` (fields `moderation_state`,
   `submitted_at`). Its manager `objects` returns approved rows only; `all_objects` returns
   every row, for moderators, an author's own items, services acting on held content,
   erasure and export. `all_objects` is the default manager, so reverse relations
   (`topic.posts`) return every state too: pages read through selectors, which filter.

2. Register it once, in `AppConfig.ready()`::

       from moderation.registry import ModeratedModel, Space, register

       def forum_space(obj) -> Space:          # Post -> its topic's forum
           forum = obj.topic.forum
           return Space(kind="forum", pk=forum.pk, label=forum.name)

       def can_moderate_forum(user, space: Space) -> bool:
           return user.has_perm("forums.moderate_forum", Forum(pk=space.pk))

       def forum_moderators(space: Space):
           return get_users_with_perms(Forum(pk=space.pk), only_with_perms_in=["moderate_forum"])

       register(ModeratedModel(
           model=Post,
           space_of=forum_space,
           can_moderate=can_moderate_forum,     # scope: who moderates this *space*
           moderators_of=forum_moderators,      # who is reminded about waiting items
           can_view=lambda user, obj: can_read_forum(user, obj.topic.forum),
           author_field="author",
           text_fields=("body",),               # Markdown source: scanned, diffed
           html_field="body_html",              # rendered by the one sanitiser
           title_of=lambda post: post.topic.title,
           on_published=notify_watchers,        # optional: content became visible
           on_refused=take_down_with_it,        # optional: new content rejected or hidden
       ))

   `Space.kind` + `Space.pk` name a place ("forum" 3, "youth_panel" 7, "case_studies" None);
   queue filters, silencing and scope all work per space. Use the same `kind` for every model
   that lives in that kind of place, so a member silenced in forum 3 cannot post a topic *or*
   a reply there.

3. Creating content: call `moderation.services.submit_content(actor=, instance=, text=)`
   *before* `instance.save()`. It raises PermissionDenied when the actor is silenced in the
   space, sets `moderation_state`/`submitted_at`, and returns the reasons it was held
   (translated sentences to show the author; empty list: published at once). The queue entry
   is written in the same transaction when the instance is saved (a post_save hook; so do not
   create moderated rows with `bulk_create`).

4. Editing content: set the new values on the instance (rendered HTML included) and call
   `submit_content` again before saving (or `submit_revision(actor=, instance=, changes=)`,
   which sets them for you). For approved content the changed fields are compared with the
   stored row; when the edit is held they are put back on the instance, so saving keeps the
   approved version visible, and the edit waits in the queue as a revision ("approving the
   revision publishes it", with `on_revised` called after). Either way the caller saves.
   Editing never undoes or outruns a decision: content hidden by flags keeps waiting with
   the new version in the queue; content a moderator did not publish is submitted again for
   review; a published edit withdraws an older held one. (Held content that an edit frees of
   what held it is published as new content would be.)

5. Reading: show `Model.objects` to everyone, `Model.all_objects.visible_to(user)` where
   authors see their own pending and rejected items (templates label them with
   `moderation/includes/status.html`), or `Model.all_objects` (everything in the space) when
   `may_moderate(user, obj)` / `can_moderate(user, space)`.

6. Around the content: `{% include "moderation/includes/status.html" with obj=post %}` labels
   the author's own pending/rejected items with the expected review time; a "Report" link is
   `{% url 'moderation:flag' content_type_id obj.pk %}` (or call `services.flag_content` from
   your own form); "I'm worried about someone" links to
   `{% url 'moderation:concern_new' %}?about=<user id>&from=<this page's path>`. When content
   is deleted, call `services.withdraw_items_for(obj)` so nothing about it waits in the queue.

Word lists are per language. By default the content is taken to be in the languages its
author speaks (User.languages) or in English, the network's common language, and those lists
are matched. A model whose content records its language passes
`languages_of=lambda post: [post.language]` and only that list is matched. When no language is
known (an author who gave none, an empty `languages_of`) every list is, since members write in
several languages and a missed phrase in a youth space costs more than a post that waits a few
hours for a moderator.

Policy defaults come from `default_policy` (audience -> mode), overridden per content type
and space by network coordinators on /moderation/settings/.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from community.models import Role


class PolicyMode(models.TextChoices):
    PRE_MODERATE = "pre", "Pre-moderate: held until a moderator approves"
    POST_MODERATE = "post", "Post-moderate: visible at once, listed for review"
    TRUSTED = "trusted", "Trusted: no review"


class Audience(models.TextChoices):
    """Whose content a policy applies to. Coordinators and moderators are always trusted."""

    YOUTH_PANELLIST = "youth_panellist", "Youth panellists"
    STAFF = "staff", "SIC staff"


DEFAULT_POLICY = {Audience.YOUTH_PANELLIST: PolicyMode.PRE_MODERATE, Audience.STAFF: PolicyMode.TRUSTED}

# Roles whose holders are trusted everywhere and may moderate every space.
NETWORK_MODERATOR_ROLES = frozenset({Role.MODERATOR, Role.NETWORK_COORDINATOR})
# Roles trusted everywhere (their content is never held), besides the network moderators.
TRUSTED_ROLES = NETWORK_MODERATOR_ROLES | {Role.YOUTH_COORDINATOR}


@dataclass(frozen=True)
class Space:
    """A place content lives in: a forum, a youth panel, the case-study area."""

    kind: str
    pk: int | None
    label: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk if self.pk is not None else ''}"

    @classmethod
    def from_key(cls, key: str, label: str = "") -> "Space":
        kind, _, pk = key.partition(":")
        return cls(kind=kind, pk=int(pk) if pk else None, label=label)


NO_SPACE = Space(kind="", pk=None, label="")


def _nobody(space: Space) -> list:
    return []


def _anyone_approved(user, obj) -> bool:
    return bool(user.is_authenticated and user.is_approved_member)


def _default_url(obj) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url else ""


@dataclass(frozen=True)
class ModeratedModel:
    model: type[models.Model]
    space_of: Callable[[models.Model], Space]
    # Scope: may `user` moderate content in `space`? Network moderators need no entry here.
    can_moderate: Callable[..., bool]
    moderators_of: Callable[[Space], Iterable] = _nobody
    # May `user` see `obj` at all? Flags and concerns refuse (404) what the user cannot see.
    can_view: Callable[..., bool] = _anyone_approved
    # The related rows `can_view` reads (select_related paths), fetched together with the
    # objects when many are checked at once ("Your submissions" links only what its author
    # can open).
    view_related: tuple[str, ...] = ()
    author_field: str = "author"
    text_fields: tuple[str, ...] = ("body",)
    html_field: str | None = "body_html"
    title_of: Callable[[models.Model], str] = str
    url_of: Callable[[models.Model], str] = _default_url
    default_policy: dict = field(default_factory=lambda: dict(DEFAULT_POLICY))
    # Called (inside the transaction) when content first becomes visible after review, so
    # the feature app can send the notifications it held back (mentions, watchers).
    on_published: Callable[[models.Model], None] | None = None
    # Called after a held edit is approved and saved (e.g. to refresh a search index).
    on_revised: Callable[[models.Model], None] | None = None
    # Called (inside the transaction) when a moderator rejects or hides new content that was
    # waiting for review (its `moderation_state` is already the new one), the twin of
    # `on_published`: the feature app takes down what was submitted with it.
    on_refused: Callable[[models.Model], None] | None = None
    # Counts towards "a new member's first N posts".
    counts_as_post: bool = True
    # Every space of this model, so coordinators can set a policy for one space.
    all_spaces: Callable[[], Iterable[Space]] | None = None
    # The languages the content is written in (codes such as "el"), when the feature app knows
    # them: only their word lists apply (none: every list). Not given: the author's languages
    # and English (moderation.services.word_list_languages_of).
    languages_of: Callable[[models.Model], Collection[str]] | None = None

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def author_of(self, obj):
        return getattr(obj, self.author_field, None)

    def author_id_of(self, obj):
        return getattr(obj, f"{self.author_field}_id", None)

    def text_of(self, obj) -> str:
        return "\n\n".join(str(getattr(obj, name, "") or "") for name in self.text_fields)


_registry: dict[type[models.Model], ModeratedModel] = {}


def register(registration: ModeratedModel) -> None:
    """Register (or re-register, e.g. in tests) a moderated model."""
    _registry[registration.model] = registration


def unregister(model) -> None:
    _registry.pop(model, None)


def registration_for(model_or_obj) -> ModeratedModel | None:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = getattr(model._meta, "concrete_model", model)
    return _registry.get(model)


def registration_for_content_type_id(content_type_id: int) -> ModeratedModel | None:
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = apps.get_model(content_type.app_label, content_type.model)
    return registration_for(model)


def registrations() -> list[ModeratedModel]:
    return list(_registry.values())


def space_of(obj) -> Space:
    registration = registration_for(obj)
    return registration.space_of(obj) if registration else NO_SPACE


def _is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved_member)


def is_network_moderator(user) -> bool:
    """Moderators and network coordinators moderate every space."""
    return _is_member(user) and bool(NETWORK_MODERATOR_ROLES & user.role_names)


def can_moderate_space(user, registration: ModeratedModel | None, space: Space) -> bool:
    if not _is_member(user):
        return False
    if is_network_moderator(user):
        return True
    if registration is None or not space.kind:
        return False
    return bool(registration.can_moderate(user, space))


def may_moderate(user, obj) -> bool:
    """The one answer to "may this user moderate this object"."""
    registration = registration_for(obj)
    space = registration.space_of(obj) if registration else NO_SPACE
    return can_moderate_space(user, registration, space)


def moderates_any_space(user) -> bool:
    """Does `user` moderate at least one space (the header then links to the queue, even
    while it is empty, so its live count has somewhere to appear)."""
    if not _is_member(user):
        return False
    if is_network_moderator(user):
        return True
    asked = set()
    for registration in _registry.values():
        rule = (registration.all_spaces, registration.can_moderate)
        if registration.all_spaces is None or rule in asked:
            continue
        asked.add(rule)
        if any(registration.can_moderate(user, space) for space in registration.all_spaces()):
            return True
    return False
