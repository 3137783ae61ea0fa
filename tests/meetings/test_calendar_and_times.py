"""Calendar feeds and .ics files, and times shown in the organiser's and the viewer's zone."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Service
from meetings import services
from meetings.models import Meeting, MeetingSeries
from meetings.templatetags.meeting_times import meeting_when

from .conftest import make_meeting


def _feed_url(raw_token):
    return reverse("meetings:calendar_feed", args=[raw_token])


@pytest.mark.django_db
def test_a_feed_token_shows_only_the_meetings_its_owner_may_see(client, member, awareness_member, helpline_meeting,
                                                                network_coordinator):
    awareness_series = services.save_series(
        actor=network_coordinator, series=MeetingSeries(title="Awareness early-warning meeting"),
        audience_roles=[], audience_services=Service.objects.filter(code="awareness"))
    awareness_meeting = make_meeting(awareness_series, actor=network_coordinator,
                                     join_url="https://meet.example.org/awareness-room")

    member_feed = client.get(_feed_url(services.create_calendar_token(user=member)))
    assert member_feed.status_code == 200
    assert member_feed["Content-Type"].startswith("text/calendar")
    body = member_feed.content.decode()
    assert f"UID:meeting-{helpline_meeting.pk}@" in body
    assert "secret-room" in body
    assert f"UID:meeting-{awareness_meeting.pk}@" not in body
    assert "awareness-room" not in body

    other_feed = client.get(_feed_url(services.create_calendar_token(user=awareness_member))).content.decode()
    assert f"UID:meeting-{awareness_meeting.pk}@" in other_feed
    assert f"UID:meeting-{helpline_meeting.pk}@" not in other_feed
    assert "secret-room" not in other_feed


@pytest.mark.django_db
def test_a_revoked_or_replaced_feed_token_stops_working(client, member, helpline_meeting):
    first = services.create_calendar_token(user=member)
    assert client.get(_feed_url(first)).status_code == 200
    second = services.create_calendar_token(user=member)
    assert client.get(_feed_url(first)).status_code == 404
    assert client.get(_feed_url(second)).status_code == 200
    assert services.revoke_calendar_token(user=member)
    assert client.get(_feed_url(second)).status_code == 404
    assert client.get(_feed_url("not-a-token")).status_code == 404


@pytest.mark.django_db
def test_a_suspended_members_feed_stops_working(client, member, helpline_meeting):
    from django.utils import timezone

    token = services.create_calendar_token(user=member)
    member.suspended_at = timezone.now()
    member.save(update_fields=["suspended_at"])
    assert client.get(_feed_url(token)).status_code == 404


@pytest.mark.django_db
def test_the_calendar_page_shows_a_new_feed_address_once_and_can_stop_it(client_for, member):
    client = client_for(member)
    page = client.post(reverse("meetings:calendar_settings"), {"action": "create_feed"})
    match = re.search(r'/meetings/feed/([\w-]+)\.ics', page.content.decode())
    assert match
    assert client.get(match.group(0)).status_code == 200
    again = client.get(reverse("meetings:calendar_settings")).content.decode()
    assert match.group(1) not in again  # only a hash is stored: never shown twice
    client.post(reverse("meetings:calendar_settings"), {"action": "revoke_feed"})
    assert client.get(match.group(0)).status_code == 404


@pytest.mark.django_db
def test_meeting_ics_is_written_in_utc_for_the_audience(client_for, member, helpline_series, network_coordinator):
    starts = datetime(2026, 11, 27, 11, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=starts)
    response = client_for(member).get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content.decode()
    assert "DTSTART:20261127T100000Z" in body
    assert body.startswith("BEGIN:VCALENDAR\r\n")


@pytest.mark.django_db
def test_scheduled_meetings_stay_at_11_brussels_time_across_the_october_clock_change(helpline_series,
                                                                                      network_coordinator):
    # Fridays 23 and 30 October 2026; Brussels leaves summer time on Sunday 25 October.
    meetings = services.schedule_meetings(actor=network_coordinator, series=helpline_series,
                                          first_date=date(2026, 10, 20), count=2)
    before, after = sorted(meetings, key=lambda m: m.starts_at)
    assert before.starts_at.astimezone(ZoneInfo("UTC")).hour == 9   # 11:00 CEST = 09:00 UTC
    assert after.starts_at.astimezone(ZoneInfo("UTC")).hour == 10   # 11:00 CET = 10:00 UTC
    assert "11:00–12:00 CEST" in meeting_when(before)
    assert "11:00–12:00 CET" in meeting_when(after)
    # Scheduling the same weeks again adds nothing.
    assert services.schedule_meetings(actor=network_coordinator, series=helpline_series,
                                      first_date=date(2026, 10, 20), count=2) == []


@pytest.mark.django_db
def test_the_viewers_own_time_follows_both_zones_daylight_saving_rules(helpline_series, network_coordinator):
    # The USA moves its clocks on 8 March 2026, Europe on 29 March: for three weeks the gap is 5 hours.
    brussels = ZoneInfo("Europe/Brussels")
    march_13 = make_meeting(helpline_series, actor=network_coordinator,
                            starts_at=datetime(2026, 3, 13, 11, 0, tzinfo=brussels))
    april_3 = make_meeting(helpline_series, actor=network_coordinator,
                           starts_at=datetime(2026, 4, 3, 11, 0, tzinfo=brussels))
    february_27 = make_meeting(helpline_series, actor=network_coordinator,
                               starts_at=datetime(2026, 2, 27, 11, 0, tzinfo=brussels))
    assert "11:00–12:00 CET" in meeting_when(march_13, "America/New_York")
    assert "your time: Friday 13 March 2026, 06:00–07:00 EDT" in meeting_when(march_13, "America/New_York")
    assert "your time: Friday 27 February 2026, 05:00–06:00 EST" in meeting_when(february_27, "America/New_York")
    assert "11:00–12:00 CEST" in meeting_when(april_3, "America/New_York")
    assert "05:00–06:00 EDT" in meeting_when(april_3, "America/New_York")
    # Same zone as the organiser: shown once.
    assert "your time" not in meeting_when(april_3, "Europe/Brussels")


@pytest.mark.django_db
def test_the_meeting_page_shows_the_viewers_time_zone_once_chosen(client_for, member, helpline_series,
                                                                  network_coordinator):
    meeting = make_meeting(helpline_series, actor=network_coordinator,
                           starts_at=datetime(2026, 12, 4, 11, 0, tzinfo=ZoneInfo("Europe/Brussels")))
    client = client_for(member)
    client.post(reverse("meetings:calendar_settings"), {"action": "time_zone", "time_zone": "Europe/Athens"})
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "11:00–12:00 CET" in content
    assert "12:00–13:00 EET" in content


@pytest.mark.django_db
def test_a_time_skipped_by_the_spring_clock_change_is_refused(client_for, network_coordinator, helpline_series):
    with pytest.raises(ValidationError):
        services.aware_in_zone(datetime(2026, 3, 29, 2, 30), "Europe/Brussels")
    response = client_for(network_coordinator).post(reverse("meetings:meeting_new", args=[helpline_series.pk]), {
        "title": "Night meeting", "starts_local": "2026-03-29T02:30", "duration_minutes": 60,
        "time_zone": "Europe/Brussels", "join_url": "", "location": "", "agenda_source": "",
    })
    assert response.status_code == 200
    assert "does not exist in Europe/Brussels" in response.content.decode()
    assert 'value="Night meeting"' in response.content.decode()
    assert not Meeting.objects.filter(title="Night meeting").exists()


@pytest.mark.django_db
def test_organisers_create_a_meeting_in_their_own_time_zone(client_for, network_coordinator, helpline_series):
    response = client_for(network_coordinator).post(reverse("meetings:meeting_new", args=[helpline_series.pk]), {
        "title": "Summer meeting", "starts_local": "2026-07-03T11:00", "duration_minutes": 90,
        "time_zone": "Europe/Brussels", "join_url": "https://meet.example.org/x", "location": "",
        "agenda_source": "1. Round table",
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Summer meeting")
    assert meeting.starts_at == datetime(2026, 7, 3, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
