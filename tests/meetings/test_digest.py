"""The weekly digest's meetings sections: each member gets their own meetings and deadlines only."""

from datetime import datetime, timedelta

import pytest

from meetings import services
from meetings.models import MeetingRecord, NetworkDate
from notifications.digest import build_digest

from .conftest import BRUSSELS, make_meeting

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=BRUSSELS)  # a Monday morning


def _sections(user):
    sections, _waiting = build_digest(user, now=NOW)
    return {section.key: section for section in sections}


def _titles(section):
    return [item.title for item in section.items] if section else []


def _record(meeting, coordinator, *, publish):
    record = services.save_record(actor=coordinator, record=MeetingRecord(meeting=meeting, report_source="Notes"))
    if publish:
        services.publish_record(actor=coordinator, record=record)
    return record


@pytest.fixture
def week(member, awareness_member, youth_coordinator, network_coordinator, helpline_series, youth_series):
    friday = datetime(2026, 11, 27, 11, 0, tzinfo=BRUSSELS)
    make_meeting(helpline_series, actor=network_coordinator, starts_at=friday, title="Helpline EW 27 Nov")
    make_meeting(helpline_series, actor=network_coordinator, starts_at=friday + timedelta(weeks=2),
                 title="Helpline EW in three weeks")
    cancelled = make_meeting(helpline_series, actor=network_coordinator, starts_at=friday - timedelta(days=1),
                             title="Cancelled helpline meeting")
    services.cancel_meeting(actor=network_coordinator, meeting=cancelled)
    make_meeting(youth_series, actor=network_coordinator, starts_at=friday, title="Youth coordinators 27 Nov")

    for days, title in [(4, "Annual report deadline"), (20, "Far deadline")]:
        services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
            kind=NetworkDate.Kind.DEADLINE, title=title, date=NOW.date() + timedelta(days=days)))
    services.set_upload_window(actor=network_coordinator, is_open=True, closes_on=NOW.date() + timedelta(days=5))
    services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
        kind=NetworkDate.Kind.IMPORTANT_DATE, title="Safer Internet Day", date=NOW.date() + timedelta(days=2)))

    past = make_meeting(helpline_series, actor=network_coordinator, starts_at=NOW - timedelta(days=7),
                        title="Last helpline EW")
    published = _record(past, network_coordinator, publish=True)
    draft_meeting = make_meeting(helpline_series, actor=network_coordinator,
                                 starts_at=NOW - timedelta(days=14), title="Older helpline EW")
    draft = _record(draft_meeting, network_coordinator, publish=False)
    soon = NOW.date() + timedelta(days=3)
    services.add_action_item(actor=network_coordinator, record=published, description="Send the leaflet figures",
                             owner=member, due_on=soon)
    services.add_action_item(actor=network_coordinator, record=published, description="Late translation",
                             owner=member, due_on=NOW.date() - timedelta(days=2))
    services.add_action_item(actor=network_coordinator, record=published, description="Due next month",
                             owner=member, due_on=NOW.date() + timedelta(days=30))
    services.add_action_item(actor=network_coordinator, record=published, description="Someone else's action",
                             owner=awareness_member, due_on=soon)
    services.add_action_item(actor=network_coordinator, record=draft, description="Action in an unpublished record",
                             owner=member, due_on=soon)
    done = services.add_action_item(actor=network_coordinator, record=published, description="Already done",
                                    owner=member, due_on=soon)
    services.set_action_item_done(actor=member, item=done, done=True)


@pytest.mark.django_db
def test_a_helpline_member_gets_their_meetings_in_their_own_time_and_their_deadlines(member, week):
    services.set_time_zone(user=member, time_zone="America/New_York")

    sections = _sections(member)

    upcoming = sections["meetings_upcoming"]
    assert upcoming.title == "Upcoming meetings"
    assert _titles(upcoming) == ["Helpline EW 27 Nov"]
    assert upcoming.items[0].detail == ("Friday 27 November 2026, 11:00–12:00 CET "
                                        "(your time: Friday 27 November 2026, 05:00–06:00 EST)")
    assert upcoming.items[0].url.startswith("http")

    deadlines = sections["meetings_deadlines"]
    assert deadlines.title == "Approaching deadlines"
    assert _titles(deadlines) == ["Annual report deadline", "Case study uploads close",
                                  "Share emerging issues for Helpline EW 27 Nov",
                                  "Late translation", "Send the leaflet figures"]
    details = [item.detail for item in deadlines.items]
    assert details[0] == "Friday 27 November 2026"
    assert details[1] == "Last day: Saturday 28 November 2026"
    assert details[2].startswith("Before the meeting: Friday 27 November 2026, 11:00–12:00 CET")
    assert details[3] == "Overdue since Saturday 21 November 2026 · Last helpline EW"
    assert details[4] == "Due Thursday 26 November 2026 · Last helpline EW"


@pytest.mark.django_db
def test_another_audience_gets_none_of_the_helpline_items(awareness_member, youth_coordinator, week):
    awareness = _sections(awareness_member)
    assert "meetings_upcoming" not in awareness
    # The network's deadlines are everyone's; case studies are for helpline staff; the action
    # given to them sits in a helpline record they cannot open, so it is not listed either.
    assert _titles(awareness.get("meetings_deadlines")) == ["Annual report deadline"]

    youth = _sections(youth_coordinator)
    assert _titles(youth["meetings_upcoming"]) == ["Youth coordinators 27 Nov"]
    # Youth coordinators' meetings are not early-warning meetings: no call for emerging issues.
    assert _titles(youth["meetings_deadlines"]) == ["Annual report deadline"]


@pytest.mark.django_db
def test_a_series_organiser_sees_their_action_in_a_draft_record(member, network_coordinator, helpline_series, week):
    services.add_organiser(actor=network_coordinator, series=helpline_series, person=member)

    titles = _titles(_sections(member)["meetings_deadlines"])

    assert "Action in an unpublished record" in titles
