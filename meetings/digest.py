"""Sections of the weekly digest (notifications.digest), registered in apps.py.

Each collector looks at the week after the digest is built and returns only what the member may
see: meetings through the series' audience, action items through the records they may read."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.digest import DigestItem

from . import permissions, selectors
from .models import ActionItem, CaseStudyUploadWindow, Meeting, MeetingSeries, NetworkDate
from .templatetags.meeting_times import meeting_when_text

LOOK_AHEAD = timedelta(weeks=1)


def _coming_meetings(user, *, until):
    return (permissions.meetings_visible_to(user)
            .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=until, starts_at__lt=until + LOOK_AHEAD)
            .select_related("series").order_by("starts_at"))


def upcoming_meetings(user, *, since, until) -> list[DigestItem]:
    viewer_tz = selectors.viewer_time_zone(user)
    return [DigestItem(title=meeting.title, url=reverse("meetings:meeting_detail", args=[meeting.pk]),
                       detail=meeting_when_text(meeting, viewer_tz))
            for meeting in _coming_meetings(user, until=until)]


def approaching_deadlines(user, *, since, until) -> list[DigestItem]:
    if not user.is_approved_member:
        return []
    today = timezone.localdate(until)
    last_day = timezone.localdate(until + LOOK_AHEAD)
    items = []
    for network_date in NetworkDate.objects.filter(kind=NetworkDate.Kind.DEADLINE,
                                                   date__range=(today, last_day)).order_by("date"):
        items.append(DigestItem(title=network_date.title, url=network_date.url or reverse("meetings:index"),
                                detail=date_format(network_date.date, "l j F Y")))

    window = CaseStudyUploadWindow.objects.filter(is_open=True, closes_on__range=(today, last_day)).first()
    if window is not None and permissions.can_submit_case_study(user):
        items.append(DigestItem(title=_("Case study uploads close"), url=reverse("meetings:case_study_new"),
                                detail=_("Last day: %(date)s") % {"date": date_format(window.closes_on, "l j F Y")}))

    viewer_tz = selectors.viewer_time_zone(user)
    # Emerging issues are gathered for the early-warning meetings; other meetings list them rarely.
    for meeting in _coming_meetings(user, until=until).filter(series__kind=MeetingSeries.Kind.EARLY_WARNING):
        items.append(DigestItem(
            title=_("Share emerging issues for %(meeting)s") % {"meeting": meeting.title},
            url=reverse("meetings:emerging_issue_new", args=[meeting.pk]),
            detail=_("Before the meeting: %(when)s") % {"when": meeting_when_text(meeting, viewer_tz)},
        ))

    readable_records = (Q(record__published_at__isnull=False)
                        | Q(record__meeting__series__in=permissions.series_managed_by(user)))
    actions = (ActionItem.objects.filter(owner=user, done_at__isnull=True, due_on__lte=last_day)
               .filter(record__meeting__series__in=permissions.series_visible_to(user))
               .filter(readable_records).select_related("record__meeting").order_by("due_on", "pk"))
    for action in actions:
        overdue = action.due_on < today
        due = date_format(action.due_on, "l j F Y")
        items.append(DigestItem(
            title=action.description,
            url=reverse("meetings:record_detail", args=[action.record.meeting_id]),
            detail=(_("Overdue since %(date)s") if overdue else _("Due %(date)s")) % {"date": due}
            + " · " + action.record.meeting.title,
        ))
    return items
