"""Dashboard panels of the meetings app, registered with community.dashboard in apps.py."""

from community.dashboard import DashboardPanel

from . import selectors
from .models import NetworkDate


def _upcoming_meetings(request):
    user = request.user
    return {"meetings": list(selectors.upcoming_meetings(user=user)[:5]),
            "viewer_tz": selectors.viewer_time_zone(user)}


def _approaching_deadlines(request):
    return {"dates": list(selectors.upcoming_dates(kind=NetworkDate.Kind.DEADLINE,
                                                   within_days=selectors.APPROACHING_DEADLINE_DAYS)[:5])}


def _important_dates(request):
    return {"dates": list(selectors.upcoming_dates(kind=NetworkDate.Kind.IMPORTANT_DATE)[:5])}


PANELS = [
    DashboardPanel(key="meetings_upcoming", template_name="meetings/panels/upcoming_meetings.html",
                   get_context=_upcoming_meetings, order=20),
    DashboardPanel(key="meetings_deadlines", template_name="meetings/panels/approaching_deadlines.html",
                   get_context=_approaching_deadlines, order=21),
    DashboardPanel(key="meetings_important_dates", template_name="meetings/panels/important_dates.html",
                   get_context=_important_dates, order=22),
]
