from django.utils.functional import SimpleLazyObject


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
        from .registry import moderates_any_space

        return moderates_any_space(user)

    return {"moderation_pending_count": SimpleLazyObject(count), "moderation_link_shown": SimpleLazyObject(link_shown)}
