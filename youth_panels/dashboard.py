"""The youth area's panel on the home dashboard, registered in apps.py."""

from community.dashboard import DashboardPanel

from . import permissions, selectors


def _youth_spaces(request):
    user = request.user
    access = permissions.youth_access(user)
    if not access.visible and not access.is_pending_panellist and not access.awaits_authorisation:
        return None
    spaces = list(selectors.spaces_for(user=user))
    coordinated = [space for space in spaces if space.pk in access.coordinated and not space.is_european]
    waiting = {
        space.pk: selectors.pending_items_for(panel=space).count() for space in coordinated[:5]
    }
    return {
        "spaces": spaces[:6],
        "coordinated": [(space, waiting[space.pk]) for space in coordinated[:5]],
        "is_pending_panellist": access.is_pending_panellist,
        "awaits_authorisation": access.awaits_authorisation,
    }


PANELS = [
    DashboardPanel(key="youth_spaces", template_name="youth_panels/panels/spaces.html",
                   get_context=_youth_spaces, order=15),
]
