"""Every "may X do Y to Z" of the forums and the blog. Views, services and selectors call these.

Forum audiences are read in ONE place, `forum_access(user, forum)` (and its bulk twin
`_forum_grants`, plus `readers_of_forum` for notification fan-out, which encodes the same rule as
a query):

1. django-guardian object permissions on the Forum (`forums.read_forum`, `forums.post_in_forum`,
   `forums.moderate_forum`) granted to role groups (group names = `community.models.Role`
   values) or to single people (forum moderators, members of another app's space);
2. the forum's service audiences (`Forum.read_services` / `Forum.post_services`): a service is an
   attribute of a member's approved membership, not a group, so "hotline staff" is matched
   against `user.service_codes` instead of mirroring memberships into groups that could drift;
3. network moderators and network coordinators moderate every forum, and may therefore read it.

Only approved, unsuspended members have any access. Reading is required for everything else.
`can_*` answer for templates; `check_*` raise Http404 where the user may not know the object
exists and PermissionDenied where they can see it but may not act.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from community.models import Membership, Role, Service

from .models import BlogComment, BlogPost, Forum, Post, Topic

READ = "read_forum"
POST = "post_in_forum"
MODERATE = "moderate_forum"
NETWORK_ROLES = (Role.MODERATOR, Role.NETWORK_COORDINATOR)
_GRANTS_CACHE = "_forum_grants_cache"


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_approved_member)


def is_network_moderator(user) -> bool:
    """Network moderators and coordinators: moderation powers everywhere."""
    return is_member(user) and any(user.has_role(role) for role in NETWORK_ROLES)


def _forum_grants(user) -> dict[int, set[str]]:
    """{forum id: codenames} from guardian and service audiences, read once per request."""
    cached = getattr(user, _GRANTS_CACHE, None)
    if cached is not None:
        return cached
    grants: dict[int, set[str]] = {}
    codes = sorted(user.service_codes)
    params = [ContentType.objects.get_for_model(Forum).pk, user.pk] * 2 + codes * 2
    with connection.cursor() as cursor:
        cursor.execute(_grants_sql(len(codes)), params)
        for forum_id, codename in cursor.fetchall():
            grants.setdefault(int(forum_id), set()).add(codename)
    setattr(user, _GRANTS_CACHE, grants)
    return grants


@cache
def _grants_sql(service_count: int) -> str:
    """One statement for every forum page: the user's own and their groups' guardian
    permissions on forums, and the forums whose read or post audience includes one of their
    services. Written out because building it with the ORM (two union querysets) took 25 times
    as long as running it."""
    permission = Permission._meta.db_table
    user_permissions = UserObjectPermission._meta.db_table
    group_permissions = GroupObjectPermission._meta.db_table
    user_groups = get_user_model().groups.through._meta.db_table
    sql = (
        f"SELECT up.object_pk, p.codename FROM {user_permissions} up "
        f"JOIN {permission} p ON p.id = up.permission_id WHERE up.content_type_id = %s AND up.user_id = %s "
        f"UNION ALL SELECT gp.object_pk, p.codename FROM {group_permissions} gp "
        f"JOIN {permission} p ON p.id = gp.permission_id JOIN {user_groups} ug ON ug.group_id = gp.group_id "
        f"WHERE gp.content_type_id = %s AND ug.user_id = %s"
    )
    if service_count:
        placeholders = ", ".join(["%s"] * service_count)
        service = Service._meta.db_table
        for audience, codename in ((Forum.read_services, READ), (Forum.post_services, POST)):
            through = audience.through._meta.db_table
            sql += (f" UNION ALL SELECT CAST(a.forum_id AS VARCHAR(20)), '{codename}' FROM {through} a "
                    f"JOIN {service} s ON s.id = a.service_id WHERE s.code IN ({placeholders})")
    return sql


def forget_cached_access(user) -> None:
    """After changing someone's grants within a request (tests, services granting access)."""
    if hasattr(user, _GRANTS_CACHE):
        delattr(user, _GRANTS_CACHE)


def forum_access(user, forum: Forum) -> frozenset[str]:
    """What `user` may do in `forum`: a subset of {read_forum, post_in_forum, moderate_forum}."""
    if not is_member(user):
        return frozenset()
    granted = set(_forum_grants(user).get(forum.pk, ()))
    if is_network_moderator(user):
        granted.add(MODERATE)
    if MODERATE in granted:
        granted.add(READ)
    if READ not in granted:
        return frozenset()
    return frozenset(granted)


def readable_forum_ids(user) -> set[int]:
    if not is_member(user):
        return set()
    if is_network_moderator(user):
        return set(Forum.objects.values_list("pk", flat=True))
    return {
        forum_id for forum_id, codenames in _forum_grants(user).items()
        if READ in codenames or MODERATE in codenames
    }


def moderated_forum_ids(user) -> set[int]:
    if not is_member(user):
        return set()
    if is_network_moderator(user):
        return set(Forum.objects.values_list("pk", flat=True))
    return {forum_id for forum_id, codenames in _forum_grants(user).items() if MODERATE in codenames}


def readers_of_forum(forum: Forum):
    """Everyone who may read `forum` now, as a query (notification fan-out re-filters with it)."""
    User = get_user_model()
    forum_type = ContentType.objects.get_for_model(Forum)
    granted_groups = GroupObjectPermission.objects.filter(
        content_type=forum_type, object_pk=str(forum.pk), permission__codename__in=[READ, MODERATE]
    ).values("group_id")
    granted_users = UserObjectPermission.objects.filter(
        content_type=forum_type, object_pk=str(forum.pk), permission__codename__in=[READ, MODERATE]
    ).values("user_id")
    now = timezone.now()
    approved = Membership.objects.filter(status=Membership.Status.APPROVED)
    return (
        User.objects.filter(is_active=True, pk__in=approved.values("user_id"))
        .exclude(Q(suspended_at__isnull=False) & (Q(suspended_until__isnull=True) | Q(suspended_until__gt=now)))
        .filter(
            Q(groups__in=granted_groups)
            | Q(pk__in=granted_users)
            | Q(groups__name__in=[str(role) for role in NETWORK_ROLES])
            | Q(pk__in=approved.filter(services__in=forum.read_services.all()).values("user_id"))
        )
        .distinct()
    )


# --- Forums ------------------------------------------------------------------------------

def can_read_forum(user, forum: Forum) -> bool:
    return READ in forum_access(user, forum)


def check_read_forum(user, forum: Forum) -> None:
    if not can_read_forum(user, forum):
        raise Http404


def can_post_in_forum(user, forum: Forum) -> bool:
    access = forum_access(user, forum)
    return POST in access or MODERATE in access


def check_post_in_forum(user, forum: Forum) -> None:
    check_read_forum(user, forum)
    if not can_post_in_forum(user, forum):
        raise PermissionDenied


def can_moderate_forum(user, forum: Forum) -> bool:
    """Forum moderators (guardian `forums.moderate_forum` on the forum) and network
    moderators/coordinators everywhere. Called by moderation.registry too."""
    return MODERATE in forum_access(user, forum)


def check_moderate_forum(user, forum: Forum) -> None:
    check_read_forum(user, forum)
    if not can_moderate_forum(user, forum):
        raise PermissionDenied


def can_create_forum(user) -> bool:
    return is_member(user) and user.has_role(Role.NETWORK_COORDINATOR)


def check_create_forum(user) -> None:
    if not can_create_forum(user):
        raise PermissionDenied


def can_change_forum(user, forum: Forum) -> bool:
    return can_create_forum(user) and can_read_forum(user, forum)


def check_change_forum(user, forum: Forum) -> None:
    check_read_forum(user, forum)
    if not can_change_forum(user, forum):
        raise PermissionDenied


def can_change_forum_audience(user, forum: Forum) -> bool:
    """Only a community of practice's audience is set here: another app's space (a youth
    panel, a meeting series) has its members kept in step by that app, which would undo it."""
    return forum.is_listed and can_change_forum(user, forum)


@dataclass(frozen=True)
class ForumAudience:
    """Who may read, post in and moderate a forum: role groups (guardian grants) and services
    (codes, matched against members' memberships). Each role or service is kept at its
    strongest level only: posting includes reading, moderating includes both."""

    reader_roles: frozenset = frozenset()
    poster_roles: frozenset = frozenset()
    moderator_roles: frozenset = frozenset()
    read_services: frozenset = frozenset()
    post_services: frozenset = frozenset()

    @classmethod
    def of(cls, *, reader_roles=(), poster_roles=(), moderator_roles=(), read_services=(), post_services=()):
        moderators = frozenset(map(str, moderator_roles))
        posters = frozenset(map(str, poster_roles)) - moderators
        posting_services = frozenset(post_services)
        return cls(
            reader_roles=frozenset(map(str, reader_roles)) - posters - moderators,
            poster_roles=posters,
            moderator_roles=moderators,
            read_services=frozenset(read_services) - posting_services,
            post_services=posting_services,
        )

    @property
    def has_readers(self) -> bool:
        return any((self.reader_roles, self.poster_roles, self.moderator_roles, self.read_services,
                    self.post_services))

    def codenames_by_role(self) -> dict[str, set[str]]:
        granted = {role: {READ} for role in self.reader_roles}
        granted.update({role: {READ, POST} for role in self.poster_roles})
        granted.update({role: {READ, POST, MODERATE} for role in self.moderator_roles})
        return granted


def audience_of(forum: Forum) -> ForumAudience:
    """The forum's audience as `ForumAudience`: grants to role groups (grants to single people
    and to other apps' groups are not part of it) and its service audiences. Three queries."""
    forum_type = ContentType.objects.get_for_model(Forum)
    codenames: dict[str, set[str]] = {}
    grants = GroupObjectPermission.objects.filter(
        content_type=forum_type, object_pk=str(forum.pk), group__name__in=Role.values
    ).values_list("group__name", "permission__codename")
    for role, codename in grants:
        codenames.setdefault(role, set()).add(codename)
    return ForumAudience.of(
        reader_roles=[role for role, names in codenames.items() if READ in names],
        poster_roles=[role for role, names in codenames.items() if POST in names],
        moderator_roles=[role for role, names in codenames.items() if MODERATE in names],
        read_services=forum.read_services.values_list("code", flat=True),
        post_services=forum.post_services.values_list("code", flat=True),
    )


# --- Topics and posts -------------------------------------------------------------------

# Authors see their own held, refused and hidden items (labelled), so they can delete them:
# youth panellists may delete their own content at any time (issue 5), and so may everyone.
# Editing a hidden item stays refused (moderation.services.submit_content).
OWN_VISIBLE_STATES = ("pending", "rejected", "hidden")


def _is_published(item) -> bool:
    return item.moderation_state == "approved" and item.deleted_at is None


def _is_own_unpublished(user, item) -> bool:
    """Authors see their own held, refused or hidden items (labelled)."""
    return item.author_id == user.pk and item.moderation_state in OWN_VISIBLE_STATES


def can_read_topic(user, topic: Topic) -> bool:
    if not can_read_forum(user, topic.forum):
        return False
    if topic.deleted_at is not None:
        return can_moderate_forum(user, topic.forum)
    if topic.moderation_state == "approved":
        return True
    # Held, rejected or hidden: its author sees it (labelled), and so do the forum's moderators.
    return _is_own_unpublished(user, topic) or can_moderate_forum(user, topic.forum)


# Who may reach a youth panellist by name (issue 5: no contact path from adults to minors).
YOUTH_CONTACT_ROLES = frozenset({Role.YOUTH_PANELLIST, Role.YOUTH_COORDINATOR, Role.MODERATOR,
                                 Role.NETWORK_COORDINATOR})


def can_mention(author, person) -> bool:
    """Whether `author` mentioning `person` notifies them: youth panellists hear only from
    other panellists, youth coordinators and the network's moderators and coordinators."""
    if not person.is_youth_panellist:
        return True
    return author is not None and bool(YOUTH_CONTACT_ROLES & author.role_names)


def can_follow_topic_live(user, topic_id) -> bool:
    """The `topic` live stream ("N new replies"): only for someone who may read the topic."""
    if not isinstance(topic_id, int):
        return False
    topic = Topic.all_objects.select_related("forum").filter(pk=topic_id).first()
    return topic is not None and can_read_topic(user, topic)


def check_read_topic(user, topic: Topic) -> None:
    if not can_read_topic(user, topic):
        raise Http404


def can_reply(user, topic: Topic) -> bool:
    if not can_read_topic(user, topic) or not can_post_in_forum(user, topic.forum):
        return False
    # A held or refused topic is not part of the conversation yet: nobody replies to it.
    if topic.deleted_at is not None or topic.moderation_state != "approved":
        return False
    if topic.is_locked:
        return can_moderate_forum(user, topic.forum)
    return True


def check_reply(user, topic: Topic) -> None:
    check_read_topic(user, topic)
    if not can_reply(user, topic):
        raise PermissionDenied


def can_read_post(user, post: Post) -> bool:
    if not can_read_topic(user, post.topic):
        return False
    if post.moderation_state == "approved":
        return True
    return _is_own_unpublished(user, post) or can_moderate_forum(user, post.topic.forum)


def check_read_post(user, post: Post) -> None:
    if not can_read_post(user, post):
        raise Http404


def can_read_post_history(user, post: Post) -> bool:
    """Earlier versions are part of the post: once it is deleted, only moderators see them."""
    if not can_read_post(user, post):
        return False
    return post.deleted_at is None or can_moderate_forum(user, post.topic.forum)


def check_read_post_history(user, post: Post) -> None:
    if not can_read_post_history(user, post):
        raise Http404


def can_edit_post(user, post: Post) -> bool:
    if post.deleted_at is not None or not can_read_post(user, post):
        return False
    if can_moderate_forum(user, post.topic.forum):
        return True
    return (
        post.author_id == user.pk
        and post.moderation_state != "hidden"
        and can_post_in_forum(user, post.topic.forum)
        and not post.topic.is_locked
    )


def check_edit_post(user, post: Post) -> None:
    check_read_post(user, post)
    if not can_edit_post(user, post):
        raise PermissionDenied


def can_delete_post(user, post: Post) -> bool:
    """Authors their own posts, moderators any (deleting twice is a no-op, not a refusal)."""
    if not can_read_post(user, post):
        return False
    return post.author_id == user.pk or can_moderate_forum(user, post.topic.forum)


def check_delete_post(user, post: Post) -> None:
    check_read_post(user, post)
    if not can_delete_post(user, post):
        raise PermissionDenied


def can_flag(user, item, *, readable: bool) -> bool:
    """Report content one can read and did not write."""
    return readable and item.author_id != user.pk and item.deleted_at is None


def check_flag_post(user, post: Post) -> None:
    check_read_post(user, post)
    if not can_flag(user, post, readable=True):
        raise PermissionDenied


# --- Blog ---------------------------------------------------------------------------------
# The community blog is for SIC staff: youth panellists have their own youth area.

def can_read_blog(user) -> bool:
    return is_member(user) and not user.is_youth_panellist


def check_read_blog(user) -> None:
    if not can_read_blog(user):
        raise Http404


def can_write_blog(user) -> bool:
    return can_read_blog(user)


def can_moderate_blog(user) -> bool:
    return is_network_moderator(user)


def can_read_blog_post(user, blog_post: BlogPost) -> bool:
    if not can_read_blog(user):
        return False
    if _is_published(blog_post):
        return True
    if blog_post.deleted_at is not None:
        return can_moderate_blog(user)
    return _is_own_unpublished(user, blog_post) or can_moderate_blog(user)


def check_read_blog_post(user, blog_post: BlogPost) -> None:
    if not can_read_blog_post(user, blog_post):
        raise Http404


def can_edit_blog_post(user, blog_post: BlogPost) -> bool:
    if blog_post.deleted_at is not None or not can_read_blog_post(user, blog_post):
        return False
    if can_moderate_blog(user):
        return True
    return blog_post.author_id == user.pk and blog_post.moderation_state != "hidden"


def check_edit_blog_post(user, blog_post: BlogPost) -> None:
    check_read_blog_post(user, blog_post)
    if not can_edit_blog_post(user, blog_post):
        raise PermissionDenied


def can_delete_blog_post(user, blog_post: BlogPost) -> bool:
    """Authors their own article in any moderation state, moderators any."""
    if blog_post.deleted_at is not None or not can_read_blog_post(user, blog_post):
        return False
    return blog_post.author_id == user.pk or can_moderate_blog(user)


def check_delete_blog_post(user, blog_post: BlogPost) -> None:
    check_read_blog_post(user, blog_post)
    if not can_delete_blog_post(user, blog_post):
        raise PermissionDenied


def can_comment(user, blog_post: BlogPost) -> bool:
    return can_read_blog_post(user, blog_post) and _is_published(blog_post)


def check_comment(user, blog_post: BlogPost) -> None:
    check_read_blog_post(user, blog_post)
    if not can_comment(user, blog_post):
        raise PermissionDenied


def can_read_comment(user, comment: BlogComment) -> bool:
    if not can_read_blog_post(user, comment.blog_post):
        return False
    if comment.moderation_state == "approved":
        return True
    return _is_own_unpublished(user, comment) or can_moderate_blog(user)


def check_read_comment(user, comment: BlogComment) -> None:
    if not can_read_comment(user, comment):
        raise Http404


def can_edit_comment(user, comment: BlogComment) -> bool:
    if comment.deleted_at is not None or not can_read_comment(user, comment):
        return False
    if can_moderate_blog(user):
        return True
    return comment.author_id == user.pk and comment.moderation_state != "hidden"


def can_delete_comment(user, comment: BlogComment) -> bool:
    """Authors their own comment in any moderation state, moderators any."""
    if comment.deleted_at is not None or not can_read_comment(user, comment):
        return False
    return comment.author_id == user.pk or can_moderate_blog(user)


def check_delete_comment(user, comment: BlogComment) -> None:
    check_read_comment(user, comment)
    if not can_delete_comment(user, comment):
        raise PermissionDenied


def check_edit_comment(user, comment: BlogComment) -> None:
    check_read_comment(user, comment)
    if not can_edit_comment(user, comment):
        raise PermissionDenied
