"""Registration of the youth area's moderated models with the moderation framework.

Both posts and comments live in the space ("youth_panel", panel id) of the post's national
panel: its coordinators moderate them (a promoted post keeps its national moderators).
"""

from django.contrib.auth import get_user_model

from moderation.registry import ModeratedModel, Space

from . import permissions, selectors, services
from .models import YouthComment, YouthPanel, YouthPost

SPACE_KIND = selectors.SPACE_KIND
User = get_user_model()


def _space(panel: YouthPanel) -> Space:
    return Space(kind=SPACE_KIND, pk=panel.pk, label=panel.name)


def _can_moderate(user, space: Space) -> bool:
    return permissions.can_moderate_panel_id(user, space.pk)


def _all_spaces() -> list[Space]:
    """Every space where youth posts and comments live, so network coordinators can set a
    moderation policy per panel on /moderation/settings/."""
    return [_space(panel) for panel in YouthPanel.objects.select_related("country")]


def _moderators_of(space: Space):
    panel = YouthPanel.objects.filter(pk=space.pk).first()
    return selectors.coordinators_of(panel) if panel is not None else User.objects.none()


REGISTRATIONS = [
    ModeratedModel(
        model=YouthPost,
        space_of=lambda post: _space(post.panel),
        can_moderate=_can_moderate,
        moderators_of=_moderators_of,
        can_view=permissions.can_view_post,
        view_related=("panel",),
        author_field="author",
        text_fields=("title", "body"),
        html_field="body_html",
        title_of=lambda post: post.title,
        on_published=services.announce_post,
        all_spaces=_all_spaces,
    ),
    ModeratedModel(
        model=YouthComment,
        space_of=lambda comment: _space(comment.post.panel),
        can_moderate=_can_moderate,
        moderators_of=_moderators_of,
        can_view=permissions.can_view_comment,
        view_related=("post__panel",),
        author_field="author",
        text_fields=("body",),
        html_field="body_html",
        title_of=lambda comment: comment.post.title,
        on_published=services.announce_comment,
        all_spaces=_all_spaces,
    ),
]
