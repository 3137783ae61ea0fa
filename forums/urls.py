from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.index, name="index"),
    path("topics/", views.topic_list, name="topics"),
    path("mark-read/", views.mark_read, name="mark_read"),
    path("search/", views.search, name="search"),
    path("drafts/", views.draft_save, name="draft_save"),
    path("f/<slug:slug>/", views.forum_detail, name="forum"),
    path("f/<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("f/<slug:slug>/tracking/", views.forum_tracking, name="forum_tracking"),
    path("t/<int:topic_id>/", views.topic_detail, name="topic"),
    path("t/<int:topic_id>/unread/", views.topic_first_unread, name="topic_unread"),
    path("t/<int:topic_id>/reply/", views.topic_reply, name="topic_reply"),
    path("t/<int:topic_id>/tracking/", views.topic_tracking, name="topic_tracking"),
    path("t/<int:topic_id>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("t/<int:topic_id>/move/", views.topic_move, name="topic_move"),
    path("p/<int:post_id>/", views.post_permalink, name="post"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/restore/", views.post_restore, name="post_restore"),
    path("p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("p/<int:post_id>/flag/", views.post_flag, name="post_flag"),
    path("blog/", views.blog_list, name="blog"),
    path("blog/new/", views.blog_create, name="blog_create"),
    path("blog/<int:blog_post_id>/", views.blog_detail, name="blog_post"),
    path("blog/<int:blog_post_id>/edit/", views.blog_edit, name="blog_edit"),
    path("blog/<int:blog_post_id>/delete/", views.blog_delete, name="blog_delete"),
    path("blog/<int:blog_post_id>/cover/", views.blog_cover, name="blog_cover"),
    path("blog/<int:blog_post_id>/comment/", views.blog_comment, name="blog_comment"),
    path("blog/<int:blog_post_id>/tracking/", views.blog_tracking, name="blog_tracking"),
    path("blog/<int:blog_post_id>/flag/", views.blog_flag, name="blog_flag"),
    path("blog/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("blog/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("blog/comments/<int:comment_id>/flag/", views.comment_flag, name="comment_flag"),
]
