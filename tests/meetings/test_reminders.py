"""Reminders a day and an hour before: sent once, however often the command runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetings import services
from notifications.models import Notification

from .conftest import make_meeting


def _reminders():
    return Notification.objects.filter(kind="meeting_reminder")


def _day_title(meeting):
    start = meeting.local_start
    return f"Coming up on {date_format(start, 'D j M')}, {start:%H:%M %Z}: {meeting.title}"


def _hour_title(meeting):
    return f"Starting at {meeting.local_start:%H:%M %Z}: {meeting.title}"


@pytest.mark.django_db
def test_running_the_reminder_command_twice_sends_each_reminder_once(member, awareness_member, network_coordinator,
                                                                     helpline_series):
    now = timezone.now()
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=now + timedelta(hours=20))

    call_command("send_meeting_reminders")
    call_command("send_meeting_reminders")
    day = _reminders().filter(recipient=member)
    assert day.count() == 1
    assert day.get().title == _day_title(meeting)
    assert not _reminders().filter(recipient=awareness_member).exists()

    # 19 hours later the hour reminder is due, once.
    assert services.send_due_reminders(now=now + timedelta(hours=19, minutes=10)) == 1
    assert services.send_due_reminders(now=now + timedelta(hours=19, minutes=15)) == 0
    titles = sorted(_reminders().filter(recipient=member).values_list("title", flat=True))
    assert titles == sorted([_hour_title(meeting), _day_title(meeting)])


@pytest.mark.django_db
def test_a_meeting_created_at_short_notice_gets_one_reminder_not_two(member, network_coordinator, helpline_series):
    make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() + timedelta(minutes=30))
    services.send_due_reminders()
    services.send_due_reminders()
    assert _reminders().filter(recipient=member).count() == 1


@pytest.mark.django_db
def test_people_who_said_they_will_not_attend_and_cancelled_meetings_get_no_reminder(
        member, org_admin, network_coordinator, helpline_series):
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() + timedelta(hours=5))
    services.respond_to_meeting(actor=member, meeting=meeting, response="not_attending")
    cancelled = make_meeting(helpline_series, actor=network_coordinator, title="Cancelled one",
                             starts_at=timezone.now() + timedelta(hours=6))
    services.cancel_meeting(actor=network_coordinator, meeting=cancelled)
    services.send_due_reminders()
    assert not _reminders().filter(recipient=member).exists()
    assert list(_reminders().filter(recipient=org_admin).values_list("title", flat=True)) == [_day_title(meeting)]


@pytest.mark.django_db
def test_moving_a_meeting_to_a_new_time_sends_fresh_reminders(member, network_coordinator, helpline_series):
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() + timedelta(hours=10))
    services.send_due_reminders()
    meeting.starts_at += timedelta(hours=2)
    meeting.ends_at += timedelta(hours=2)
    services.save_meeting(actor=network_coordinator, meeting=meeting)
    services.send_due_reminders()
    assert _reminders().filter(recipient=member).count() == 2


@pytest.mark.django_db
def test_the_reminder_names_the_organisers_time_not_tomorrow_for_a_meeting_later_today(
        member, network_coordinator, helpline_series):
    brussels = ZoneInfo("Europe/Brussels")
    now = datetime(2026, 3, 10, 8, 0, tzinfo=brussels)
    meeting = make_meeting(helpline_series, actor=network_coordinator,
                           starts_at=datetime(2026, 3, 10, 14, 0, tzinfo=brussels))
    services.send_due_reminders(now=now)
    services.send_due_reminders(now=now + timedelta(hours=5, minutes=30))
    titles = sorted(_reminders().filter(recipient=member).values_list("title", flat=True))
    assert titles == [f"Coming up on Tue 10 Mar, 14:00 CET: {meeting.title}",
                      f"Starting at 14:00 CET: {meeting.title}"]


@pytest.mark.django_db
def test_reminders_are_emailed_by_default_and_listed_on_the_preferences_page(
        client_for, member, network_coordinator, helpline_series, mailoutbox, django_capture_on_commit_callbacks):
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()
    assert any(meeting.title in message.subject and member.email in message.to for message in mailoutbox)
    preferences = client_for(member).get(reverse("notifications:preferences")).content.decode()
    assert "Reminders of your meetings, a day and an hour before" in preferences
