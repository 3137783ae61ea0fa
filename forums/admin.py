from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import BlogComment, BlogPost, Forum, Post, Tag, Topic


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    """Who reads, posts and moderates, and safe mode, are shown here but changed on the forum's
    "Edit forum" page on the site (forums.services.update_forum; new forums: create_forum): it
    re-grants the object permissions in one transaction, re-renders posts for safe mode,
    withdraws the notifications of members who lose the forum and records the change in the
    moderation audit log, none of which an admin form would do."""

    list_display = ["name", "slug", "is_listed", "safe_mode", "position", "topic_count", "post_count"]
    readonly_fields = ["site_edit_page", "safe_mode", "read_services", "post_services", "topic_count", "post_count",
                       "last_activity_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Audience and safe mode"))
    def site_edit_page(self, forum):
        return format_html('<a href="{}">{}</a>', reverse("forums:forum_edit", args=[forum.slug]),
                           _("Change them on the forum's Edit page"))


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "forum", "author", "moderation_state", "is_pinned", "is_locked", "deleted_at"]
    list_filter = ["forum", "moderation_state", "is_pinned", "is_locked"]
    search_fields = ["title"]
    raw_id_fields = ["author", "last_poster", "deleted_by"]
    readonly_fields = ["last_post_number", "reply_count"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at", "moderation_state", "deleted_at"]
    list_filter = ["moderation_state", "topic__forum"]
    raw_id_fields = ["topic", "author", "reply_to", "edited_by", "deleted_by"]
    # Bodies are rendered and moderated by the services: edit posts on the site, not here.
    readonly_fields = ["body", "body_html", "body_text"]
    exclude = ["search_vector"]


@admin.register(BlogPost)
class BlogPostAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "country", "created_at", "moderation_state", "deleted_at"]
    list_filter = ["moderation_state", "country"]
    raw_id_fields = ["author", "deleted_by"]
    readonly_fields = ["body", "body_html"]


@admin.register(BlogComment)
class BlogCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at", "moderation_state", "deleted_at"]
    raw_id_fields = ["blog_post", "author", "deleted_by"]
    readonly_fields = ["body", "body_html"]
