"""State changes of the forums engine and the community blog.

Every function checks its permission on its first line, runs in one transaction, renders user
Markdown once through `community.markup`, passes new and edited content through moderation
(`moderation.services.submit_content`) before saving, and notifies through
`notifications.services.notify` (one INSERT per kind of notification, pushed on commit).

Reusing the engine from another app (youth panels, meetings)
============================================================
Other apps do not copy the forum: they create a forum for their space and use the same
services, selectors and templates.

    forum = forums.services.create_forum(
        actor=None,                         # None: a system forum created by code, not a person
        name="Youth panel Greece", slug="youth-panel-gr",
        is_listed=False,                    # not on /forums/; the owning app links to it
        reader_groups=[], poster_groups=[], # role groups given access (guardian grants)
    )
    forums.services.grant_forum_access(forum=forum, to=some_user_or_group, can_post=True)
    forums.services.revoke_forum_access(forum=forum, to=some_user_or_group)
    topic = forums.services.create_topic(actor=user, forum=forum, title="...", body="...", tags=())
    post = forums.services.reply(actor=user, topic=topic, body="...", quote=None)

Network moderators and coordinators always read and moderate every forum
(`forums.permissions.forum_access`). Links to topics and posts resolve under /forums/ (the
topic page shows its forum's name; an unlisted forum's page is reachable by its readers).
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Value
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from community.markup import html_to_text, render_markdown
from community.models import Role, Service
from moderation.services import flag_content, record_policy_change, submit_content, withdraw_items_for
from notifications.events import publish
from notifications.services import notify, withdraw_notifications

from . import permissions
from .models import (
    BlogComment,
    BlogPost,
    BlogSubscription,
    Draft,
    Forum,
    ForumReadMark,
    ForumSubscription,
    Post,
    PostRevision,
    Topic,
    TopicReadState,
    TopicSubscription,
    TrackingLevel,
)

User = get_user_model()

SEARCH_CONFIG = "english"
MAX_MENTIONS = 20
# Notification kinds this app sends (declared here, next to the code that sends them).
KIND_MENTION = "forum_mention"
KIND_REPLY = "forum_reply"
KIND_WATCHED_POST = "forum_post"
KIND_NEW_TOPIC = "forum_topic"
KIND_BLOG_COMMENT = "blog_comment"
KIND_TOPIC_MOVED = "forum_topic_moved"
# The live stream a topic page follows for "N new replies".
LIVE_TOPIC_STREAM = "topic"

DRAFT_KEY = re.compile(r"^(topic:\d{1,12}|reply:\d{1,12}|blog:new|blog:\d{1,12}|comment:\d{1,12})$")
_MENTION = re.compile(r"(?<![\w@/])@([^\W_][\w.\-]{0,79})")


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _country_of(user):
    membership = user.approved_membership
    return membership.organisation.country if membership else None


def _render(body: str, forum: Forum | None = None) -> tuple[str, str]:
    html = render_markdown(body, safe_mode=bool(forum and forum.safe_mode))
    return html, html_to_text(html)


def _excerpt(text: str) -> str:
    return Truncator(text).chars(160)


# --- Forums and audiences -------------------------------------------------------------

def _grant(forum: Forum, to, codenames) -> None:
    for codename in codenames:
        assign_perm(f"forums.{codename}", to, forum)


def grant_forum_access(*, forum: Forum, to, can_post: bool = True) -> None:
    """Give a group (role) or one person read access to `forum`, and posting when `can_post`.

    For other apps' spaces (a youth panel's members, a meeting's participants); the caller
    decides who belongs to its space."""
    _grant(forum, to, [permissions.READ, permissions.POST] if can_post else [permissions.READ])
    if not isinstance(to, Group):
        permissions.forget_cached_access(to)


def revoke_forum_access(*, forum: Forum, to) -> None:
    for codename in (permissions.READ, permissions.POST, permissions.MODERATE):
        remove_perm(f"forums.{codename}", to, forum)
    if not isinstance(to, Group):
        permissions.forget_cached_access(to)


@transaction.atomic
def create_forum(
    *,
    actor,
    name: str,
    slug: str,
    description: str = "",
    is_listed: bool = True,
    safe_mode: bool = False,
    composer_notice: str = "",
    position: int = 100,
    reader_groups=(),
    poster_groups=(),
    moderator_groups=(),
    read_services=(),
    post_services=(),
) -> Forum:
    """A new forum. `actor=None` is code creating a space for another app (not listed by
    default there); a person must be a network coordinator.

    `reader_groups` / `poster_groups` / `moderator_groups`: role names or Group objects; posting
    implies reading, moderating implies both.
    `read_services` / `post_services`: Service objects or codes (e.g. "hotline")."""
    if actor is not None:
        permissions.check_create_forum(actor)
    if Forum.objects.filter(slug=slug).exists():
        raise ValidationError(_("A forum with this address already exists."))
    forum = Forum.objects.create(
        name=_require_text(name, _("Please give the forum a name.")), slug=slug, description=description,
        is_listed=is_listed, safe_mode=safe_mode, composer_notice=composer_notice, position=position,
    )
    for group in _groups(reader_groups):
        _grant(forum, group, [permissions.READ])
    for group in _groups(poster_groups):
        _grant(forum, group, [permissions.READ, permissions.POST])
    for group in _groups(moderator_groups):
        _grant(forum, group, [permissions.READ, permissions.POST, permissions.MODERATE])
    forum.read_services.set(_services(read_services) | _services(post_services))
    forum.post_services.set(_services(post_services))
    return forum


def _groups(items) -> list[Group]:
    return [item if isinstance(item, Group) else Group.objects.get_or_create(name=str(item))[0] for item in items]


def _services(items) -> set:
    codes = [item for item in items if isinstance(item, str)]
    objects = {item for item in items if not isinstance(item, str)}
    return objects | set(Service.objects.filter(code__in=codes))


def _rerender(posts, forum: Forum) -> int:
    """Render `posts` again under `forum`'s rules (safe mode is applied when rendering), and
    refresh their search text, which holds the defanged form of links in safe mode."""
    changed = 0
    for post in posts.iterator(chunk_size=500):
        html, text = _render(post.body, forum)
        if (html, text) != (post.body_html, post.body_text):
            Post.all_objects.filter(pk=post.pk).update(body_html=html, body_text=text)
            post.body_html, post.body_text = html, text
            _update_search_vector(post)
            changed += 1
    return changed


@transaction.atomic
def set_safe_mode(*, actor, forum: Forum, enabled: bool) -> bool:
    """Switch a forum's safe mode and re-render every post in it, so links already posted are
    defanged (or clickable again) at once, not only in new posts."""
    permissions.check_create_forum(actor)
    if forum.safe_mode == enabled:
        return False
    Forum.objects.filter(pk=forum.pk).update(safe_mode=enabled)
    forum.safe_mode = enabled
    _rerender(Post.all_objects.filter(topic__forum=forum).select_related("topic"), forum)
    return True


@transaction.atomic
def update_forum(*, actor, forum: Forum, name: str, description: str, safe_mode: bool, composer_notice: str,
                 position: int, audience: permissions.ForumAudience | None = None) -> Forum:
    """Change a forum (network coordinators): how it presents itself, its safe mode (its posts
    are re-rendered, `set_safe_mode`) and, for a community of practice, its `audience`. A
    changed audience or safe mode is recorded as a policy change in the moderation audit log.

    Whoever can no longer read the forum loses it at once: the forum, its topics and search
    results follow the grants, and their notifications leading into it are withdrawn."""
    permissions.check_change_forum(actor, forum)
    if audience is not None:
        if not permissions.can_change_forum_audience(actor, forum):
            raise PermissionDenied
        if not audience.has_readers:
            raise ValidationError(_("Choose who may read the forum: at least one role or service."))
    forum.name = _require_text(name, _("Please give the forum a name."))
    forum.description, forum.composer_notice, forum.position = description, composer_notice, position
    forum.save(update_fields=["name", "description", "composer_notice", "position"])
    policy_changes = []
    if audience is not None:
        previous = permissions.audience_of(forum)
        if audience != previous:
            _replace_audience(forum, previous=previous, audience=audience)
            policy_changes.append(_describe_audience_change(previous, audience))
    if forum.safe_mode != safe_mode:
        switch = {True: _("on"), False: _("off")}
        policy_changes.append(_("Safe mode: %(before)s → %(after)s") % {
            "before": switch[forum.safe_mode], "after": switch[safe_mode]})
        set_safe_mode(actor=actor, forum=forum, enabled=safe_mode)
    if policy_changes:
        # Imported here: that module registers this one's hooks with moderation.
        from .moderation_registration import forum_space

        record_policy_change(actor=actor, space=forum_space(forum), what=_("Forum audience and safe mode"),
                             change="\n".join(policy_changes))
    return forum


def _replace_audience(forum: Forum, *, previous: permissions.ForumAudience,
                      audience: permissions.ForumAudience) -> None:
    """Grant exactly `audience` to role groups and services (`previous` is what they have now).
    Grants to single people (forum moderators) and to other apps' groups are left alone."""
    readers_before = set(permissions.readers_of_forum(forum).values_list("pk", flat=True))
    wanted = audience.codenames_by_role()
    granted = previous.codenames_by_role()
    for role in set(wanted) | set(granted):
        group = Group.objects.get_or_create(name=role)[0]
        for codename in granted.get(role, set()) - wanted.get(role, set()):
            remove_perm(f"forums.{codename}", group, forum)
        _grant(forum, group, wanted.get(role, set()) - granted.get(role, set()))
    forum.read_services.set(_services(audience.read_services | audience.post_services))
    forum.post_services.set(_services(audience.post_services))
    lost_readers = readers_before - set(permissions.readers_of_forum(forum).values_list("pk", flat=True))
    if lost_readers:
        withdraw_notifications(recipient_ids=lost_readers, url_prefix="/forums/",
                               gone_links=lambda links: _links_into(forum, links))


_CONTENT_LINK = re.compile(r"^/forums/(?P<kind>[tp])/(?P<pk>\d{1,12})/")


def _links_into(forum: Forum, links: set[str]) -> set[str]:
    """Those of `links` that lead to a topic or a post of `forum`."""
    wanted = {"t": {}, "p": {}}
    for link in links:
        match = _CONTENT_LINK.match(link)
        if match:
            wanted[match["kind"]].setdefault(int(match["pk"]), []).append(link)
    topic_ids = Topic.all_objects.filter(forum=forum, pk__in=wanted["t"]).values_list("pk", flat=True)
    post_ids = Post.all_objects.filter(topic__forum=forum, pk__in=wanted["p"]).values_list("pk", flat=True)
    return {link for pk in topic_ids for link in wanted["t"][pk]} | {
        link for pk in post_ids for link in wanted["p"][pk]}


def _describe_audience_change(before: permissions.ForumAudience, after: permissions.ForumAudience) -> str:
    """One line per level that changed, e.g. "Read: Member (SIC staff) → Organisation admin"."""
    role_labels, service_labels = dict(Role.choices), dict(Service.CODES)

    def names(roles, services) -> str:
        labels = sorted(str(role_labels.get(role, role)) for role in roles)
        labels += sorted(str(service_labels.get(code, code)) for code in services)
        return ", ".join(labels) or "–"

    levels = [
        (_("Read"), names(before.reader_roles, before.read_services), names(after.reader_roles, after.read_services)),
        (_("Read and post"), names(before.poster_roles, before.post_services),
         names(after.poster_roles, after.post_services)),
        (_("Moderate"), names(before.moderator_roles, ()), names(after.moderator_roles, ())),
    ]
    return "\n".join(f"{level}: {old} → {new}" for level, old, new in levels if old != new)


@transaction.atomic
def make_forum_moderator(*, actor, forum: Forum, user) -> bool:
    """A forum moderator: a guardian object permission on that forum only."""
    permissions.check_create_forum(actor)
    if permissions.MODERATE in permissions._forum_grants(user).get(forum.pk, ()):
        return False
    _grant(forum, user, [permissions.READ, permissions.POST, permissions.MODERATE])
    permissions.forget_cached_access(user)
    return True


# --- Topics and posts -------------------------------------------------------------------

def _next_number(topic: Topic) -> int:
    # The topic row is locked by the caller, so two replies cannot take the same number.
    highest = topic.posts.aggregate(highest=Max("number"))["highest"] or 0
    return highest + 1


def _update_search_vector(post: Post) -> None:
    """PostgreSQL keeps a weighted tsvector (the opening post carries its topic's title);
    SQLite searches the stored plain text instead."""
    if connection.vendor != "postgresql":
        return
    title = post.topic.title if post.number == 1 else ""
    Post.all_objects.filter(pk=post.pk).update(
        search_vector=SearchVector(Value(title), weight="A", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="B", config=SEARCH_CONFIG)
    )


def _refresh_topic_stats(topic: Topic) -> None:
    """Recount what everyone sees in the topic and its forum (approved, not deleted)."""
    visible = topic.posts.filter(moderation_state="approved", deleted_at__isnull=True)
    last = visible.select_related("author").order_by("-number").first()
    topic.reply_count = max(visible.count() - 1, 0)
    topic.last_post_number = last.number if last else 0
    if last:
        topic.last_activity_at = last.created_at
        topic.last_poster = last.author
    topic.save(update_fields=["reply_count", "last_post_number", "last_activity_at", "last_poster"])
    _refresh_forum_stats(topic.forum)


def _refresh_forum_stats(forum: Forum) -> None:
    topics = Topic.objects.filter(forum=forum, deleted_at__isnull=True)
    stats = topics.aggregate(count=Count("id"), last=Max("last_activity_at"))
    posts = Post.objects.filter(topic__in=topics, deleted_at__isnull=True).count()
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=stats["count"], post_count=posts, last_activity_at=stats["last"]
    )


def _create_post(*, actor, topic: Topic, body: str, number: int, reply_to=None, submission_token=None) -> Post:
    html, text = _render(body, topic.forum)
    post = Post(topic=topic, number=number, author=actor, body=body, body_html=html, body_text=text,
                reply_to=reply_to, submission_token=submission_token)
    submit_content(actor=actor, instance=post, text=body)
    post.save()
    _update_search_vector(post)
    return post


def _watch_by_default(user, topic: Topic) -> None:
    """Starting or replying watches the topic, unless the member chose a level already."""
    TopicSubscription.objects.get_or_create(user=user, topic=topic, defaults={"level": TrackingLevel.WATCHING})


def _mark_read_up_to(user, topic: Topic, number: int) -> None:
    updated = TopicReadState.objects.filter(user=user, topic=topic, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        # First visit (or already further on): one INSERT that a concurrent one cannot break.
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, last_read_number=number)], ignore_conflicts=True
        )


@transaction.atomic
def create_topic(*, actor, forum: Forum, title: str, body: str, tags=()) -> Topic:
    """Start a topic: the topic and its opening post (number 1). Both pass through moderation;
    watchers of the forum and mentioned members hear about it once it is published."""
    permissions.check_post_in_forum(actor, forum)
    title = _require_text(title, _("Please give your topic a title."))
    body = _require_text(body, _("Please write the opening post."))
    now = timezone.now()
    topic = Topic(forum=forum, title=title[:200], author=actor, country=_country_of(actor),
                  created_at=now, last_activity_at=now, last_poster=actor)
    submit_content(actor=actor, instance=topic, text=f"{title}\n\n{body}")
    topic.save()
    topic.tags.set(tags)
    post = _create_post(actor=actor, topic=topic, body=body, number=1)
    _watch_by_default(actor, topic)
    _mark_read_up_to(actor, topic, 1)
    discard_draft(user=actor, key=Draft.new_topic_key(forum.pk))
    if topic.is_published and post.is_published:
        _refresh_topic_stats(topic)
        _announce(post)
    return topic


@transaction.atomic
def reply(*, actor, topic: Topic, body: str, quote: Post | None = None, submission_token=None) -> Post:
    """Reply to a topic. `quote` is the post being answered (its Markdown quote is already in
    `body`, see `quote_markdown`): its author is notified as a reply to them.

    `submission_token` (from the composer): a reply already sent with it is returned as it is,
    so a double click or a resent form posts once."""
    permissions.check_reply(actor, topic)
    body = _require_text(body, _("Please write your reply."))
    if quote is not None and (quote.topic_id != topic.pk or not permissions.can_read_post(actor, quote)):
        raise ValidationError(_("You can only quote a post of this topic."))
    # The topic row lock makes a second submission wait until the first is committed, so it
    # finds the first reply below (the unique constraint backs this up).
    topic = Topic.all_objects.select_for_update().select_related("forum").get(pk=topic.pk)
    if submission_token is not None:
        sent = Post.all_objects.filter(author=actor, submission_token=submission_token, topic=topic).first()
        if sent is not None:
            return sent
    post = _create_post(actor=actor, topic=topic, body=body, number=_next_number(topic), reply_to=quote,
                        submission_token=submission_token)
    _watch_by_default(actor, topic)
    _mark_read_up_to(actor, topic, post.number)
    discard_draft(user=actor, key=Draft.reply_key(topic.pk))
    if post.is_published and topic.is_published:
        _refresh_topic_stats(topic)
        _announce(post)
    return post


def quote_markdown(post: Post) -> str:
    """The Markdown a reply starts with when quoting `post`."""
    name = post.author.display_name if post.author else _("A former member")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.strip().splitlines())
    return _("%(name)s wrote:") % {"name": f"**{name}**"} + "\n" + quoted + "\n\n"


class EditOutcome:
    UNCHANGED = "unchanged"
    SAVED = "saved"
    # Moderation holds the edit: the approved version stays visible until a moderator decides.
    HELD = "held"


@transaction.atomic
def edit_post(*, actor, post: Post, body: str, title: str | None = None, tags=None) -> str:
    """Edit a post (authors their own, moderators any); the replaced text is kept as a
    revision. `title` renames the topic and `tags` retags it when editing its opening post
    (tags come from the fixed taxonomy, so retagging is applied at once). Returns an EditOutcome.

    The edit passes through moderation like new content: a held edit leaves the approved
    version in place (moderation puts the changed fields back) and waits in the queue; when a
    moderator approves it, `content_revised` runs."""
    permissions.check_edit_post(actor, post)
    body = _require_text(body, _("A post cannot be empty. To remove it, delete it."))
    topic = post.topic
    is_opening = post.number == 1
    new_title = title.strip()[:200] if (title is not None and is_opening) else topic.title
    if not new_title:
        raise ValidationError(_("Please give your topic a title."))
    retagged = False
    if is_opening and tags is not None:
        tags = list(tags)
        retagged = {tag.pk for tag in tags} != set(topic.tags.values_list("pk", flat=True))
        if retagged:
            topic.tags.set(tags)
    if body == post.body and new_title == topic.title:
        return EditOutcome.SAVED if retagged else EditOutcome.UNCHANGED
    previous = PostRevision(
        post=post, title=topic.title if is_opening else "", body=post.body, edited_by=actor,
        edited_by_name=str(actor)[:80], written_at=post.edited_at or post.created_at,
    )
    old_mentions = set(_mention_tokens(post.body_html))
    was_published = post.is_published
    renames, rewrites = new_title != topic.title, body != post.body
    held = []
    if renames:
        topic.title = new_title
        held += submit_content(actor=actor, instance=topic, text=f"{new_title}\n\n{body}")
        topic.save(update_fields=["title", "moderation_state", "submitted_at"])
    if rewrites:
        post.body = body
        post.body_html, post.body_text = _render(body, topic.forum)
        post.edited_at, post.edited_by = timezone.now(), actor
        held += submit_content(actor=actor, instance=post, text=body)
        post.save()
    # A held change was put back by moderation; history records only what was applied.
    applied_body = rewrites and post.body == body
    if applied_body or (renames and topic.title == new_title):
        previous.save()
        _update_search_vector(post)
    if was_published != post.is_published:
        _refresh_topic_stats(topic)
    if not was_published and post.is_published and topic.is_published:
        # The edit freed held content: it is announced once, as an approval would announce it.
        _announce(post)
    elif applied_body and post.is_published and topic.is_published:
        _notify_mentions(post, tokens=set(_mention_tokens(post.body_html)) - old_mentions)
    return EditOutcome.HELD if held else EditOutcome.SAVED


@transaction.atomic
def delete_post(*, actor, post: Post) -> bool:
    """Soft delete: the text stays for moderators and the record; the thread shows a placeholder.
    Deleting the opening post deletes the topic."""
    permissions.check_delete_post(actor, post)
    now = timezone.now()
    updated = Post.all_objects.filter(pk=post.pk, deleted_at__isnull=True).update(deleted_at=now, deleted_by=actor)
    if not updated:
        return False
    post.deleted_at, post.deleted_by = now, actor
    withdraw_items_for(post, actor=actor)
    topic = post.topic
    if post.number == 1:
        Topic.all_objects.filter(pk=topic.pk).update(deleted_at=now, deleted_by=actor)
        topic.deleted_at, topic.deleted_by = now, actor
        withdraw_items_for(topic, actor=actor)
        _refresh_forum_stats(topic.forum)
    else:
        _refresh_topic_stats(topic)
    return True


@transaction.atomic
def restore_post(*, actor, post: Post) -> bool:
    """Undo a soft delete (moderators)."""
    permissions.check_moderate_forum(actor, post.topic.forum)
    if post.deleted_at is None:
        return False
    Post.all_objects.filter(pk=post.pk).update(deleted_at=None, deleted_by=None)
    post.deleted_at = post.deleted_by = None
    if post.number == 1:
        Topic.all_objects.filter(pk=post.topic_id).update(deleted_at=None, deleted_by=None)
        post.topic.deleted_at = None
    _refresh_topic_stats(post.topic)
    return True


def _set_topic_flag(*, actor, topic: Topic, field: str, value: bool) -> bool:
    permissions.check_moderate_forum(actor, topic.forum)
    if getattr(topic, field) == value:
        return False
    with transaction.atomic():
        Topic.all_objects.filter(pk=topic.pk).update(**{field: value})
    setattr(topic, field, value)
    return True


def pin_topic(*, actor, topic: Topic) -> bool:
    return _set_topic_flag(actor=actor, topic=topic, field="is_pinned", value=True)


def unpin_topic(*, actor, topic: Topic) -> bool:
    return _set_topic_flag(actor=actor, topic=topic, field="is_pinned", value=False)


def lock_topic(*, actor, topic: Topic) -> bool:
    return _set_topic_flag(actor=actor, topic=topic, field="is_locked", value=True)


def unlock_topic(*, actor, topic: Topic) -> bool:
    return _set_topic_flag(actor=actor, topic=topic, field="is_locked", value=False)


@transaction.atomic
def move_topic(*, actor, topic: Topic, forum: Forum) -> bool:
    """Move a topic to another forum the moderator also moderates. Subscriptions of people who
    cannot read the new forum are dropped, so nobody is notified about what they cannot see.

    Topics move between the communities of practice only: another app's space (a national
    youth panel, a meeting series) has its own audience, and staff discussions must never land
    in a minors' space by a wrong click."""
    permissions.check_moderate_forum(actor, topic.forum)
    permissions.check_moderate_forum(actor, forum)
    if topic.forum_id == forum.pk:
        return False
    if not (topic.forum.is_listed and forum.is_listed):
        raise ValidationError(_("Topics move only between the communities of practice."))
    old_forum = topic.forum
    topic.forum = forum
    topic.save(update_fields=["forum"])
    readers = permissions.readers_of_forum(forum).values("pk")
    TopicSubscription.objects.filter(topic=topic).exclude(user__in=readers).delete()
    if forum.safe_mode != old_forum.safe_mode:
        _rerender(topic.posts.select_related("topic"), forum)
    _refresh_forum_stats(old_forum)
    _refresh_forum_stats(forum)
    if topic.author_id and topic.author_id != actor.pk:
        notify(
            recipients=permissions.readers_of_forum(forum).filter(pk=topic.author_id),
            kind=KIND_TOPIC_MOVED,
            title=_("Your topic “%(title)s” was moved to %(forum)s") % {"title": topic.title, "forum": forum.name},
            url=topic.get_absolute_url(), actor=actor,
        )
    return True


def flag_post(*, actor, post: Post, category: str, note: str = ""):
    """"Report this post": stored as a moderation flag."""
    permissions.check_flag_post(actor, post)
    return flag_content(actor=actor, target=post, category=category, note=note)


# --- Mentions and notifications ------------------------------------------------------------

def _normalise_name(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


def _mention_tokens(html: str) -> list[str]:
    """`@display-name` tokens written in the post, ignoring code."""
    without_code = re.sub(r"<(pre|code)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    tokens = []
    for match in _MENTION.finditer(html_to_text(without_code)):
        token = _normalise_name(match.group(1))
        if token and token not in tokens:
            tokens.append(token)
    return tokens[:MAX_MENTIONS]


def _named_in(people, tokens) -> list:
    """Those of `people` (a query) whose display name matches one of the mention tokens."""
    if not tokens:
        return []
    prefix_match = Q()
    for token in tokens:
        prefix_match |= Q(display_name__istartswith=token.split("-")[0])
    wanted = set(tokens)
    return [person for person in people.filter(prefix_match) if _normalise_name(person.display_name) in wanted]


def _mentioned_readers(forum: Forum, tokens) -> list:
    """Members who can read `forum` whose display name matches a token. Nobody else."""
    return _named_in(permissions.readers_of_forum(forum), tokens)


def _muted_user_ids(topic: Topic) -> set[int]:
    """Muted the topic, or muted its forum without choosing a level for this topic."""
    topic_levels = dict(TopicSubscription.objects.filter(topic=topic).values_list("user_id", "level"))
    muted = {user_id for user_id, level in topic_levels.items() if level == TrackingLevel.MUTED}
    forum_muted = ForumSubscription.objects.filter(
        forum_id=topic.forum_id, level=TrackingLevel.MUTED
    ).values_list("user_id", flat=True)
    muted |= {user_id for user_id in forum_muted if user_id not in topic_levels}
    return muted


def _notify_mentions(post: Post, *, tokens) -> set[int]:
    topic = post.topic
    muted = _muted_user_ids(topic)
    author = post.author
    mentioned = [
        person for person in _mentioned_readers(topic.forum, tokens)
        if person.pk not in muted and permissions.can_mention(author, person)
    ]
    notify(
        recipients=mentioned, kind=KIND_MENTION,
        title=_("%(name)s mentioned you in “%(title)s”") % {"name": author, "title": topic.title},
        body=_excerpt(post.body_text), url=post.get_absolute_url(), actor=author,
    )
    return {person.pk for person in mentioned}


def _announce(post: Post) -> None:
    """Tell people about a newly visible post, each person once, most specific reason first:
    mention, then a reply to them, then watching the topic or forum. Everyone is re-checked
    against who may read the forum now."""
    topic = post.topic
    forum = topic.forum
    author = post.author
    if post.number > 1:
        # Readers on the topic page see "N new replies" (the stream checks who may follow it).
        publish(LIVE_TOPIC_STREAM, topic.pk, {"increment": 1, "announce": _("New reply")})
    notified = _notify_mentions(post, tokens=_mention_tokens(post.body_html))
    if author is not None:
        notified.add(author.pk)
    muted = _muted_user_ids(topic)
    readers = permissions.readers_of_forum(forum)

    if post.reply_to_id and post.reply_to.author_id not in notified | muted:
        replied_to = list(readers.filter(pk=post.reply_to.author_id))
        notify(
            recipients=replied_to, kind=KIND_REPLY,
            title=_("%(name)s replied to your post in “%(title)s”") % {"name": author, "title": topic.title},
            body=_excerpt(post.body_text), url=post.get_absolute_url(), actor=author,
        )
        notified |= {person.pk for person in replied_to}

    topic_levels = dict(TopicSubscription.objects.filter(topic=topic).values_list("user_id", "level"))
    watching = {user_id for user_id, level in topic_levels.items() if level == TrackingLevel.WATCHING}
    forum_watchers = ForumSubscription.objects.filter(forum=forum, level=TrackingLevel.WATCHING).values_list(
        "user_id", flat=True
    )
    # A level chosen for the topic wins over the forum's.
    watching |= {user_id for user_id in forum_watchers if user_id not in topic_levels}
    watching -= notified | muted
    if not watching:
        return
    recipients = readers.filter(pk__in=watching)
    if post.number == 1:
        title = _("New topic in %(forum)s: “%(title)s”") % {"forum": forum.name, "title": topic.title}
        kind = KIND_NEW_TOPIC
    else:
        title = _("%(name)s posted in “%(title)s”") % {"name": author, "title": topic.title}
        kind = KIND_WATCHED_POST
    notify(recipients=recipients, kind=kind, title=title, body=_excerpt(post.body_text),
           url=post.get_absolute_url(), actor=author)


def content_published(instance) -> None:
    """Moderation's `on_published` hook: held content became visible after review, so the
    counts move and the notifications held back go out now."""
    if isinstance(instance, Topic):
        opening = instance.posts.filter(number=1).first()
        if opening is not None:
            _share_decision(decided=instance, partner=opening)
        _refresh_topic_stats(instance)
        if opening is not None and opening.is_published:
            _announce(opening)
    elif isinstance(instance, Post):
        if instance.number == 1:
            _share_decision(decided=instance, partner=instance.topic)
        _refresh_topic_stats(instance.topic)
        if instance.topic.is_published:
            _announce(instance)
    elif isinstance(instance, BlogComment):
        _refresh_comment_count(instance.blog_post)
        _announce_comment(instance)


def content_refused(instance) -> None:
    """Moderation's `on_refused` hook: a moderator rejected or hid a new topic or its opening
    post. The other one follows (`_share_decision`); the counts drop a topic that was visible
    around its refused opening post. Replies need nothing: held, they were never counted."""
    if isinstance(instance, Topic):
        opening = instance.posts.filter(number=1).first()
        if opening is not None:
            _share_decision(decided=instance, partner=opening)
        _refresh_topic_stats(instance)
    elif isinstance(instance, Post) and instance.number == 1:
        _share_decision(decided=instance, partner=instance.topic)
        _refresh_topic_stats(instance.topic)


def _share_decision(*, decided, partner) -> None:
    """A new topic and its opening post are one submission: a moderator's decision on either
    (approve, reject, hide, or an appeal about it) is the decision on both, and the other's
    queue entry is withdrawn. So no topic stays hidden around a published opening post, no
    published topic shows a refused one, and the author hears of the decision once (only the
    decided entry tells them). Moderation calls this only for content submitted as new, so a
    topic published long ago is not taken down with a flagged opening post."""
    if partner.moderation_state == decided.moderation_state:
        return
    type(partner).all_objects.filter(pk=partner.pk).update(moderation_state=decided.moderation_state)
    partner.moderation_state = decided.moderation_state
    withdraw_items_for(partner)


def content_revised(instance) -> None:
    """Moderation's `on_revised` hook: a held edit was approved and saved."""
    if isinstance(instance, Post):
        _update_search_vector(instance)
        _refresh_topic_stats(instance.topic)
    elif isinstance(instance, Topic):
        for opening in instance.posts.filter(number=1):
            _update_search_vector(opening)


# --- Watching and reading ---------------------------------------------------------------

def _level(level: str) -> str:
    if level not in TrackingLevel.values:
        raise ValidationError(_("Please choose watching, normal or muted."))
    return level


@transaction.atomic
def set_topic_tracking(*, user, topic: Topic, level: str) -> None:
    permissions.check_read_topic(user, topic)
    TopicSubscription.objects.update_or_create(user=user, topic=topic, defaults={"level": _level(level)})


@transaction.atomic
def set_forum_tracking(*, user, forum: Forum, level: str) -> None:
    permissions.check_read_forum(user, forum)
    ForumSubscription.objects.update_or_create(user=user, forum=forum, defaults={"level": _level(level)})


def mark_topic_read(*, user, topic: Topic, number: int) -> None:
    """Move the read position forward (never back). One UPDATE, an INSERT the first time."""
    if number > 0:
        _mark_read_up_to(user, topic, number)


@transaction.atomic
def mark_all_read(*, user, forum: Forum | None = None) -> int:
    """Everything posted until now counts as read, in `forum` or in every forum one can read."""
    if forum is not None:
        permissions.check_read_forum(user, forum)
        forum_ids = [forum.pk]
    else:
        forum_ids = sorted(permissions.readable_forum_ids(user))
    now = timezone.now()
    existing = set(ForumReadMark.objects.filter(user=user, forum_id__in=forum_ids).values_list("forum_id", flat=True))
    ForumReadMark.objects.filter(user=user, forum_id__in=existing).update(marked_at=now)
    ForumReadMark.objects.bulk_create(
        [ForumReadMark(user=user, forum_id=forum_id, marked_at=now) for forum_id in forum_ids
         if forum_id not in existing]
    )
    return len(forum_ids)


# --- Drafts ------------------------------------------------------------------------------

def _may_use_composer(user, key: str) -> bool:
    """Whether the composer `key` names is one `user` may write in now."""
    kind, _separator, target = key.partition(":")
    if kind == "blog":
        if target == "new":
            return permissions.can_write_blog(user)
        blog_post = BlogPost.all_objects.filter(pk=int(target)).first()
        return blog_post is not None and permissions.can_edit_blog_post(user, blog_post)
    if kind == "comment":
        blog_post = BlogPost.all_objects.filter(pk=int(target)).first()
        return blog_post is not None and permissions.can_comment(user, blog_post)
    if kind == "topic":
        forum = Forum.objects.filter(pk=int(target)).first()
        return forum is not None and permissions.can_post_in_forum(user, forum)
    topic = Topic.all_objects.select_related("forum").filter(pk=int(target)).first()
    return topic is not None and permissions.can_reply(user, topic)


def save_draft(*, user, key: str, body: str, title: str = "") -> Draft | None:
    """Save what someone is writing (an empty composer removes the draft). Only for a
    composer the writer may use: a forum, topic or article they cannot see is unknown (404)."""
    if not permissions.is_member(user):
        raise PermissionDenied
    if not DRAFT_KEY.match(key or ""):
        raise ValidationError(_("Unknown composer."))
    if not _may_use_composer(user, key):
        raise Http404
    if not (body or "").strip() and not (title or "").strip():
        discard_draft(user=user, key=key)
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, key=key, defaults={"body": body[:20000], "title": title[:200]}
    )
    return draft


def discard_draft(*, user, key: str) -> None:
    Draft.objects.filter(user=user, key=key).delete()


# --- Blog ----------------------------------------------------------------------------------

@transaction.atomic
def create_blog_post(*, actor, title: str, body: str, tags=(), cover_image=None, cover_alt: str = "",
                     submission_token=None) -> BlogPost:
    """A new article. `submission_token` (from the composer): an article already sent with it
    is returned as it is, so a double click or a resent form publishes once."""
    if not permissions.can_write_blog(actor):
        raise PermissionDenied
    if submission_token is not None:
        sent = BlogPost.all_objects.filter(author=actor, submission_token=submission_token).first()
        if sent is not None:
            return sent
    title = _require_text(title, _("Please give your article a title."))
    body = _require_text(body, _("Please write your article."))
    if cover_image and not cover_alt.strip():
        raise ValidationError(_("Please describe the cover image for people who cannot see it."))
    html = render_markdown(body)
    blog_post = BlogPost(author=actor, title=title[:200], body=body, body_html=html, country=_country_of(actor),
                         cover_alt=cover_alt.strip(), submission_token=submission_token)
    if cover_image:
        blog_post.cover_image = cover_image
    submit_content(actor=actor, instance=blog_post, text=f"{title}\n\n{body}")
    try:
        with transaction.atomic():
            blog_post.save()
    except IntegrityError:
        # The same form, sent twice at the same moment: the first one to commit is the article.
        if submission_token is None:
            raise
        if cover_image:
            blog_post.cover_image.delete(save=False)
        return BlogPost.all_objects.get(author=actor, submission_token=submission_token)
    blog_post.tags.set(tags)
    BlogSubscription.objects.get_or_create(user=actor, blog_post=blog_post,
                                           defaults={"level": TrackingLevel.WATCHING})
    discard_draft(user=actor, key=Draft.NEW_BLOG_POST_KEY)
    return blog_post


@transaction.atomic
def edit_blog_post(*, actor, blog_post: BlogPost, title: str, body: str, tags=None, cover_image=None,
                   cover_alt: str | None = None, remove_cover: bool = False) -> str:
    """Returns an EditOutcome: a held edit leaves the published version in place until review."""
    permissions.check_edit_blog_post(actor, blog_post)
    title = _require_text(title, _("Please give your article a title."))
    body = _require_text(body, _("Please write your article."))
    blog_post.title = title[:200]
    blog_post.body = body
    blog_post.body_html = render_markdown(body)
    if cover_alt is not None:
        blog_post.cover_alt = cover_alt.strip()
    if remove_cover and blog_post.cover_image:
        blog_post.cover_image.delete(save=False)
        blog_post.cover_image = ""
    if cover_image:
        blog_post.cover_image = cover_image
    if blog_post.cover_image and not blog_post.cover_alt:
        raise ValidationError(_("Please describe the cover image for people who cannot see it."))
    blog_post.edited_at = timezone.now()
    held = submit_content(actor=actor, instance=blog_post, text=f"{title}\n\n{body}")
    blog_post.save()
    if tags is not None:
        blog_post.tags.set(tags)
    discard_draft(user=actor, key=Draft.blog_post_key(blog_post.pk))
    return EditOutcome.HELD if held else EditOutcome.SAVED


@transaction.atomic
def delete_blog_post(*, actor, blog_post: BlogPost) -> bool:
    permissions.check_delete_blog_post(actor, blog_post)
    updated = BlogPost.all_objects.filter(pk=blog_post.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), deleted_by=actor)
    withdraw_items_for(blog_post, actor=actor)
    return bool(updated)


def _refresh_comment_count(blog_post: BlogPost) -> None:
    count = blog_post.comments.filter(moderation_state="approved", deleted_at__isnull=True).count()
    BlogPost.all_objects.filter(pk=blog_post.pk).update(comment_count=count)
    blog_post.comment_count = count


@transaction.atomic
def comment_on_blog_post(*, actor, blog_post: BlogPost, body: str) -> BlogComment:
    """Comment; the commenter then watches the article, like replying watches a topic."""
    permissions.check_comment(actor, blog_post)
    body = _require_text(body, _("Please write your comment."))
    comment = BlogComment(blog_post=blog_post, author=actor, body=body, body_html=render_markdown(body))
    submit_content(actor=actor, instance=comment, text=body)
    comment.save()
    BlogSubscription.objects.get_or_create(user=actor, blog_post=blog_post,
                                           defaults={"level": TrackingLevel.WATCHING})
    discard_draft(user=actor, key=Draft.comment_key(blog_post.pk))
    if comment.is_published:
        _refresh_comment_count(blog_post)
        _announce_comment(comment)
    return comment


def _announce_comment(comment: BlogComment) -> None:
    """The forum's rules for a visible comment: members it mentions (who may read the article)
    hear of the mention, then watchers of the article (its author by default) of the comment,
    each person once; whoever muted the article hears nothing."""
    blog_post = comment.blog_post
    levels = dict(BlogSubscription.objects.filter(blog_post=blog_post).values_list("user_id", "level"))
    muted = {user_id for user_id, level in levels.items() if level == TrackingLevel.MUTED}
    mentioned = [
        person for person in _named_in(User.objects.filter(is_active=True), _mention_tokens(comment.body_html))
        if person.pk not in muted and permissions.can_read_blog_post(person, blog_post)
        and permissions.can_mention(comment.author, person)
    ]
    notify(
        recipients=mentioned, kind=KIND_MENTION,
        title=_("%(name)s mentioned you in a comment on “%(title)s”") % {"name": comment.author,
                                                                        "title": blog_post.title},
        body=_excerpt(html_to_text(comment.body_html)), url=comment.get_absolute_url(), actor=comment.author,
    )
    watching = {user_id for user_id, level in levels.items() if level == TrackingLevel.WATCHING}
    watching -= {person.pk for person in mentioned}
    recipients = [
        person for person in User.objects.filter(pk__in=watching, is_active=True)
        if permissions.can_read_blog_post(person, blog_post)
    ]
    notify(
        recipients=recipients, kind=KIND_BLOG_COMMENT,
        title=_("%(name)s commented on “%(title)s”") % {"name": comment.author, "title": blog_post.title},
        body=_excerpt(html_to_text(comment.body_html)), url=comment.get_absolute_url(), actor=comment.author,
    )


@transaction.atomic
def edit_comment(*, actor, comment: BlogComment, body: str) -> str:
    """Returns an EditOutcome, like `edit_post`."""
    permissions.check_edit_comment(actor, comment)
    body = _require_text(body, _("A comment cannot be empty. To remove it, delete it."))
    if body == comment.body:
        return EditOutcome.UNCHANGED
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    held = submit_content(actor=actor, instance=comment, text=body)
    comment.save()
    return EditOutcome.HELD if held else EditOutcome.SAVED


@transaction.atomic
def delete_comment(*, actor, comment: BlogComment) -> bool:
    permissions.check_delete_comment(actor, comment)
    updated = BlogComment.all_objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), deleted_by=actor)
    withdraw_items_for(comment, actor=actor)
    _refresh_comment_count(comment.blog_post)
    return bool(updated)


@transaction.atomic
def set_blog_tracking(*, user, blog_post: BlogPost, level: str) -> None:
    permissions.check_read_blog_post(user, blog_post)
    BlogSubscription.objects.update_or_create(user=user, blog_post=blog_post, defaults={"level": _level(level)})


def flag_blog_item(*, actor, item, category: str, note: str = ""):
    """Report a blog post or a comment one can read and did not write."""
    readable = (permissions.can_read_blog_post(actor, item) if isinstance(item, BlogPost)
                else permissions.can_read_comment(actor, item))
    if not readable:
        raise Http404
    if not permissions.can_flag(actor, item, readable=True):
        raise PermissionDenied
    return flag_content(actor=actor, target=item, category=category, note=note)

