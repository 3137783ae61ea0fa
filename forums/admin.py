from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from . import services
from .models import BlogComment, BlogPost, Forum, Post, Tag, Topic


@admin.register(Forum)
class ForumAdmin(GuardedModelAdmin):
    """Object permissions (who reads, posts, moderates) are managed on each forum's
    "Object permissions" page; service audiences with the fields below."""

    list_display = ["name", "slug", "is_listed", "safe_mode", "position", "topic_count", "post_count"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["read_services", "post_services"]
    readonly_fields = ["topic_count", "post_count", "last_activity_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "safe_mode" in form.changed_data:
            # Posts are rendered once on save: render the forum's posts again under the new rule.
            services.set_safe_mode(actor=None, forum=obj, enabled=obj.safe_mode)


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
