"""Reads for other apps' registries (the weekly digest, live streams), filtered to what the
person may see through `forums.permissions`, like every read in `forums.selectors`."""

from datetime import datetime

from django.utils.translation import gettext as _

from . import permissions
from .models import Forum, ForumSubscription, Topic, TopicSubscription, TrackingLevel


def new_topics_in_watched_forums(user, *, since: datetime, until: datetime) -> list:
    """Published topics started between `since` and `until` in the forums `user` watches and
    may still read; a topic the member muted is left out."""
    watched = set(
        ForumSubscription.objects.filter(user=user, level=TrackingLevel.WATCHING).values_list("forum_id", flat=True)
    ) & permissions.readable_forum_ids(user)
    if not watched:
        return []
    muted = TopicSubscription.objects.filter(user=user, level=TrackingLevel.MUTED).values("topic_id")
    return list(
        Topic.objects.filter(
            forum_id__in=watched, deleted_at__isnull=True, created_at__gte=since, created_at__lt=until,
        )
        .exclude(pk__in=muted)
        .select_related("forum")
        .order_by("-created_at")
    )


def digest_new_topics(user, *, since: datetime, until: datetime):
    from notifications.digest import DigestItem

    return [
        DigestItem(title=topic.title, url=topic.get_absolute_url(),
                   detail=_("in %(forum)s") % {"forum": topic.forum.name})
        for topic in new_topics_in_watched_forums(user, since=since, until=until)
    ]


def is_youth_panel_forum(forum: Forum) -> bool:
    """Whether `forum` holds a youth panel's discussions (its pages then carry the youth
    area's "Need help now?" box). The youth panel app links its forum; forums does not import it."""
    # Panel forums are unlisted: the listed communities of practice cost no query.
    return not forum.is_listed and Forum.objects.filter(pk=forum.pk, youth_panel__isnull=False).exists()
