"""Early-warning and other network meetings, their records, emerging issues and case studies.

Who may see what is decided in meetings/permissions.py (and, for lists, meetings/selectors.py);
these models only hold data and invariants.
"""

import uuid
import zoneinfo
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Country, Organisation, Service
from moderation.models import ModeratedContent


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Topic(models.Model):
    """The portal's topic taxonomy, shared by emerging issues and case studies (seeded by migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class MeetingPreferences(models.Model):
    """Per-person settings of this app: the time zone to show times in and the calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_preferences")
    time_zone = models.CharField(
        _("your time zone"), max_length=64, blank=True, choices=time_zone_choices,
        help_text=_("Meeting times are also shown in this time zone. Leave empty to see the organiser's "
                    "time only."),
    )
    # Only a hash of the feed secret is stored: the address is shown once, when created.
    calendar_token_hash = models.CharField(max_length=64, blank=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("meeting preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token_hash"], condition=~Q(calendar_token_hash=""), name="calendar_token_unique"
            )
        ]

    def __str__(self):
        return f"Meeting preferences of {self.user_id}"

    @property
    def effective_time_zone(self) -> str:
        return self.time_zone or settings.TIME_ZONE


class MeetingSeries(models.Model):
    """A recurring meeting (e.g. the helpline early-warning meeting) and who it is for.

    The audience: role groups holding the guardian object permission `view_meetingseries`
    (granted by services.set_series_audience), and services, a plain M2M because services are
    not groups. permissions.series_visible_to reads both.
    """

    class Kind(models.TextChoices):
        EARLY_WARNING = "early_warning", _("Early-warning meeting")
        COORDINATION = "coordination", _("Coordination meeting")
        INDUSTRY = "industry", _("Meeting with industry")
        TRAINING = "training", _("Training meeting")
        OTHER = "other", _("Other meeting")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EARLY_WARNING)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_meeting_series")
    audience_services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("for people working in"),
    )
    # The usual slot, used to schedule the next meetings in one go.
    weekday = models.PositiveSmallIntegerField(_("usual day"), choices=Weekday.choices, null=True, blank=True)
    local_time = models.TimeField(_("usual time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("usual length in minutes"), default=60)
    time_zone = models.CharField(_("organiser's time zone"), max_length=64, choices=time_zone_choices,
                                 default="Europe/Brussels")
    default_join_url = models.URLField(_("usual join link"), blank=True)
    # An unlisted forum (the forums engine) with the series' audience: one topic per record.
    discussion_forum = models.OneToOneField("forums.Forum", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("meeting series")
        permissions = [("manage_meetingseries", "Can organise the meetings of this series")]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("organiser's time zone"), max_length=64, choices=time_zone_choices,
                                 default="Europe/Brussels")
    join_url = models.URLField(_("online join link"), blank=True)
    location = models.CharField(_("location (in person)"), max_length=200, blank=True)
    agenda_source = models.TextField(_("agenda"), blank=True, max_length=20000,
                                     help_text=_("Markdown. Emerging issues you put on the agenda are "
                                                 "listed after it."))
    agenda_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set atomically by the reminder command (an UPDATE ... WHERE ... IS NULL), so running it
    # twice, or twice at the same time, sends each reminder once. Cleared when rescheduled.
    day_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    hour_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start")
        ]
        indexes = [models.Index(fields=["series", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def local_start(self):
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return self.ends_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))


class Rsvp(models.Model):
    class Response(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        MAYBE = "maybe", _("Maybe")
        NOT_ATTENDING = "not_attending", _("Not attending")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_rsvps")
    response = models.CharField(max_length=15, choices=Response.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__display_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="rsvp_once_per_meeting")]

    def __str__(self):
        return f"{self.user_id} → {self.meeting_id}: {self.response}"


class EmergingIssue(models.Model):
    """Something a member sees happening, submitted before a meeting for its agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="emerging_issues")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="emerging_issues")
    author_name = models.CharField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description_source = models.TextField(_("description"), max_length=10000,
                                          help_text=_("Markdown. Please do not include anything that "
                                                      "identifies a person."))
    description_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField(Topic, related_name="emerging_issues", verbose_name=_("topics"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    platforms = models.CharField(_("platforms or apps involved"), max_length=300, blank=True)
    may_share_outside_network = models.BooleanField(
        _("may be shared outside the network"), default=False,
        help_text=_("For example in the quarterly trends published by the coordination team."),
    )
    # Null: not (yet) on the agenda. The organiser orders the ones they take.
    agenda_position = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.title


class MeetingRecord(models.Model):
    """What happened: the report, the recording, who came and what was agreed."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    report_source = models.TextField(_("report"), blank=True, max_length=50000, help_text=_("Markdown."))
    report_html = models.TextField(blank=True, editable=False)
    recording_url = models.URLField(_("recording link"), blank=True)
    recording_available_until = models.DateField(
        _("recording available until"), null=True, blank=True,
        help_text=_("Optional. After this date the link is no longer shown."),
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="attended_meeting_records",
                                       verbose_name=_("attendance"))
    emerging_issues = models.ManyToManyField(EmergingIssue, blank=True, related_name="records",
                                             verbose_name=_("emerging issues discussed"))
    case_studies = models.ManyToManyField("CaseStudy", blank=True, related_name="records",
                                          verbose_name=_("case studies presented"))
    published_at = models.DateTimeField(null=True, blank=True)
    discussion_topic = models.OneToOneField("forums.Topic", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Record of {self.meeting}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def recording_is_available(self, today: date | None = None) -> bool:
        if not self.recording_url:
            return False
        today = today or timezone.localdate()
        return self.recording_available_until is None or today <= self.recording_available_until


class ActionItem(models.Model):
    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="meeting_action_items", verbose_name=_("owner"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description


class NetworkDate(models.Model):
    """A deadline or an important date of the network (Safer Internet Day, reporting deadlines)."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Deadline")
        IMPORTANT_DATE = "important_date", _("Important date")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    description = models.TextField(_("details"), blank=True, max_length=2000)
    url = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date})"


class CaseStudy(ModeratedContent):
    """An anonymised helpline case, shown to the network once a network coordinator approves it."""

    class AgeBand(models.TextChoices):
        UNDER_9 = "under_9", _("Under 9")
        AGE_9_12 = "9_12", _("9–12")
        AGE_13_15 = "13_15", _("13–15")
        AGE_16_17 = "16_17", _("16–17")
        ADULT = "adult", _("18 or over")
        UNKNOWN = "unknown", _("Not known")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")
        WEB_FORM = "web_form", _("Web form")
        OTHER = "other", _("Other")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="case_studies")
    author_name = models.CharField(max_length=80)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    narrative_source = models.TextField(_("anonymised narrative"), max_length=30000, help_text=_("Markdown."))
    narrative_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField(Topic, related_name="case_studies", verbose_name=_("topics"))
    age_band = models.CharField(_("age of the young person"), max_length=10, choices=AgeBand.choices)
    contact_channel = models.CharField(_("contact channel"), max_length=10, choices=Channel.choices)
    outcome = models.TextField(_("outcome"), blank=True, max_length=5000)
    lessons_learned = models.TextField(_("lessons learned"), blank=True, max_length=5000)
    hotline_only = models.BooleanField(
        _("hotline-related: show to hotline staff only"), default=False,
        help_text=_("Only hotline staff and network coordinators will see it."),
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="case_studies", verbose_name=_("presented at"))
    # Why moderation held it beyond the usual review (e.g. a PDF with scripts), for the reviewer.
    hold_reasons = models.JSONField(default=list, blank=True)
    # A browser retry posts the same token again: it must not create a second case study.
    submission_token = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_by_name = models.CharField(max_length=80, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("case studies")
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_token"], name="case_study_submitted_once")
        ]

    def __str__(self):
        return self.title


class StoredFile(models.Model):
    """A file kept in private storage (settings.PRIVATE_MEDIA_ROOT), never under MEDIA_URL.

    Belongs to exactly one case study or one meeting record; served only by views.download_file.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="files")
    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="files")
    # Random (uuid + extension): nothing the uploader chose reaches the file system.
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case_study__isnull=False, record__isnull=True)
                           | Q(case_study__isnull=True, record__isnull=False)),
                name="stored_file_has_one_owner",
            )
        ]

    def __str__(self):
        return self.original_name


class FileDownload(models.Model):
    """Every download of a private file: who and when. The name survives account deletion."""

    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    user_name = models.CharField(max_length=80)
    downloaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.user_name} downloaded {self.file_id}"


class CaseStudyUploadWindow(models.Model):
    """Whether members may upload case studies now. One row; the coordination team flips it."""

    is_open = models.BooleanField(default=False)
    closes_on = models.DateField(_("uploads close after"), null=True, blank=True,
                                 help_text=_("Optional: the last day of uploads. Members are reminded in "
                                             "their weekly update."))
    closed_message = models.TextField(
        _("message while closed"), blank=True, max_length=1000,
        default=_("Case study uploads are not open yet. The coordination team will announce when they open."),
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self):
        return "open" if self.accepts_uploads else "closed"

    @property
    def accepts_uploads(self) -> bool:
        return self.is_open and (self.closes_on is None or timezone.localdate() <= self.closes_on)
