from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("feed/", views.notification_feed, name="feed"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("mark-all-read/", views.notification_mark_all_read, name="mark_all_read"),
    # Reachable signed out (see community.middleware.PUBLIC_PREFIXES): mail clients post here.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
