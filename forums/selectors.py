"""Reads of the forums and the blog, already filtered to what the viewer may see.

Visibility is decided here once, from `forums.permissions`; list pages, topic pages, search,
the dashboard panel and the export all go through these functions.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from community.models import Membership

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
    PostSearchEntry,
    Tag,
    Topic,
    TopicReadState,
    TopicSubscription,
    TrackingLevel,
)
from .services import SEARCH_CONFIG

POSTS_PER_PAGE = 50
TOPICS_PER_PAGE = 30
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _visible_or_own(user, *, moderator: bool = False, prefix: str = "",
                    own_states=permissions.OWN_VISIBLE_STATES) -> Q:
    """Published and not deleted; plus the viewer's own held or refused items (`own_states`);
    moderators see held and hidden items too (deleted topics only through their own pages)."""
    published = Q(**{f"{prefix}moderation_state": "approved"})
    own = Q(**{f"{prefix}author": user, f"{prefix}moderation_state__in": own_states})
    condition = published | own
    if moderator:
        condition = Q()
    return condition & Q(**{f"{prefix}deleted_at__isnull": True})


def _approved_membership_prefetch(prefix: str) -> Prefetch:
    """The author's organisation and country, shown next to their name (forums.rendering.author_line),
    in one query."""
    return Prefetch(
        f"{prefix}memberships",
        queryset=Membership.objects.filter(status=Membership.Status.APPROVED).select_related(
            "organisation__country").only(
            "user_id", "role", "organisation__name", "organisation__country__code", "organisation__country__name"),
        to_attr="approved_memberships",
    )


# --- Forums --------------------------------------------------------------------------------

def listed_forums_for(user):
    """The listed forums `user` may read, with per-viewer unread topic counts."""
    readable = permissions.readable_forum_ids(user)
    forums = list(Forum.objects.filter(pk__in=readable, is_listed=True).order_by("position", "name"))
    unread = dict(
        _unread_topics(user, Topic.objects.filter(forum__in=forums)).values("forum").annotate(n=Count("id"))
        .values_list("forum", "n")
    )
    for forum in forums:
        forum.unread_topic_count = unread.get(forum.pk, 0)
    return forums


def forum_for(user, slug: str) -> Forum:
    forum = get_object_or_404(Forum, slug=slug)
    permissions.check_read_forum(user, forum)
    return forum


def forum_tracking_level(user, forum: Forum) -> str:
    level = ForumSubscription.objects.filter(user=user, forum=forum).values_list("level", flat=True).first()
    return level or TrackingLevel.NORMAL


def all_tags():
    return Tag.objects.all()


# --- Topic lists --------------------------------------------------------------------------

def _with_reading_state(user, topics):
    """Annotate each topic with the viewer's read position, tracking level and unread count.

    Correlated subqueries: one SQL query for the whole page whatever its size."""
    last_read = TopicReadState.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_number")[:1]
    read_mark = ForumReadMark.objects.filter(user=user, forum=OuterRef("forum_id")).values("marked_at")[:1]
    level = TopicSubscription.objects.filter(user=user, topic=OuterRef("pk")).values("level")[:1]
    topics = topics.annotate(
        viewer_last_read=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)),
        viewer_read_mark=Coalesce(Subquery(read_mark, output_field=DateTimeField()),
                                  Value(_EPOCH, output_field=DateTimeField())),
        viewer_level=Subquery(level),
    )
    unread_posts = (
        Post.objects.filter(topic=OuterRef("pk"), deleted_at__isnull=True, number__gt=OuterRef("viewer_last_read"),
                            created_at__gt=OuterRef("viewer_read_mark"))
        .order_by().values("topic").annotate(n=Count("id")).values("n")
    )
    return topics.annotate(unread_count=Coalesce(Subquery(unread_posts, output_field=IntegerField()), Value(0)))


def _unread_topics(user, topics):
    """Topics with a published post after the viewer's read position and "mark all read".

    Read positions and mutes are the viewer's own few rows: matched as sets (NOT IN), not looked
    up topic by topic, so counting the unread topics of every forum stays cheap."""
    read_mark = ForumReadMark.objects.filter(user=user, forum=OuterRef("forum_id")).values("marked_at")[:1]
    read_to_the_end = TopicReadState.objects.filter(
        user=user, last_read_number__gte=F("topic__last_post_number")).values("topic_id")
    muted = TopicSubscription.objects.filter(user=user, level=TrackingLevel.MUTED).values("topic_id")
    return (
        topics.filter(moderation_state="approved", deleted_at__isnull=True, last_post_number__gt=0,
                      last_activity_at__gt=Coalesce(Subquery(read_mark, output_field=DateTimeField()),
                                                    Value(_EPOCH, output_field=DateTimeField())))
        .exclude(pk__in=read_to_the_end)
        .exclude(pk__in=muted)
    )


LIST_VIEWS = ("latest", "unread", "watched")


def topics_for(user, *, forum: Forum | None = None, show: str = "latest", tag: str = "", country: str = ""):
    """Topics the viewer may see, newest activity first (pinned first inside a forum).

    `show`: latest, unread (published posts after the read position) or watched (topics the
    viewer watches). Filters: tag slug, country code."""
    readable = permissions.readable_forum_ids(user)
    if forum is not None:
        if forum.pk not in readable:
            raise Http404
        forum_ids = {forum.pk}
    else:
        forum_ids = readable
    moderated = permissions.moderated_forum_ids(user)
    topics = Topic.all_objects.filter(forum_id__in=forum_ids)
    own_states = permissions.OWN_VISIBLE_STATES
    if forum is not None:
        topics = topics.filter(_visible_or_own(user, moderator=forum.pk in moderated, own_states=own_states))
    else:
        topics = topics.filter(_visible_or_own(user, own_states=own_states)).filter(forum__is_listed=True)
    if show == "unread":
        topics = _unread_topics(user, topics)
    elif show == "watched":
        topics = topics.filter(subscriptions__user=user, subscriptions__level=TrackingLevel.WATCHING)
    if tag:
        topics = topics.filter(tags__slug=tag)
    if country:
        topics = topics.filter(country__code=country.upper())
    topics = _with_reading_state(user, topics).select_related(
        "forum", "author", "last_poster", "country"
    ).prefetch_related("tags")
    if forum is not None:
        return topics.order_by("-is_pinned", "-last_activity_at", "-id")
    return topics.order_by("-last_activity_at", "-id")


def latest_topics_for_dashboard(user, limit: int = 5) -> list[Topic]:
    return list(topics_for(user)[:limit])


# --- A topic and its posts ----------------------------------------------------------------

def topic_for(user, topic_id: int) -> Topic:
    topic = get_object_or_404(Topic.all_objects.select_related("forum", "author", "country"), pk=topic_id)
    permissions.check_read_topic(user, topic)
    return topic


class ViewerTopicState(NamedTuple):
    """What the topic page shows of the viewer's own state in a topic."""

    read_position: int  # the last post read, by visiting or by "mark all read"; 0 before either
    tracking_level: str
    reply_draft: str | None  # the reply they are writing


def viewer_topic_state(user, topic: Topic) -> ViewerTopicState:
    # Four small lookups in one short statement, written out: as ORM subqueries they took
    # thirty times as long to build as to run, on the forum's busiest page. "Mark all read"
    # counts every post written until then as read, as the topic lists count it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT last_read_number FROM {TopicReadState._meta.db_table} "
            "WHERE user_id = %s AND topic_id = %s), "
            f"(SELECT MAX(number) FROM {Post._meta.db_table} WHERE topic_id = %s AND created_at <= "
            f"(SELECT marked_at FROM {ForumReadMark._meta.db_table} WHERE user_id = %s AND forum_id = %s)), "
            f"(SELECT level FROM {TopicSubscription._meta.db_table} WHERE user_id = %s AND topic_id = %s), "
            f"(SELECT body FROM {Draft._meta.db_table} WHERE user_id = %s AND key = %s)",
            [user.pk, topic.pk, topic.pk, user.pk, topic.forum_id, user.pk, topic.pk,
             user.pk, Draft.reply_key(topic.pk)],
        )
        visited_to, marked_to, level, draft = cursor.fetchone()
    return ViewerTopicState(max(visited_to or 0, marked_to or 0), level or TrackingLevel.NORMAL, draft)


def _visible_posts(user, topic: Topic):
    moderator = permissions.can_moderate_forum(user, topic.forum)
    posts = Post.all_objects.filter(topic=topic)
    if not moderator:
        # Deleted posts keep their place as a placeholder, so the thread still reads in order.
        posts = posts.filter(Q(moderation_state="approved") | Q(
            author=user, moderation_state__in=permissions.OWN_VISIBLE_STATES))
    return posts


@dataclass(slots=True)
class PostRow:
    """A post as the topic page shows it (forums.rendering.PostCards). A page of 50 posts built
    as model instances, each with its own author and membership instances, cost twice the CPU
    of the whole page's queries: the topic page is the forum's busiest (issue 3 asks it for a
    quarter of a bare view's requests per second). Not the Markdown source, the plain text or
    the search vector.

    `author_name` is None for a former member; `author_membership` is the author's approved
    membership as (role, organisation name, country code, country name), or None.
    The view adds what the viewer may do: `is_unread`, `viewer_can_edit`, `viewer_can_delete`,
    `viewer_can_flag`."""

    pk: int
    number: int
    author_id: int | None
    author_name: str | None
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    deleted_by_id: int | None
    moderation_state: str
    reply_to_id: int | None
    reply_to_number: int | None
    author_membership: tuple | None = None
    is_unread: bool = False
    viewer_can_edit: bool = False
    viewer_can_delete: bool = False
    viewer_can_flag: bool = False


# PostRow's fields up to `reply_to_number`, in its order (rows are built positionally).
_POST_ROW_COLUMNS = ("pk", "number", "author_id", "author__display_name", "body_html", "created_at", "edited_at",
                     "deleted_at", "deleted_by_id", "moderation_state", "reply_to_id", "reply_to__number")


def posts_page(user, topic: Topic, page_number):
    """One page of the topic: 50 `PostRow`s with their authors' names and organisations and the
    number of the post each answers, in a constant number of queries."""
    rows = _visible_posts(user, topic).order_by("number").values_list(*_POST_ROW_COLUMNS)
    paginator = Paginator(rows, POSTS_PER_PAGE)
    if page_number == "last":
        page_number = paginator.num_pages
    page = paginator.get_page(page_number)
    posts = [PostRow(*row) for row in page.object_list]
    author_ids = {post.author_id for post in posts if post.author_id is not None}
    memberships = {}
    if author_ids:
        for user_id, *membership in Membership.objects.filter(
            user_id__in=author_ids, status=Membership.Status.APPROVED
        ).values_list(
            "user_id", "role", "organisation__name", "organisation__country__code", "organisation__country__name"
        ):
            memberships[user_id] = tuple(membership)
    for post in posts:
        post.author_membership = memberships.get(post.author_id)
    page.object_list = posts
    return page


def page_of_post(user, post: Post) -> int:
    before = _visible_posts(user, post.topic).filter(number__lt=post.number).count()
    return before // POSTS_PER_PAGE + 1


def post_for(user, post_id: int) -> Post:
    post = get_object_or_404(Post.all_objects.select_related("topic__forum", "author"), pk=post_id)
    permissions.check_read_post(user, post)
    return post


def first_unread_post(user, topic: Topic) -> Post | None:
    """The first post after the viewer's read position, as the topic page marks it "New"."""
    read_position = viewer_topic_state(user, topic).read_position
    posts = _visible_posts(user, topic).filter(number__gt=read_position, deleted_at__isnull=True)
    return posts.order_by("number").first()


def revisions_of(post: Post):
    return PostRevision.objects.filter(post=post).select_related("edited_by").order_by("-replaced_at", "-id")


def draft_for(user, key: str) -> Draft | None:
    return Draft.objects.filter(user=user, key=key).first()


def moveable_forums(user, topic: Topic):
    """Other communities of practice the moderator moderates (see `services.move_topic`)."""
    if not topic.forum.is_listed:
        return Forum.objects.none()
    return Forum.objects.filter(pk__in=permissions.moderated_forum_ids(user), is_listed=True).exclude(
        pk=topic.forum_id)


# --- Search --------------------------------------------------------------------------------

MARK_START = "\x02"
MARK_END = "\x03"


@dataclass
class SearchFilters:
    query: str
    forum: Forum | None = None
    tag: str = ""
    author: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None


# Ranking and counting every match of a common word is what made search slow (a word in half
# the posts: seconds). Only the newest matches are ranked and counted; a count that reaches the
# limit means "this many or more" (ten pages; filters reach older posts). Finding the newest
# matches of common words walks posts newest first: at 200,000 posts, 200 keeps a search under
# 50 ms where 500 took twice as long.
SEARCH_RESULT_LIMIT = 200


def search_posts(user, filters: SearchFilters):
    """Published posts in topics the viewer may read: the newest `SEARCH_RESULT_LIMIT` matches,
    best match first.

    PostgreSQL: the posts' search entries (weighted tsvector, GIN-indexed) matched with a
    web-search query, ranked, with highlighted snippets. SQLite: every word must appear in the
    post or its topic title, newest first, snippet cut around the first match."""
    if connection.vendor == "postgresql":
        query = SearchQuery(filters.query, search_type="websearch", config=SEARCH_CONFIG)
        entries = _in_readable_topics(PostSearchEntry.objects.all(), user, filters, author="post__author")
        # Ranked in the query that finds the newest matches; only the page shown is joined
        # and gets its highlighted snippet.
        newest = list(
            entries.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-created_at", "-post_id").values_list("post_id", "rank")[:SEARCH_RESULT_LIMIT]
        )
        # A stable sort: equally ranked matches stay newest first.
        newest.sort(key=lambda match: match[1], reverse=True)
        headline = SearchHeadline("body_text", query, config=SEARCH_CONFIG, start_sel=MARK_START, stop_sel=MARK_END,
                                  max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ")
        return SearchResults([pk for pk, _rank in newest], headline=headline)
    words = [word for word in re.findall(r"\w+", filters.query) if len(word) > 1][:8]
    if not words:
        return SearchResults([])
    posts = _in_readable_topics(Post.objects.filter(deleted_at__isnull=True), user, filters, author="author")
    for word in words:
        posts = posts.filter(Q(body_text__icontains=word) | Q(number=1, topic__title__icontains=word))
    return SearchResults(list(posts.order_by("-created_at", "-id").values_list("pk", flat=True)[:SEARCH_RESULT_LIMIT]))


def _in_readable_topics(rows, user, filters: SearchFilters, *, author: str):
    """`rows` (posts or their search entries, both with `topic` and `created_at`) in published
    topics of forums `user` may read, narrowed by the search filters."""
    rows = rows.filter(topic__forum_id__in=permissions.readable_forum_ids(user),
                       topic__moderation_state="approved", topic__deleted_at__isnull=True)
    if filters.forum is not None:
        rows = rows.filter(topic__forum=filters.forum)
    if filters.tag:
        rows = rows.filter(topic__tags__slug=filters.tag)
    if filters.author:
        rows = rows.filter(**{f"{author}__display_name__icontains": filters.author})
    if filters.date_from:
        rows = rows.filter(created_at__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(created_at__lt=filters.date_to)
    return rows


class SearchResults(Sequence):
    """The matches, best first, as ids: their number is known without a COUNT, and a slice (the
    paginator's page) is fetched in one query with what a result shows (topic, forum, author,
    snippet)."""

    def __init__(self, ids: list[int], *, headline=None):
        self.ids = ids
        self.headline = headline

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._fetch(self.ids[index])
        return self._fetch([self.ids[index]])[0]

    def _fetch(self, ids: list[int]) -> list[Post]:
        # Only what a result shows: the snippet is PostgreSQL's headline or cut from body_text.
        shown = ["created_at", "topic__title", "topic__forum__name", "author__display_name"]
        # Unordered: the ids give the order, and Post's default ordering would sort on the topic.
        rows = Post.objects.filter(pk__in=ids).select_related("topic__forum", "author").order_by()
        if self.headline is not None:
            rows = rows.only(*shown).annotate(headline=self.headline)
        else:
            rows = rows.only(*shown, "body_text")
        by_id = {post.pk: post for post in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


def snippet_parts(post: Post, query: str) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) parts, so the template escapes every part itself."""
    headline = getattr(post, "headline", None)
    if headline is None:
        headline = _fallback_headline(post.body_text, query)
    parts = []
    for index, chunk in enumerate(re.split(f"[{MARK_START}{MARK_END}]", headline)):
        if chunk:
            parts.append((chunk, index % 2 == 1))
    return parts


def _fallback_headline(text: str, query: str) -> str:
    words = [re.escape(word) for word in re.findall(r"\w+", query) if len(word) > 1]
    text = text.replace(MARK_START, "").replace(MARK_END, "")
    if not words:
        return text[:240]
    pattern = re.compile("|".join(words), re.IGNORECASE)
    first = pattern.search(text)
    start = max((first.start() if first else 0) - 80, 0)
    window = text[start:start + 240]
    marked = pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", window)
    return ("… " if start else "") + marked + (" …" if start + 240 < len(text) else "")


# --- Blog ------------------------------------------------------------------------------------

def blog_posts_for(user, *, tag: str = "", country: str = "", author_id: int | None = None):
    if not permissions.can_read_blog(user):
        raise Http404
    posts = BlogPost.all_objects.filter(_visible_or_own(user, moderator=False))
    if tag:
        posts = posts.filter(tags__slug=tag)
    if country:
        posts = posts.filter(country__code=country.upper())
    if author_id:
        posts = posts.filter(author_id=author_id)
    return posts.select_related("author", "country").prefetch_related("tags").order_by("-created_at", "-id")


def blog_post_for(user, blog_post_id: int) -> BlogPost:
    blog_post = get_object_or_404(BlogPost.all_objects.select_related("author", "country"), pk=blog_post_id)
    permissions.check_read_blog_post(user, blog_post)
    return blog_post


def comments_for(user, blog_post: BlogPost):
    comments = BlogComment.all_objects.filter(blog_post=blog_post)
    if not permissions.can_moderate_blog(user):
        comments = comments.filter(Q(moderation_state="approved") | Q(
            author=user, moderation_state__in=permissions.OWN_VISIBLE_STATES))
    return comments.select_related("author").prefetch_related(_approved_membership_prefetch("author__")).order_by(
        "created_at", "id")


def comment_for(user, comment_id: int) -> BlogComment:
    comment = get_object_or_404(BlogComment.all_objects.select_related("blog_post__author", "author"), pk=comment_id)
    permissions.check_read_comment(user, comment)
    return comment


def blog_tracking_level(user, blog_post: BlogPost) -> str:
    level = BlogSubscription.objects.filter(user=user, blog_post=blog_post).values_list("level", flat=True).first()
    return level or TrackingLevel.NORMAL


def blog_authors(user):
    if not permissions.can_read_blog(user):
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        blog_posts__moderation_state="approved", blog_posts__deleted_at__isnull=True
    ).distinct().order_by("display_name")


# --- Personal data export ----------------------------------------------------------------------

def personal_forum_data(user) -> dict:
    """Everything the member wrote in the forums and the blog, and their reading settings."""
    return {
        "topics_started": list(Topic.all_objects.filter(author=user).values(
            "id", "title", "forum__name", "created_at", "moderation_state", "deleted_at")),
        "posts": list(Post.all_objects.filter(author=user).order_by("created_at").values(
            "id", "topic_id", "topic__title", "number", "body", "created_at", "edited_at", "moderation_state",
            "deleted_at")),
        "post_revisions_of_your_posts": list(PostRevision.objects.filter(post__author=user).values(
            "post_id", "title", "body", "written_at", "replaced_at", "edited_by_name")),
        "blog_posts": list(BlogPost.all_objects.filter(author=user).values(
            "id", "title", "body", "created_at", "edited_at", "cover_alt", "moderation_state", "deleted_at")),
        "blog_comments": list(BlogComment.all_objects.filter(author=user).values(
            "id", "blog_post_id", "body", "created_at", "edited_at", "moderation_state", "deleted_at")),
        "drafts": list(Draft.objects.filter(user=user).values("key", "title", "body", "updated_at")),
        "topic_tracking": list(TopicSubscription.objects.filter(user=user).values("topic_id", "level")),
        "forum_tracking": list(ForumSubscription.objects.filter(user=user).values("forum__name", "level")),
    }
