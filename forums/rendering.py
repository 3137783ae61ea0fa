"""HTML for what the forum pages repeat per row: post cards, topic rows, search results, author
lines, moderation status.

Through the template engine a topic page of 50 posts spent two thirds of its time on each
post's variable lookups, URL reversing, translations and date formatting (issue 3 asks the
topic page for a quarter of a bare view's requests per second). Here what does not depend on
the post (labels, URL shapes, month names) is resolved once per page, and each post is put
together from escaped values; the only markup passed through is `body_html`, sanitised once
on save by community.markup.
"""

from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import dates, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from community.models import Role
from community.time_ago import time_ago
from moderation.models import ModerationState

from .models import TrackingLevel


def author_line(person) -> SafeString:
    """The author's display name with their organisation (or youth panel and country):
    never a surname, email or photo, as youth panellists must not be identifiable."""
    if person is None:
        return author_label(None, None)
    memberships = getattr(person, "approved_memberships", None) or []
    if not memberships:
        return author_label(person.display_name, None)
    membership = memberships[0]
    country = membership.organisation.country
    return author_label(person.display_name,
                        (membership.role, membership.organisation.name, country.code, country.name))


def author_label(display_name: str | None, membership: tuple | None) -> SafeString:
    """`author_line` from plain values: `display_name` None for a former member; `membership`
    the (role, organisation name, country code, country name) of their approved membership."""
    if display_name is None:
        return mark_safe(f'<span class="author-name">{escape(gettext("A former member"))}</span>')
    name = f'<span class="author-name">{escape(display_name)}</span>'
    if membership is None:
        return mark_safe(name)
    role, organisation, country_code, country_name = membership
    if role == Role.YOUTH_PANELLIST:
        where = f"{gettext('Youth panel')}, {country_name}"
    else:
        where = f"{organisation}, {country_code}"
    return mark_safe(f'{name} <span class="muted small">{escape(where)}</span>')


def moderation_status(item) -> SafeString:
    """The label an author or moderator sees on an item that is not simply published."""
    if getattr(item, "deleted_at", None):
        css, text = "status-rejected", gettext("Deleted")
    elif item.moderation_state == ModerationState.PENDING:
        css, text = "status-pending", gettext("Waiting for review: only you and moderators see this")
    elif item.moderation_state == ModerationState.REJECTED:
        css, text = "status-rejected", gettext("Not published: only you and moderators see this")
    elif item.moderation_state == ModerationState.HIDDEN:
        css, text = "status-rejected", gettext("Hidden by a moderator")
    else:
        return mark_safe("")
    return mark_safe(f'<span class="status {css}">{escape(text)}</span>')


def _month_abbreviations() -> list[str]:
    """Escaped short month names of the active language, indexed 1-12 (as the `M` date format)."""
    return [""] + [escape(str(dates.MONTHS_3[month]).title()) for month in range(1, 13)]


def search_results(results) -> SafeString:
    """The list of search results: (post, snippet parts) pairs from forums.selectors, each part
    a (text, is_match) pair; matches are marked, every text escaped."""
    post_url = _url_for_id("forums:post")
    months = _month_abbreviations()
    former_member = escape(gettext("a former member"))
    items = []
    for post, parts in results:
        snippet = "".join(f"<mark>{escape(text)}</mark>" if is_match else escape(text) for text, is_match in parts)
        author = escape(post.author.display_name) if post.author and post.author.display_name else former_member
        created = timezone.localtime(post.created_at)
        items.append(
            f'<li><h3><a href="{post_url(int(post.pk))}">{escape(post.topic.title)}</a></h3>'
            f'<p class="snippet">{snippet}</p>'
            f'<p class="muted small">{escape(post.topic.forum.name)} · {author} · '
            f'<time datetime="{created.isoformat()}">{created.day} {months[created.month]} {created.year}</time>'
            "</p></li>"
        )
    return mark_safe(f'<ol class="list-plain search-results">{"".join(items)}</ol>')


def topic_rows(topics, *, show_forum: bool) -> SafeString:
    """The rows of a topic table (forum page, topic lists, forum index): topics from
    forums.selectors.topics_for, annotated with the viewer's unread count and tracking level."""
    topic_url = _url_for_id("forums:topic")
    unread_url = _url_for_id("forums:topic_unread")
    forum_urls: dict[str, str] = {}
    text = {key: escape(value) for key, value in {
        "pinned": gettext("Pinned"), "locked": gettext("Locked"), "by": gettext("by"),
        "former_member": gettext("a former member"),
    }.items()}
    level_tags = {level: f'<span class="tag">{escape(label)}</span>' for level, label in (
        (TrackingLevel.WATCHING, gettext("Watching")), (TrackingLevel.MUTED, gettext("Muted")))}
    now = timezone.now()
    rows = []
    for topic in topics:
        unread = int(topic.unread_count or 0)
        title = []
        if topic.is_pinned:
            title.append(f'<span class="tag tag-pinned">{text["pinned"]}</span>')
        if topic.is_locked:
            title.append(f'<span class="tag">{text["locked"]}</span>')
        if status := moderation_status(topic):
            title.append(status)
        href = unread_url(int(topic.pk)) if unread else topic_url(int(topic.pk))
        title.append(f'<a class="topic-title" href="{href}">{escape(topic.title)}</a>')
        if unread:
            label = ngettext("%(counter)s unread", "%(counter)s unread", unread) % {"counter": unread}
            title.append(f'<span class="unread-badge">{escape(label)}</span>')
        details = []
        if show_forum:
            forum = topic.forum
            if forum.slug not in forum_urls:
                forum_urls[forum.slug] = escape(forum.get_absolute_url())
            details.append(f'<a href="{forum_urls[forum.slug]}">{escape(forum.name)}</a> · ')
        author = topic.author.display_name if topic.author and topic.author.display_name else None
        details.append(f'{text["by"]} {escape(author) if author else text["former_member"]}')
        if topic.country:
            details.append(f" ({escape(topic.country.code)})")
        tags = "".join(f'<a class="tag" href="?tag={escape(tag.slug)}">{escape(tag.name)}</a>'
                       for tag in topic.tags.all())
        if tags:
            details.append(f" {tags}")
        if topic.viewer_level in level_tags:
            details.append(f" {level_tags[topic.viewer_level]}")
        activity = timezone.localtime(topic.last_activity_at)
        last_poster = (f'<div class="muted small">{escape(topic.last_poster.display_name)}</div>'
                       if topic.last_poster else "")
        rows.append(
            f'<tr class="{"is-unread" if unread else ""}"><td>{" ".join(title)}'
            f'<div class="muted small">{"".join(details)}</div></td>'
            f"<td>{int(topic.reply_count)}</td>"
            f'<td><time datetime="{activity.isoformat()}">'
            f"{escape(time_ago(topic.last_activity_at, now))}</time>"
            f"{last_poster}</td></tr>"
        )
    return mark_safe("\n".join(rows))


def _url_for_id(name: str):
    """`reverse(name, args=[pk])` for many ids at the cost of one reverse."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


class PostCards:
    """Renders the posts of one topic page (forums.selectors.PostRow); built once per page,
    called once per post.

    Each post carries the viewer's rights (`is_unread`, `viewer_can_edit`, `viewer_can_delete`,
    `viewer_can_flag`), set by the view from forums.permissions. Cards are f-strings with
    `escape` on every text (format_html's lazy-string checks cost as much as the rest of the
    card); ids and numbers pass through int().
    """

    def __init__(self, *, request, forum, page, can_moderate: bool, can_reply: bool):
        self.can_moderate = can_moderate
        self.can_reply = can_reply
        self.body_class = "post-body safe-mode" if forum.safe_mode else "post-body"
        self.quote_suffix = f"&amp;page={int(page.number)}#reply" if page.number > 1 else "#reply"
        self.csrf_token = escape(get_token(request))
        self.post_url = _url_for_id("forums:post")
        self.history_url = _url_for_id("forums:post_history")
        self.restore_url = _url_for_id("forums:post_restore")
        self.edit_url = _url_for_id("forums:post_edit")
        self.delete_url = _url_for_id("forums:post_delete")
        self.flag_url = _url_for_id("forums:post_flag")
        self.months = _month_abbreviations()
        self.text = {key: escape(value) for key, value in {
            "link": gettext("Link to post %(number)s"),
            "reply_to": gettext("in reply to #%(number)s"),
            "post": gettext("post %(number)s"),
            "edited": gettext("edited"),
            "new": gettext("New"),
            "deleted_by_author": gettext("Deleted by its author."),
            "deleted_by_moderator": gettext("Deleted by a moderator."),
            "show_deleted": gettext("Show the deleted text (moderators)"),
            "restore": gettext("Restore"),
            "quote": gettext("Quote"),
            "edit": gettext("Edit"),
            "delete": gettext("Delete"),
            "report": gettext("Report"),
        }.items()}

    def render(self, posts) -> SafeString:
        return mark_safe("\n".join(self.card(post) for post in posts))

    def card(self, post) -> str:
        number = int(post.number)
        classes = "card post" + (" is-unread" if post.is_unread else "") + (" is-deleted" if post.deleted_at else "")
        return (
            f'<article class="{classes}" id="post-{number}" aria-labelledby="post-{number}-author">'
            f'<header class="post-header"><h2 class="post-author" id="post-{number}-author">'
            f"{author_label(post.author_name, post.author_membership)}</h2>"
            f'<p class="muted small">{self._meta(post, number)}</p>{moderation_status(post)}</header>'
            f"{self._body(post, number)}</article>"
        )

    def _meta(self, post, number: int) -> str:
        pk = int(post.pk)
        created = timezone.localtime(post.created_at)
        parts = [
            f'<a href="{self.post_url(pk)}" aria-label="{self.text["link"] % {"number": number}}">#{number}</a>',
            f'<time datetime="{created.isoformat()}">'
            f"{created.day} {self.months[created.month]} {created.year}, {created:%H:%M}</time>",
        ]
        if post.edited_at:
            if post.deleted_at and not self.can_moderate:
                parts.append(self.text["edited"])
            else:
                parts.append(f'<a href="{self.history_url(pk)}">{self.text["edited"]}</a>')
        if post.is_unread:
            parts.append(f'<strong class="unread-marker">{self.text["new"]}</strong>')
        if post.reply_to_id and post.reply_to_number != number:
            parts.append(self.text["reply_to"] % {"number": int(post.reply_to_number)})
        return " · ".join(parts)

    def _body(self, post, number: int) -> str:
        body = post.body_html  # sanitised on save (community.markup)
        pk = int(post.pk)
        if post.deleted_at:
            by = "deleted_by_author" if post.deleted_by_id == post.author_id else "deleted_by_moderator"
            html = f'<p class="muted">{self.text[by]}</p>'
            if self.can_moderate:
                html += (
                    f'<details><summary>{self.text["show_deleted"]}</summary>'
                    f'<div class="post-body">{body}</div></details>'
                    f'<form method="post" action="{self.restore_url(pk)}">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf_token}">'
                    f'<button class="button-secondary button-small">{self.text["restore"]}</button></form>'
                )
            return html
        return (
            f'<div class="{self.body_class}">{body}</div>'
            f'<footer class="actions post-actions">{self._actions(post, pk, number)}</footer>'
        )

    def _actions(self, post, pk: int, number: int) -> str:
        hidden = f'<span class="visually-hidden"> {self.text["post"] % {"number": number}}</span>'
        links = []
        if self.can_reply:
            links.append((f"?quote={pk}{self.quote_suffix}", self.text["quote"]))
        if post.viewer_can_edit:
            links.append((self.edit_url(pk), self.text["edit"]))
        if post.viewer_can_delete:
            links.append((self.delete_url(pk), self.text["delete"]))
        if post.viewer_can_flag:
            links.append((self.flag_url(pk), self.text["report"]))
        return "".join(f'<a class="button button-secondary button-small" href="{href}">{label}{hidden}</a>'
                       for href, label in links)
