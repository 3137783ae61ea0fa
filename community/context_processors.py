from django.conf import settings

from . import permissions

# The main menu's sections by path prefix, the more specific first: case studies live under
# /meetings/ but have their own menu entry.
_MENU_SECTIONS = [("/meetings/case-studies/", "case_studies"), ("/meetings/", "meetings"), ("/forums/", "forums"),
                  ("/youth/", "youth"), ("/members/", "members")]


def _menu_section(path: str) -> str:
    return next((section for prefix, section in _MENU_SECTIONS if path.startswith(prefix)), "")


def navigation(request):
    """Header data for approved members: the bell's unread count and the admin links they need."""
    user = getattr(request, "user", None)
    context = {"site_name": settings.SITE_NAME}
    if user is not None and user.is_authenticated and user.is_approved_member:
        from notifications.selectors import unread_count_for

        context["unread_notification_count"] = unread_count_for(user=user)
        context["nav_is_member"] = True
        context["nav_section"] = _menu_section(request.path)
        context["nav_can_invite"] = permissions.can_invite(user)
        context["nav_decides_memberships"] = permissions.decides_memberships(user)
    return context
