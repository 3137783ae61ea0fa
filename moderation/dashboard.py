"""The moderation panel on the home dashboard, registered in apps.py: what waits for the
viewer as a moderator, as an author, and as a safeguarding lead."""

from community.dashboard import DashboardPanel

from . import permissions, selectors
from .models import ModerationItem


def _moderation_panel(request):
    user = request.user
    waiting_for_me = selectors.pending_count_for(user)
    my_waiting = ModerationItem.objects.filter(author=user, status=ModerationItem.Status.OPEN).count()
    sanctions = list(selectors.active_sanctions_of(user)[:3])
    open_concerns = (
        selectors.concerns_for(user).exclude(status="closed").count() if permissions.is_safeguarding_lead(user) else 0
    )
    if not (waiting_for_me or my_waiting or sanctions or open_concerns):
        return None
    return {
        "waiting_for_me": waiting_for_me,
        "my_waiting": my_waiting,
        "sanctions": sanctions,
        "open_concerns": open_concerns,
    }


PANELS = [
    DashboardPanel(key="moderation", template_name="moderation/dashboard_panel.html",
                   get_context=_moderation_panel, order=5),
]
