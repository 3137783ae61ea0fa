from django.utils.functional import SimpleLazyObject


def pending_moderation(request):
    """`moderation_pending_count` for the header: computed only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .selectors import pending_count_for

        return pending_count_for(user)

    return {"moderation_pending_count": SimpleLazyObject(count)}
