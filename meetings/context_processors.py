def navigation(request):
    """Whether the header offers "Case studies": only to those who may browse them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_approved_member:
        return {}
    from . import permissions

    return {"nav_can_browse_case_studies": permissions.can_browse_case_studies(user)}
