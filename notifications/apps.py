from django.apps import AppConfig


def _close_sockets(sender, request=None, user=None, **kwargs):
    from .events import disconnect_user

    if user is not None and getattr(user, "pk", None):
        disconnect_user(user.pk)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Signing out or changing the password ends the live connection too: the browser
        # reconnects and is authenticated afresh, so ended sessions stay out. Suspension is
        # wired by community.services, which calls events.disconnect_user itself.
        from allauth.account.signals import password_changed, password_reset, password_set
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_close_sockets, dispatch_uid="notifications.close_on_logout")
        password_changed.connect(_close_sockets, dispatch_uid="notifications.close_on_password_change")
        password_set.connect(_close_sockets, dispatch_uid="notifications.close_on_password_set")
        password_reset.connect(_close_sockets, dispatch_uid="notifications.close_on_password_reset")
