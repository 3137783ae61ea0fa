"""Demo content for the meetings app; community's seed_demo calls load_demo() after its people exist.

Idempotent: series, meetings and dates are looked up by title before anything is created.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from community.markup import render_markdown
from community.models import Role, Service, User

from . import services
from .models import (
    CaseStudyUploadWindow,
    EmergingIssue,
    Meeting,
    MeetingRecord,
    MeetingSeries,
    NetworkDate,
    Topic,
)

COORDINATOR_EMAIL = "coordinator@demo.sic.community"
HELPLINE_EMAIL = "helpline@demo.sic.community"
AWARENESS_EMAIL = "awareness@demo.sic.community"


def _next_safer_internet_day(today: date) -> date:
    """Safer Internet Day is the second Tuesday of February."""
    for year in (today.year, today.year + 1):
        first = date(year, 2, 1)
        second_tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        if second_tuesday >= today:
            return second_tuesday
    raise AssertionError("unreachable")


@transaction.atomic
def load_demo() -> None:
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    helpline_member = User.objects.filter(email=HELPLINE_EMAIL).first()
    if coordinator is None or helpline_member is None:
        return
    today = timezone.localdate()

    helpline_series = _series(
        coordinator, title="Helpline early-warning meeting", weekday=MeetingSeries.Weekday.FRIDAY,
        local_time=time(11, 0), services_codes=[Service.HELPLINE],
        description="Helplines share what they are seeing in their contacts. All colleagues are welcome.",
        join_url="https://meet.example.org/helpline-early-warning",
    )
    awareness_series = _series(
        coordinator, title="Awareness early-warning meeting", weekday=MeetingSeries.Weekday.WEDNESDAY,
        local_time=time(14, 0), services_codes=[Service.AWARENESS],
        description="Awareness centres compare notes on trends, campaigns and resources.",
        join_url="https://meet.example.org/awareness-early-warning",
    )
    for series in (helpline_series, awareness_series):
        if not series.meetings.filter(starts_at__gte=timezone.now()).exists():
            services.schedule_meetings(actor=coordinator, series=series, first_date=today, count=4)

    _past_meeting_with_record(coordinator, helpline_member, helpline_series, today)

    for kind, title, when, description in [
        (NetworkDate.Kind.IMPORTANT_DATE, "Safer Internet Day", _next_safer_internet_day(today),
         "Together for a better internet: campaigns across the network."),
        (NetworkDate.Kind.DEADLINE, "Quarterly helpline contact data", today + timedelta(days=12),
         "Send the contact statistics of the last quarter to the coordination team."),
        (NetworkDate.Kind.DEADLINE, "Resource competition entries", today + timedelta(days=40),
         "Submit one awareness resource per SIC."),
        (NetworkDate.Kind.IMPORTANT_DATE, "Helpline training meeting", today + timedelta(days=21),
         "Online training on handling sextortion contacts."),
    ]:
        NetworkDate.objects.get_or_create(title=title, defaults={"kind": kind, "date": when,
                                                                  "description": description,
                                                                  "created_by": coordinator})
    window, _created = CaseStudyUploadWindow.objects.get_or_create(pk=1)
    if not window.is_open:
        services.set_upload_window(actor=coordinator, is_open=True)


def _series(coordinator, *, title, weekday, local_time, services_codes, description, join_url) -> MeetingSeries:
    existing = MeetingSeries.objects.filter(title=title).first()
    if existing is not None:
        return existing
    series = MeetingSeries(title=title, kind=MeetingSeries.Kind.EARLY_WARNING, description=description,
                           owner=coordinator, weekday=weekday, local_time=local_time, duration_minutes=60,
                           time_zone="Europe/Brussels", default_join_url=join_url)
    return services.save_series(actor=coordinator, series=series, audience_roles=[Role.NETWORK_COORDINATOR],
                                audience_services=Service.objects.filter(code__in=services_codes))


def _past_meeting_with_record(coordinator, helpline_member, series, today) -> None:
    title = "Helpline early-warning meeting (demo record)"
    if Meeting.objects.filter(series=series, title=title).exists():
        return
    last_friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
    starts_at = services.aware_in_zone(datetime.combine(last_friday, time(11, 0)), series.time_zone)
    meeting = services.save_meeting(actor=coordinator, meeting=Meeting(
        series=series, title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
        time_zone=series.time_zone, join_url=series.default_join_url,
        agenda_source="1. Round of countries\n2. Emerging issues\n3. Any other business",
    ))
    issue = EmergingIssue(
        title="Sextortion scripts moving to gaming voice chat", country=helpline_member.approved_membership
        .organisation.country, platforms="Gaming voice chat, private messaging",
        description_source="Several contacts this month describe the same script, starting in game chats.",
        created_at=starts_at - timedelta(days=2),
    )
    # Submitted before the meeting; the service would refuse a past meeting, so this is demo-only.
    issue.meeting = meeting
    issue.author = helpline_member
    issue.author_name = str(helpline_member)
    issue.description_html = render_markdown(issue.description_source)
    issue.agenda_position = 1
    issue.save()
    issue.topics.set(Topic.objects.filter(slug__in=["sextortion", "gaming"]))
    # Earlier quarters, so the trends page has something to show.
    for weeks_ago, title, slugs in [
        (10, "Deepfake nude images shared in class groups", ["deepfakes", "cyberbullying"]),
        (16, "Sextortion via fake modelling agencies", ["sextortion"]),
        (22, "Age checks bypassed on a video app", ["age-assurance"]),
        (28, "Grooming through in-game gifts", ["grooming", "gaming"]),
        (34, "Sextortion after video calls", ["sextortion"]),
    ]:
        earlier = EmergingIssue(meeting=meeting, author=helpline_member, author_name=str(helpline_member),
                                title=title, description_source=title + ".", description_html=render_markdown(title + "."),
                                country=issue.country, created_at=starts_at - timedelta(weeks=weeks_ago))
        earlier.save()
        earlier.topics.set(Topic.objects.filter(slug__in=slugs))
    record = MeetingRecord.objects.create(meeting=meeting)
    record.report_source = ("## Summary\n\nEight helplines joined. Sextortion contacts keep rising; several "
                            "countries see scripts moving from games to messaging apps.")
    record.recording_url = "https://video.example.org/recordings/helpline-early-warning"
    record.recording_available_until = today + timedelta(days=30)
    services.save_record(actor=coordinator, record=record, attendees=[coordinator, helpline_member],
                         emerging_issues=[issue])
    services.add_action_item(actor=coordinator, record=record, description="Share the sextortion advice leaflet",
                             owner=helpline_member, due_on=today + timedelta(days=14))
    services.publish_record(actor=coordinator, record=record)
