"""The forums' and blog's moderated models, registered with moderation (see
moderation/registry.py): where each object lives, who moderates it, who may see it, and the
hooks that send held-back notifications once content is published."""

from guardian.shortcuts import get_users_with_perms

from moderation.registry import ModeratedModel, Space, register

from . import permissions, services
from .models import BlogComment, BlogPost, Forum, Post, Topic

BLOG_SPACE = Space(kind="blog", pk=None, label="Community blog")


def forum_space(forum: Forum) -> Space:
    return Space(kind="forum", pk=forum.pk, label=forum.name)


def _can_moderate_forum_space(user, space: Space) -> bool:
    return permissions.can_moderate_forum(user, Forum(pk=space.pk))


def _forum_moderators(space: Space):
    """Forum moderators appointed on this forum (network moderators are added by moderation)."""
    return get_users_with_perms(Forum(pk=space.pk), only_with_perms_in=["moderate_forum"], with_group_users=False,
                                with_superusers=False)


def _all_forum_spaces():
    return [forum_space(forum) for forum in Forum.objects.all()]


def _can_moderate_blog(user, space: Space) -> bool:
    return permissions.can_moderate_blog(user)


def register_moderated_models() -> None:
    forum_rules = {
        "can_moderate": _can_moderate_forum_space,
        "moderators_of": _forum_moderators,
        "on_published": services.content_published,
        "on_refused": services.content_refused,
        "on_revised": services.content_revised,
        "all_spaces": _all_forum_spaces,
    }
    register(ModeratedModel(
        model=Topic, space_of=lambda topic: forum_space(topic.forum),
        can_view=permissions.can_read_topic, view_related=("forum",), text_fields=("title",), html_field=None,
        title_of=lambda topic: topic.title,
        # The opening post counts towards a new member's first posts; the topic would count it twice.
        counts_as_post=False, **forum_rules,
    ))
    register(ModeratedModel(
        model=Post, space_of=lambda post: forum_space(post.topic.forum),
        can_view=permissions.can_read_post, view_related=("topic__forum",), text_fields=("body",),
        html_field="body_html",
        title_of=lambda post: post.topic.title, **forum_rules,
    ))
    blog_rules = {
        "space_of": lambda item: BLOG_SPACE,
        "can_moderate": _can_moderate_blog,
        "on_published": services.content_published,
        "all_spaces": lambda: [BLOG_SPACE],
    }
    register(ModeratedModel(
        model=BlogPost, can_view=permissions.can_read_blog_post, text_fields=("title", "body"),
        html_field="body_html", title_of=lambda blog_post: blog_post.title, **blog_rules,
    ))
    register(ModeratedModel(
        model=BlogComment, can_view=permissions.can_read_comment, view_related=("blog_post",), text_fields=("body",),
        html_field="body_html", title_of=lambda comment: comment.blog_post.title, **blog_rules,
    ))
