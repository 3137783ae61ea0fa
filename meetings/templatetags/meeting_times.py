"""Meeting times as people need them: the organiser's wall-clock time with its zone
("Friday 27 November 2026, 11:00–12:00 CET") and, when different, the viewer's own."""

import zoneinfo

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _span(start, end) -> str:
    day = date_format(start, "l j F Y")
    end_text = end.strftime("%H:%M")
    if end.date() != start.date():
        end_text = date_format(end, "j F") + " " + end_text
    return f"{day}, {start:%H:%M}–{end_text} {start.strftime('%Z')}"


def _spans(meeting, viewer_tz) -> tuple[str, str | None]:
    """The meeting's time in its organiser's zone, and in the viewer's when that reads differently."""
    organiser_zone = zoneinfo.ZoneInfo(meeting.time_zone)
    start, end = meeting.starts_at.astimezone(organiser_zone), meeting.ends_at.astimezone(organiser_zone)
    if not viewer_tz or viewer_tz == meeting.time_zone:
        return _span(start, end), None
    viewer_zone = zoneinfo.ZoneInfo(viewer_tz)
    own_start, own_end = meeting.starts_at.astimezone(viewer_zone), meeting.ends_at.astimezone(viewer_zone)
    if own_start.utcoffset() == start.utcoffset() and own_start.strftime("%Z") == start.strftime("%Z"):
        return _span(start, end), None
    return _span(start, end), _span(own_start, own_end)


@register.simple_tag
def meeting_when(meeting, viewer_tz=None):
    organiser, own = _spans(meeting, viewer_tz)
    main = format_html('<time datetime="{}">{}</time>', meeting.starts_at.isoformat(), organiser)
    if own is None:
        return main
    return format_html('{} <span class="muted">({} {})</span>', main, _("your time:"), own)


def meeting_when_text(meeting, viewer_tz=None) -> str:
    """The same as `meeting_when`, as plain text (emails)."""
    organiser, own = _spans(meeting, viewer_tz)
    return organiser if own is None else f"{organiser} ({_('your time:')} {own})"


@register.simple_tag
def meeting_short_time(meeting):
    """'Fri 27 Nov, 11:00 CET' for lists."""
    start = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone))
    return format_html('<time datetime="{}">{}, {} {}</time>', meeting.starts_at.isoformat(),
                       date_format(start, "D j M Y"), start.strftime("%H:%M"), start.strftime("%Z"))
