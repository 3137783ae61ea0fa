from django.urls import path

from . import views

app_name = "youth_panels"
urlpatterns = [
    path("", views.index, name="index"),
    path("follow/", views.follow, name="follow"),
    path("search/", views.search, name="search"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/image/", views.post_image, name="post_image"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/promote/", views.post_promote, name="post_promote"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("resources/<int:resource_id>/", views.resource_action, name="resource_action"),
    path("resources/<int:resource_id>/file/", views.resource_file, name="resource_file"),
    path("invitations/<int:membership_id>/", views.invitation_action, name="invitation_action"),
    path("birth-years/<int:change_id>/", views.birth_year_check, name="birth_year_check"),
    path("<slug:slug>/", views.space, name="space"),
    path("<slug:slug>/new/", views.post_new, name="post_new"),
    path("<slug:slug>/resources/new/", views.resource_new, name="resource_new"),
    path("<slug:slug>/coordinate/", views.dashboard, name="dashboard"),
    path("<slug:slug>/coordinate/members/<int:user_id>/remove/", views.member_remove, name="member_remove"),
]
