import time

from django.utils.functional import SimpleLazyObject

_LINK_SHOWN_SESSION_KEY = "moderation_link_shown"
_LINK_SHOWN_SECONDS = 300


def pending_moderation(request):
    """For the header: `moderation_link_shown` (the viewer moderates some space) and
    `moderation_pending_count`; both computed only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .selectors import pending_count_for

        return pending_count_for(user)

    def link_shown():
        # Asking every space costs queries on every page for everyone; the answer changes
        # only when someone is appointed, so the session remembers it for a few minutes.
        from .registry import moderates_any_space

        session = getattr(request, "session", None)
        if session is None:
            return moderates_any_space(user)
        now = int(time.time())
        remembered = session.get(_LINK_SHOWN_SESSION_KEY)
        if remembered and remembered.get("user") == user.pk and now - remembered.get("at", 0) < _LINK_SHOWN_SECONDS:
            return remembered["shown"]
        shown = moderates_any_space(user)
        session[_LINK_SHOWN_SESSION_KEY] = {"user": user.pk, "shown": shown, "at": now}
        return shown

    return {"moderation_pending_count": SimpleLazyObject(count), "moderation_link_shown": SimpleLazyObject(link_shown)}
