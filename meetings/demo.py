"""Demo content for the meetings app; community's seed_demo calls load_demo() after its people exist.

Idempotent: series, meetings, case studies and dates are looked up before anything is created.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from community.markup import render_markdown
from community.models import Role, Service, User
from moderation.models import ModerationState

from . import services
from .models import (
    CaseStudy,
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
HELPLINE_ADMIN_EMAIL = "orgadmin@demo.sic.community"
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

    youth_series = _series(
        coordinator, title="Youth coordinators' meeting", weekday=MeetingSeries.Weekday.TUESDAY,
        local_time=time(15, 0), services_codes=[], roles=[Role.YOUTH_COORDINATOR],
        kind=MeetingSeries.Kind.COORDINATION,
        description="Youth coordinators plan the panels' next activities together.",
        join_url="https://meet.example.org/youth-coordinators",
    )
    if not youth_series.meetings.filter(starts_at__gte=timezone.now()).exists():
        services.schedule_meetings(actor=coordinator, series=youth_series, first_date=today + timedelta(days=7),
                                   count=1)

    awareness_member = User.objects.filter(email=AWARENESS_EMAIL).first()
    next_awareness = awareness_series.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    if awareness_member is not None and next_awareness is not None:
        _emerging_issue(awareness_member, next_awareness, title="AI companion apps marketed to teenagers",
                        description="Parents ask us about chatbot 'friends' that young people talk to for hours.",
                        platforms="AI companion apps", topics=["excessive-use"])
    next_helpline = helpline_series.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    _emerging_issue(helpline_member, next_helpline, title="Fake 'account recovery' messages on a video app",
                    description="Young people lose their accounts after answering messages that look official.",
                    platforms="Short-video app", topics=["e-crime"])

    window, _created = CaseStudyUploadWindow.objects.get_or_create(pk=1)
    if not window.is_open:
        services.set_upload_window(actor=coordinator, is_open=True)
    shared_case = _case_study(
        helpline_member, title="Sextortion after a friendship made in a game",
        summary="A boy was asked for images by a 'friend' from a game, then threatened.",
        narrative="The young person contacted us by chat late in the evening. A contact met in an online game "
                  "had moved the conversation to a messaging app, asked for images and then demanded money.",
        outcome="Helped to report the account; the platform removed it. The family was involved.",
        lessons="Reassure first: the young person was afraid of being blamed.",
        topics=["sextortion", "gaming"], age_band=CaseStudy.AgeBand.AGE_13_15,
    )
    if shared_case.moderation_state == ModerationState.PENDING:
        services.decide_case_study(actor=coordinator, case_study=shared_case, approve=True)
    helpline_admin = User.objects.filter(email=HELPLINE_ADMIN_EMAIL).first()
    if helpline_admin is not None:
        # Left waiting, so the coordination team's review page has something to decide.
        _case_study(
            helpline_admin, title="Deepfake images shared in a class chat",
            summary="Manipulated images of a girl circulated in a class group.",
            narrative="A parent called after manipulated images of their daughter appeared in a class chat.",
            outcome="The school and the platform were contacted; the images were removed.",
            lessons="Schools need a clear route for reporting manipulated images.",
            topics=["deepfakes", "cyberbullying"], age_band=CaseStudy.AgeBand.AGE_9_12,
        )

    _past_meeting_with_record(coordinator, helpline_member, helpline_series, today, case_study=shared_case)

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


def _series(coordinator, *, title, weekday, local_time, services_codes, description, join_url,
            roles=(Role.NETWORK_COORDINATOR,), kind=MeetingSeries.Kind.EARLY_WARNING) -> MeetingSeries:
    existing = MeetingSeries.objects.filter(title=title).first()
    if existing is not None:
        return existing
    series = MeetingSeries(title=title, kind=kind, description=description,
                           owner=coordinator, weekday=weekday, local_time=local_time, duration_minutes=60,
                           time_zone="Europe/Brussels", default_join_url=join_url)
    return services.save_series(actor=coordinator, series=series, audience_roles=list(roles),
                                audience_services=Service.objects.filter(code__in=services_codes))


def _emerging_issue(author, meeting, *, title, description, platforms, topics) -> None:
    if EmergingIssue.objects.filter(title=title).exists():
        return
    services.submit_emerging_issue(
        actor=author, meeting=meeting, topics=Topic.objects.filter(slug__in=topics),
        issue=EmergingIssue(title=title, description_source=description, platforms=platforms,
                            country=author.approved_membership.organisation.country),
    )


def _case_study(author, *, title, summary, narrative, outcome, lessons, topics, age_band) -> CaseStudy:
    existing = CaseStudy.all_objects.filter(title=title).first()
    if existing is not None:
        return existing
    case_study, _created = services.submit_case_study(
        actor=author, case_study=CaseStudy(title=title, summary=summary, narrative_source=narrative, outcome=outcome,
                                           lessons_learned=lessons, age_band=age_band,
                                           contact_channel=CaseStudy.Channel.CHAT),
        topics=Topic.objects.filter(slug__in=topics), attachments=[], submission_token=uuid.uuid4(),
    )
    return case_study


def _past_meeting_with_record(coordinator, helpline_member, series, today, *, case_study) -> None:
    if series.meetings.filter(record__isnull=False).exists():
        return
    title = series.title
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
                                title=title, description_source=title + ".",
                                description_html=render_markdown(title + "."),
                                country=issue.country, created_at=starts_at - timedelta(weeks=weeks_ago))
        earlier.save()
        earlier.topics.set(Topic.objects.filter(slug__in=slugs))
    record = MeetingRecord.objects.create(meeting=meeting)
    record.report_source = ("## Summary\n\nEight helplines joined. Sextortion contacts keep rising; several "
                            "countries see scripts moving from games to messaging apps.")
    record.recording_url = "https://video.example.org/recordings/helpline-early-warning"
    record.recording_available_until = today + timedelta(days=30)
    services.save_record(actor=coordinator, record=record, attendees=[coordinator, helpline_member],
                         emerging_issues=[issue], case_studies=[case_study])
    services.add_action_item(actor=coordinator, record=record, description="Share the sextortion advice leaflet",
                             owner=helpline_member, due_on=today + timedelta(days=14))
    services.publish_record(actor=coordinator, record=record)
