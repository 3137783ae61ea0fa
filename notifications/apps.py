from django.apps import AppConfig


def _close_sockets(sender, request=None, user=None, **kwargs):
    from .events import disconnect_user

    if user is not None and getattr(user, "pk", None):
        disconnect_user(user.pk)


def _close_sockets_of_ended_session(sender, instance, **kwargs):
    # "End my other sessions" (allauth.usersessions), suspension and erasure end sessions one
    # by one: the user's sockets reconnect, and only those of live sessions get back in.
    from .events import disconnect_user

    disconnect_user(instance.user_id)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Signing out or changing the password ends the live connection too: the browser
        # reconnects and is authenticated afresh, so ended sessions stay out. Suspension is
        # wired by community.services, which calls events.disconnect_user itself.
        from allauth.account.signals import password_changed, password_reset, password_set
        from allauth.usersessions.models import UserSession
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete

        user_logged_out.connect(_close_sockets, dispatch_uid="notifications.close_on_logout")
        password_changed.connect(_close_sockets, dispatch_uid="notifications.close_on_password_change")
        password_set.connect(_close_sockets, dispatch_uid="notifications.close_on_password_set")
        password_reset.connect(_close_sockets, dispatch_uid="notifications.close_on_password_reset")
        post_delete.connect(
            _close_sockets_of_ended_session, sender=UserSession, dispatch_uid="notifications.close_on_session_end"
        )
