"""Reads of the meetings app, already filtered by meetings/permissions.py to what the user may see."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from moderation.models import ModerationState

from .models import (
    ActionItem,
    CaseStudy,
    EmergingIssue,
    Meeting,
    MeetingPreferences,
    NetworkDate,
    Rsvp,
    StoredFile,
    Topic,
)
from .permissions import (
    audience_of,
    case_studies_visible_to,
    co_organisers_of,
    meetings_visible_to,
    series_managed_by,
    series_visible_to,
)

APPROACHING_DEADLINE_DAYS = 30


def viewer_time_zone(user) -> str | None:
    """The zone the person chose, or None to show the organiser's time only."""
    if not user.is_authenticated:
        return None
    return MeetingPreferences.objects.filter(user=user).exclude(time_zone="").values_list(
        "time_zone", flat=True).first()


def upcoming_meetings(*, user):
    return (meetings_visible_to(user).filter(ends_at__gt=timezone.now())
            .select_related("series").order_by("starts_at"))


def past_meetings(*, user):
    """Past meetings with their record when the user may read it (published, or organiser)."""
    return (meetings_visible_to(user).filter(ends_at__lte=timezone.now(), status=Meeting.Status.SCHEDULED)
            .filter(Q(record__published_at__isnull=False) | Q(series__in=series_managed_by(user)))
            .filter(record__isnull=False)
            .select_related("series", "record").order_by("-starts_at"))


def visible_series(*, user):
    return series_visible_to(user).select_related("owner").order_by("title")


def co_organisers(*, series):
    return co_organisers_of(series).order_by("display_name", "pk")


def organiser_candidates(*, series):
    """Members of the series' audience who do not organise it yet."""
    return (audience_of(series).exclude(pk=series.owner_id).exclude(pk__in=co_organisers_of(series).values("pk"))
            .order_by("display_name", "pk"))


def meeting_for(*, user, meeting_id: int) -> Meeting | None:
    return meetings_visible_to(user).select_related("series__owner").filter(pk=meeting_id).first()


def series_meetings(*, series, upcoming: bool):
    now = timezone.now()
    meetings = series.meetings.select_related("series")
    return meetings.filter(ends_at__gt=now).order_by("starts_at") if upcoming else \
        meetings.filter(ends_at__lte=now).select_related("record").order_by("-starts_at")


def issues_for_meeting(*, meeting):
    return (meeting.emerging_issues.select_related("country").prefetch_related("topics")
            .order_by("agenda_position", "created_at"))


def rsvp_of(*, user, meeting) -> str | None:
    return Rsvp.objects.filter(meeting=meeting, user=user).values_list("response", flat=True).first()


def rsvps_for(*, meeting):
    return meeting.rsvps.select_related("user").order_by("response", "user__display_name")


def rsvp_counts(*, meeting) -> dict[str, int]:
    return dict(meeting.rsvps.values_list("response").annotate(n=Count("id")))


def record_details(*, record, user):
    """The related rows of a record page, with linked case studies limited to what `user` may see."""
    return {
        "attendees": list(record.attendees.order_by("display_name")),
        "action_items": list(ActionItem.objects.filter(record=record).select_related("owner")),
        "emerging_issues": list(record.emerging_issues.select_related("country").prefetch_related("topics")),
        "case_studies": list(case_studies_visible_to(user).filter(records=record,
                                                                  moderation_state=ModerationState.APPROVED)),
        "files": list(StoredFile.objects.filter(record=record)),
    }


def upcoming_dates(*, kind: str | None = None, within_days: int | None = None):
    today = timezone.localdate()
    dates = NetworkDate.objects.filter(date__gte=today)
    if kind:
        dates = dates.filter(kind=kind)
    if within_days is not None:
        dates = dates.filter(date__lte=today + timedelta(days=within_days))
    return dates.order_by("date", "title")


def case_studies_for(*, user, topic: str = "", query: str = ""):
    studies = (case_studies_visible_to(user).select_related("organisation__country")
               .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position"))))
    if topic:
        studies = studies.filter(topics__slug=topic)
    if query:
        studies = studies.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return studies.order_by("-created_at")


def case_study_for(*, user, case_study_id: int) -> CaseStudy | None:
    return (case_studies_visible_to(user).select_related("organisation__country", "meeting__series")
            .prefetch_related("topics", "files").filter(pk=case_study_id).first())


def meetings_to_link_case_studies_to(*, user):
    """Recent and coming meetings the author may see, for "presented at"."""
    now = timezone.now()
    return (meetings_visible_to(user).filter(starts_at__gte=now - timedelta(days=365),
                                             starts_at__lte=now + timedelta(days=90))
            .order_by("-starts_at"))


def pending_case_studies():
    return (CaseStudy.all_objects.filter(moderation_state=ModerationState.PENDING)
            .select_related("organisation__country").prefetch_related("topics", "files").order_by("created_at"))


# --- Trends -----------------------------------------------------------------------------------

@dataclass
class TrendTable:
    """Counts per topic per quarter, for the chart, the table and the CSV alike."""

    quarters: list[tuple[int, int]]
    topics: list[Topic]
    issues: dict[tuple[str, tuple[int, int]], int] = field(default_factory=dict)
    case_studies: dict[tuple[str, tuple[int, int]], int] = field(default_factory=dict)

    @staticmethod
    def quarter_label(quarter: tuple[int, int]) -> str:
        return f"{quarter[0]} Q{quarter[1]}"

    def total(self, slug: str, quarter: tuple[int, int]) -> int:
        return self.issues.get((slug, quarter), 0) + self.case_studies.get((slug, quarter), 0)

    @property
    def rows(self):
        """(topic, [(quarter, issues, case studies, total), ...]) for topics with any count."""
        for topic in self.topics:
            cells = [(q, self.issues.get((topic.slug, q), 0), self.case_studies.get((topic.slug, q), 0),
                      self.total(topic.slug, q)) for q in self.quarters]
            yield topic, cells

    @property
    def maximum(self) -> int:
        return max((self.total(t.slug, q) for t in self.topics for q in self.quarters), default=0)


def _counts(queryset, date_field: str) -> dict:
    rows = (queryset.annotate(year=ExtractYear(date_field), quarter=ExtractQuarter(date_field))
            .values("topics__slug", "year", "quarter").annotate(n=Count("id", distinct=True))
            .filter(topics__slug__isnull=False).order_by())
    return {(row["topics__slug"], (row["year"], row["quarter"])): row["n"] for row in rows}


def trend_table(*, user, country=None, series=None, include_case_studies: bool = True) -> TrendTable:
    issues = EmergingIssue.objects.filter(meeting__in=meetings_visible_to(user))
    studies = case_studies_visible_to(user).filter(moderation_state=ModerationState.APPROVED)
    if country is not None:
        issues = issues.filter(country=country)
        studies = studies.filter(organisation__country=country)
    if series is not None:
        issues = issues.filter(meeting__series=series)
        studies = studies.filter(meeting__series=series)
    issue_counts = _counts(issues, "created_at")
    study_counts = _counts(studies, "created_at") if include_case_studies else {}
    keys = set(issue_counts) | set(study_counts)
    quarters = sorted({quarter for _slug, quarter in keys})
    slugs = {slug for slug, _quarter in keys}
    topics = [topic for topic in Topic.objects.order_by("position") if topic.slug in slugs]
    return TrendTable(quarters=quarters, topics=topics, issues=issue_counts, case_studies=study_counts)
