"""Communities of practice: forums, topics, posts, and the community blog.

Who may read, post in or moderate a forum is decided in one place, `forums.permissions`
(see `forum_access`): django-guardian object permissions on `Forum` granted to role groups or
to single people, plus the forum's service audiences (`read_services` / `post_services`, for
example hotline staff), because a service is an attribute of a membership, not a group.
"""


from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.storage import PrivateStorage
from moderation.models import ModeratedContent


class TrackingLevel(models.TextChoices):
    """How closely someone follows a topic, forum or blog post (Discourse's levels)."""

    WATCHING = "watching", _("Watching: every new post")
    NORMAL = "normal", _("Normal: mentions and replies to you")
    MUTED = "muted", _("Muted: no notifications")


class Tag(models.Model):
    """A subject from the network's taxonomy (cyberbullying, grooming, sextortion...)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Forum(models.Model):
    """A place for topics. The four communities of practice are listed on /forums/; other apps
    (youth panels, meetings) create unlisted forums for their own spaces with their own audience."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    is_listed = models.BooleanField(
        default=True, help_text=_("Shown on the forums index. Spaces of other areas are not listed.")
    )
    safe_mode = models.BooleanField(
        default=False,
        help_text=_("Links are shown defanged and not clickable, images never render, no attachments."),
    )
    composer_notice = models.TextField(
        blank=True, help_text=_("A reminder shown above the composer in this forum.")
    )
    position = models.PositiveSmallIntegerField(default=100)
    read_services = models.ManyToManyField(
        "community.Service", blank=True, related_name="+",
        help_text=_("Members working in these services may read, besides the groups given access."),
    )
    post_services = models.ManyToManyField(
        "community.Service", blank=True, related_name="+",
        help_text=_("Members working in these services may post, besides the groups given access."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Denormalised for the index page; updated by the services in the same transaction.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]
        permissions = [
            ("read_forum", "Can read topics in the forum"),
            ("post_in_forum", "Can start topics and reply in the forum"),
            ("moderate_forum", "Can moderate the forum"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum", args=[self.slug])


class Topic(ModeratedContent):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="forum_topics"
    )
    # The author's country when the topic was started, for "topics by country".
    country = models.ForeignKey(
        "community.Country", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics")
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Numbers are handed out per topic (1 = the opening post) and never reused.
    last_post_number = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["forum", "-is_pinned", "-last_activity_at"], name="topic_forum_latest_idx"),
            models.Index(fields=["-last_activity_at"], name="topic_latest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:topic", args=[self.pk])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Post(ModeratedContent):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="forum_posts"
    )
    body = models.TextField(_("message"), max_length=20000)
    # Rendered once on save by community.markup (safe mode applied for safe-mode forums).
    body_html = models.TextField(editable=False)
    # Plain text of the rendered body: the search fallback and the source of snippets.
    body_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The composer's one-time token: the same form sent twice (double click, resend) is one reply.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="post_number_unique_in_topic"),
            models.UniqueConstraint(fields=["author", "submission_token"], name="forum_post_submitted_once"),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_latest_idx"),
            models.Index(fields=["-created_at"], name="post_latest_idx"),
        ]

    def __str__(self):
        return f"#{self.number} in {self.topic_id}"

    def get_absolute_url(self):
        return reverse("forums:post", args=[self.pk])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_opening_post(self) -> bool:
        return self.number == 1


class PostSearchEntry(models.Model):
    """The search index of the published posts (approved, not deleted), on PostgreSQL: post,
    topic, time and weighted tsvector, nothing else. The topic's state and forum are still
    checked by joining the topic.

    Finding the newest matches of common words walks posts newest first and tests each one.
    At 200,000 posts, walking these narrow rows took a fifth of the time the full post rows
    took (4 ms instead of 18 ms for a two-word query).

    A database trigger (migration 0006) writes the row whenever a post's vector, state, time
    or topic is written, so every path that changes posts keeps it in step, queryset updates
    in moderation and erasure included. On SQLite the table stays empty: search reads the
    posts' plain text there."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    search_vector = SearchVectorField()

    class Meta:
        indexes = [models.Index(fields=["-created_at", "-post"], name="post_search_latest_idx")]

    def __str__(self):
        return f"search entry of post {self.post_id}"


class PostRevision(models.Model):
    """The text of a post before an edit. The editor's name is copied so history survives
    account deletion."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_by_name = models.CharField(max_length=80, blank=True)
    # When the replaced text was written (the post's creation or its previous edit).
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "-replaced_at", "-id"]

    def __str__(self):
        return f"Revision of post {self.post_id} by {self.edited_by_name or 'unknown'}"


class TopicReadState(models.Model):
    """The last post someone has read in a topic. One cheap upsert per topic page view."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="read_state_once_per_topic")]

    def __str__(self):
        return f"{self.user_id} read topic {self.topic_id} to #{self.last_read_number}"


class ForumReadMark(models.Model):
    """"Mark all read": posts created before `marked_at` count as read in that forum."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "forum"], name="read_mark_once_per_forum")]

    def __str__(self):
        return f"{self.user_id} marked forum {self.forum_id} read"


class TopicSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=TrackingLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_subscription_once")]
        indexes = [models.Index(fields=["topic", "level"])]

    def __str__(self):
        return f"{self.user_id} → topic {self.topic_id}: {self.level}"


class ForumSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=TrackingLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "forum"], name="forum_subscription_once")]
        indexes = [models.Index(fields=["forum", "level"])]

    def __str__(self):
        return f"{self.user_id} → forum {self.forum_id}: {self.level}"


class Draft(models.Model):
    """Text being written, saved as the author types so it survives a closed tab or a device
    change. `key` names the composer (built by the helpers below): "topic:<forum id>", "reply:<topic id>",
    "blog:new", "blog:<blog post id>" (an article being edited), "comment:<blog post id>"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_drafts")
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_once_per_composer")]

    def __str__(self):
        return f"Draft {self.key} of {self.user_id}"

    NEW_BLOG_POST_KEY = "blog:new"

    @staticmethod
    def new_topic_key(forum_id: int) -> str:
        return f"topic:{forum_id}"

    @staticmethod
    def reply_key(topic_id: int) -> str:
        return f"reply:{topic_id}"

    @staticmethod
    def blog_post_key(blog_post_id: int) -> str:
        return f"blog:{blog_post_id}"

    @staticmethod
    def comment_key(blog_post_id: int) -> str:
        return f"comment:{blog_post_id}"


private_storage = PrivateStorage("forums")


def _private_storage():
    return private_storage


def _cover_image_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"blog/covers/{timezone.now():%Y/%m}/{instance.author_id or 0}-{timezone.now():%H%M%S%f}.{extension}"


class BlogPost(ModeratedContent):
    """A staff member's article on topical issues, trends, events or campaigns."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="blog_posts"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("article"), max_length=50000)
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="blog_posts")
    country = models.ForeignKey(
        "community.Country", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cover_image = models.ImageField(
        _("cover image"), upload_to=_cover_image_path, storage=_private_storage, blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    cover_alt = models.CharField(
        _("cover image description"), max_length=200, blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The composer's one-time token: the same form sent twice is one article.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="blog_latest_idx")]
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_token"], name="blog_post_submitted_once"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:blog_post", args=[self.pk])


class BlogComment(ModeratedContent):
    blog_post = models.ForeignKey(BlogPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="blog_comments"
    )
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["blog_post", "created_at"], name="blog_comment_order_idx")]

    def __str__(self):
        return f"Comment {self.pk} on {self.blog_post_id}"

    def get_absolute_url(self):
        return reverse("forums:blog_post", args=[self.blog_post_id]) + f"#comment-{self.pk}"


class BlogSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blog_post = models.ForeignKey(BlogPost, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=TrackingLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "blog_post"], name="blog_subscription_once")]

    def __str__(self):
        return f"{self.user_id} → blog post {self.blog_post_id}: {self.level}"

