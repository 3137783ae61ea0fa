"""This app's part of erasing a member (community.erasure): registered in ForumsConfig.ready().

An adult's topics, posts, articles and comments stay and are shown as "Former member" (the user
row is anonymised by community); a minor's are deleted, a topic they started with everything in
it. Either way what is theirs alone goes: drafts, read positions, tracking choices, and the
name kept in the edit history of posts they edited.
"""

from community.erasure import FORMER_MEMBER_NAME
from moderation.services import withdraw_items_for

from . import services
from .models import (
    BlogComment,
    BlogPost,
    BlogSubscription,
    Draft,
    ForumReadMark,
    ForumSubscription,
    Post,
    PostRevision,
    Topic,
    TopicReadState,
    TopicSubscription,
)


def erase_forums_data(user, *, delete_content: bool) -> None:
    Draft.objects.filter(user=user).delete()
    TopicReadState.objects.filter(user=user).delete()
    ForumReadMark.objects.filter(user=user).delete()
    TopicSubscription.objects.filter(user=user).delete()
    ForumSubscription.objects.filter(user=user).delete()
    BlogSubscription.objects.filter(user=user).delete()
    PostRevision.objects.filter(edited_by=user).update(edited_by_name=FORMER_MEMBER_NAME)
    if delete_content:
        _delete_content_of(user)


def _delete_content_of(user) -> None:
    topics = list(Topic.all_objects.filter(author=user).select_related("forum"))
    posts = list(Post.all_objects.filter(author=user).exclude(topic__in=topics).select_related("topic__forum"))
    blog_posts = list(BlogPost.all_objects.filter(author=user))
    comments = list(BlogComment.all_objects.filter(author=user).exclude(blog_post__in=blog_posts)
                    .select_related("blog_post"))
    for item in [*topics, *Post.all_objects.filter(topic__in=topics), *posts, *blog_posts, *comments]:
        withdraw_items_for(item)
    for blog_post in blog_posts:
        if blog_post.cover_image:
            blog_post.cover_image.delete(save=False)
    Topic.all_objects.filter(pk__in=[topic.pk for topic in topics]).delete()
    Post.all_objects.filter(pk__in=[post.pk for post in posts]).delete()
    BlogPost.all_objects.filter(pk__in=[blog_post.pk for blog_post in blog_posts]).delete()
    BlogComment.all_objects.filter(pk__in=[comment.pk for comment in comments]).delete()
    # What everyone else sees counted (replies, last poster, forum totals) follows.
    for topic in {post.topic for post in posts}:
        services._refresh_topic_stats(topic)
    for forum in {topic.forum for topic in topics}:
        services._refresh_forum_stats(forum)
    for blog_post in {comment.blog_post for comment in comments}:
        services._refresh_comment_count(blog_post)
