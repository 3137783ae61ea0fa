"""State changes of the meetings app. Each checks its permission first and runs in one
transaction; notifications go through notifications.services.notify (pushed on commit)."""

import hashlib
import secrets
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_groups_with_perms, remove_perm

from community.markup import render_markdown
from community.models import Role
from forums import services as forum_services
from forums.models import Forum
from moderation import services as moderation_services
from moderation.models import ModerationItem, ModerationState
from moderation.services import submit_content
from notifications.services import notify

from . import files, permissions
from .models import (
    ActionItem,
    CaseStudy,
    CaseStudyUploadWindow,
    EmergingIssue,
    FileDownload,
    Meeting,
    MeetingPreferences,
    MeetingRecord,
    MeetingSeries,
    NetworkDate,
    Rsvp,
    StoredFile,
)

DAY_REMINDER_LEAD = timedelta(hours=24)
HOUR_REMINDER_LEAD = timedelta(hours=1)


# --- Time -------------------------------------------------------------------------------------

def aware_in_zone(naive: datetime, zone_name: str) -> datetime:
    """Interpret a wall-clock time in `zone_name`, refusing times the clocks skip (spring forward)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("%(time)s does not exist in %(zone)s: the clocks go forward then. Please pick another time.")
            % {"time": naive.strftime("%H:%M"), "zone": zone_name}
        )
    return aware


# --- Series -----------------------------------------------------------------------------------

@transaction.atomic
def save_series(*, actor, series: MeetingSeries, audience_roles, audience_services) -> MeetingSeries:
    """Create (when unsaved) or update a series and its audience."""
    if series.pk is None:
        permissions.check_create_series(actor)
        if series.owner_id is None:
            series.owner = actor
    else:
        permissions.check_manage_series(actor, MeetingSeries.objects.get(pk=series.pk))
    series.description = series.description.strip()
    series.save()
    series.audience_services.set(audience_services)
    set_series_audience_roles(series, audience_roles)
    _sync_discussion_audience(series)
    return series


def audience_roles_of(series: MeetingSeries) -> list[str]:
    return sorted(group.name for group, perms in get_groups_with_perms(series, attach_perms=True).items()
                  if "view_meetingseries" in perms)


def set_series_audience_roles(series: MeetingSeries, roles) -> None:
    wanted = {str(role) for role in roles}
    current = set(audience_roles_of(series))
    for group in Group.objects.filter(name__in=wanted - current):
        assign_perm(permissions.VIEW_SERIES, group, series)
    for group in Group.objects.filter(name__in=current - wanted):
        remove_perm(permissions.VIEW_SERIES, group, series)


@transaction.atomic
def add_organiser(*, actor, series: MeetingSeries, person) -> None:
    permissions.check_manage_organisers(actor, series)
    if not person.is_approved_member:
        raise ValidationError(_("Only members of the network can organise meetings."))
    if not permissions.can_view_series(person, series):
        raise ValidationError(_("%(name)s is not in this series' audience: add their role or service to the "
                                "series first.") % {"name": person.display_name})
    assign_perm(permissions.MANAGE_SERIES, person, series)
    _sync_discussion_audience(series)


@transaction.atomic
def remove_organiser(*, actor, series: MeetingSeries, person) -> bool:
    """Takes organising away from a co-organiser; they stay in the audience. False when they
    were not a co-organiser (the owner stays the owner)."""
    permissions.check_manage_organisers(actor, series)
    if not permissions.co_organisers_of(series).filter(pk=person.pk).exists():
        return False
    remove_perm(permissions.MANAGE_SERIES, person, series)
    if series.discussion_forum is not None:
        # Their personal grant goes; reading on through the series' audience is left as it is.
        forum_services.revoke_forum_access(forum=series.discussion_forum, to=person)
    return True


# --- Discussion threads (the forums engine) ---------------------------------------------------

def _discussion_forum(series: MeetingSeries) -> Forum:
    if series.discussion_forum_id is None:
        series.discussion_forum = forum_services.create_forum(
            actor=None, name=series.title[:120], slug=f"meetings-series-{series.pk}", is_listed=False,
            description=_("Discussion of the records of %(title)s.") % {"title": series.title},
        )
        series.save(update_fields=["discussion_forum"])
        _sync_discussion_audience(series)
    return series.discussion_forum


def _sync_discussion_audience(series: MeetingSeries) -> None:
    """The series' forum has exactly the series' audience, plus its organisers."""
    forum = series.discussion_forum
    if forum is None:
        return
    wanted_roles = set(audience_roles_of(series))
    for group in get_groups_with_perms(forum):
        if group.name not in wanted_roles:
            forum_services.revoke_forum_access(forum=forum, to=group)
    for group in Group.objects.filter(name__in=wanted_roles):
        forum_services.grant_forum_access(forum=forum, to=group)
    forum.read_services.set(series.audience_services.all())
    forum.post_services.set(series.audience_services.all())
    for person in permissions.organisers_of(series):
        forum_services.grant_forum_access(forum=forum, to=person)


def _open_discussion(*, actor, record: MeetingRecord) -> None:
    meeting = record.meeting
    topic = forum_services.create_topic(
        actor=actor, forum=_discussion_forum(meeting.series),
        title=_("Discussion: %(title)s, %(date)s") % {"title": meeting.title,
                                                      "date": meeting.local_start.strftime("%d %b %Y")},
        body=_("The report and recording of this meeting are on [the record page](%(url)s). "
               "Questions and follow-ups here.") % {"url": reverse("meetings:record_detail", args=[meeting.pk])},
    )
    record.discussion_topic = topic
    record.save(update_fields=["discussion_topic"])


def occurrences(series: MeetingSeries, *, first_date: date, count: int) -> list[tuple[datetime, datetime]]:
    """The next `count` slots on the series' weekday at its local time, each computed in the
    organiser's zone so 11:00 stays 11:00 on both sides of a daylight-saving change."""
    if series.weekday is None or series.local_time is None:
        raise ValidationError(_("Set the usual day and time of the series first."))
    day = first_date + timedelta(days=(series.weekday - first_date.weekday()) % 7)
    slots = []
    for _week in range(count):
        start = aware_in_zone(datetime.combine(day, series.local_time), series.time_zone)
        slots.append((start, start + timedelta(minutes=series.duration_minutes)))
        day += timedelta(days=7)
    return slots


@transaction.atomic
def schedule_meetings(*, actor, series: MeetingSeries, first_date: date, count: int) -> list[Meeting]:
    """Create the next meetings of a series; slots that already have a meeting are skipped."""
    permissions.check_manage_series(actor, series)
    if not 1 <= count <= 52:
        raise ValidationError(_("Schedule between 1 and 52 meetings at a time."))
    slots = occurrences(series, first_date=first_date, count=count)
    taken = set(series.meetings.filter(starts_at__in=[start for start, _end in slots])
                .values_list("starts_at", flat=True))
    created = Meeting.objects.bulk_create([
        Meeting(series=series, title=series.title, starts_at=start, ends_at=end, time_zone=series.time_zone,
                join_url=series.default_join_url, created_by=actor)
        for start, end in slots if start not in taken
    ])
    return created


# --- Meetings ---------------------------------------------------------------------------------

@transaction.atomic
def save_meeting(*, actor, meeting: Meeting) -> Meeting:
    permissions.check_manage_series(actor, meeting.series)
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if meeting.pk is None:
        meeting.created_by = actor
    else:
        previous = Meeting.objects.get(pk=meeting.pk)
        if previous.series_id != meeting.series_id:
            raise PermissionDenied
        if previous.starts_at != meeting.starts_at:
            # A new time deserves new reminders.
            meeting.day_reminder_sent_at = None
            meeting.hour_reminder_sent_at = None
    meeting.agenda_html = render_markdown(meeting.agenda_source)
    meeting.save()
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting) -> bool:
    permissions.check_manage_series(actor, meeting.series)
    if meeting.is_cancelled:
        return False
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    recipients = permissions.audience_of(meeting.series).exclude(
        meeting_rsvps__meeting=meeting, meeting_rsvps__response=Rsvp.Response.NOT_ATTENDING
    )
    notify(recipients=recipients, kind="meeting_cancelled",
           title=_("Cancelled: %(title)s") % {"title": meeting.title},
           url=reverse("meetings:meeting_detail", args=[meeting.pk]), actor=actor)
    return True


@transaction.atomic
def respond_to_meeting(*, actor, meeting: Meeting, response: str) -> Rsvp:
    permissions.check_respond_to_meeting(actor, meeting)
    if response not in Rsvp.Response.values:
        raise ValidationError(_("Please choose whether you will attend."))
    rsvp, _created = Rsvp.objects.update_or_create(meeting=meeting, user=actor, defaults={"response": response})
    return rsvp


# --- Reminders --------------------------------------------------------------------------------

def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the day-before and hour-before reminders that are due; returns how many meetings
    were reminded. Each reminder is claimed with a conditional UPDATE in the same transaction
    as its notifications, so a second (or concurrent) run finds nothing left to send."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + DAY_REMINDER_LEAD
    ).filter(Q(day_reminder_sent_at__isnull=True) | Q(hour_reminder_sent_at__isnull=True)).select_related("series")
    reminded = 0
    for meeting in due:
        with transaction.atomic():
            start = meeting.local_start
            if meeting.starts_at - now <= HOUR_REMINDER_LEAD:
                # Also closes the day reminder: one reminder is enough for a meeting this close.
                claimed = Meeting.objects.filter(pk=meeting.pk, hour_reminder_sent_at__isnull=True).update(
                    hour_reminder_sent_at=now, day_reminder_sent_at=now
                )
                title = _("Starting at %(time)s: %(title)s") % {
                    "time": f"{start:%H:%M %Z}", "title": meeting.title}
            else:
                # "Within a day", not "tomorrow": a meeting scheduled at short notice may be today.
                claimed = Meeting.objects.filter(pk=meeting.pk, day_reminder_sent_at__isnull=True).update(
                    day_reminder_sent_at=now
                )
                title = _("Coming up on %(when)s: %(title)s") % {
                    "when": f"{date_format(start, 'D j M')}, {start:%H:%M %Z}", "title": meeting.title}
            if not claimed:
                continue
            recipients = permissions.audience_of(meeting.series).exclude(
                meeting_rsvps__meeting=meeting, meeting_rsvps__response=Rsvp.Response.NOT_ATTENDING
            )
            notify(recipients=recipients, kind="meeting_reminder", title=title,
                   url=reverse("meetings:meeting_detail", args=[meeting.pk]),
                   body=_("All colleagues are welcome, regardless of whether you have anything to share."))
            reminded += 1
    return reminded


# --- Emerging issues and the agenda -----------------------------------------------------------

@transaction.atomic
def submit_emerging_issue(*, actor, meeting: Meeting, issue: EmergingIssue, topics) -> EmergingIssue:
    permissions.check_submit_emerging_issue(actor, meeting)
    if not topics:
        raise ValidationError(_("Choose at least one topic."))
    issue.meeting = meeting
    issue.author = actor
    issue.author_name = str(actor)[:80]
    issue.description_html = render_markdown(issue.description_source)
    issue.save()
    issue.topics.set(topics)
    notify(recipients=permissions.organisers_of(meeting.series), kind="meeting_emerging_issue",
           title=_("New emerging issue for %(meeting)s: %(title)s") % {"meeting": meeting.title, "title": issue.title},
           url=reverse("meetings:meeting_agenda", args=[meeting.pk]), actor=actor)
    return issue


@transaction.atomic
def order_agenda(*, actor, meeting: Meeting, positions: dict[int, int | None]) -> None:
    """Put emerging issues on the agenda in the organiser's order (None: not on the agenda)."""
    permissions.check_manage_series(actor, meeting.series)
    issues = {issue.pk: issue for issue in meeting.emerging_issues.all()}
    ranked = sorted((position, pk) for pk, position in positions.items() if pk in issues and position is not None)
    for issue in issues.values():
        issue.agenda_position = None
    for rank, (_position, pk) in enumerate(ranked, start=1):
        issues[pk].agenda_position = rank
    EmergingIssue.objects.bulk_update(issues.values(), ["agenda_position"])


# --- Records ----------------------------------------------------------------------------------

def record_for_editing(*, actor, meeting: Meeting) -> MeetingRecord:
    """The meeting's record, or a new unsaved one (save_record stores it)."""
    permissions.check_manage_series(actor, meeting.series)
    record = MeetingRecord.objects.filter(meeting=meeting).first() or MeetingRecord(meeting=meeting)
    record.meeting = meeting
    return record


@transaction.atomic
def save_record(*, actor, record: MeetingRecord, attendees=(), emerging_issues=(), case_studies=(),
                documents: list[files.CleanFile] = ()) -> MeetingRecord:
    meeting = record.meeting
    permissions.check_manage_series(actor, meeting.series)
    if any(issue.meeting_id != meeting.pk for issue in emerging_issues):
        raise PermissionDenied
    visible_case_studies = permissions.case_studies_visible_to(actor).filter(
        moderation_state=ModerationState.APPROVED
    )
    if {c.pk for c in case_studies} - set(visible_case_studies.filter(pk__in=[c.pk for c in case_studies])
                                          .values_list("pk", flat=True)):
        raise PermissionDenied
    if any(document.hold_reasons for document in documents):
        raise ValidationError(_("This PDF contains scripts, actions or embedded files. Please export it again "
                                "as a plain PDF and upload that."))
    record.report_html = render_markdown(record.report_source)
    record.save()
    record.attendees.set(attendees)
    record.emerging_issues.set(emerging_issues)
    record.case_studies.set(case_studies)
    # Last step, so nothing after the writes can roll the rows back and orphan the files.
    for document in documents:
        _store_file_row(document, actor=actor, record=record)
    return record


@transaction.atomic
def remove_record_file(*, actor, stored_file: StoredFile) -> None:
    if stored_file.record_id is None:
        raise PermissionDenied
    permissions.check_manage_series(actor, stored_file.record.meeting.series)
    stored_name = stored_file.stored_name
    stored_file.delete()
    transaction.on_commit(lambda: files.discard(stored_name))


@transaction.atomic
def publish_record(*, actor, record: MeetingRecord) -> bool:
    meeting = record.meeting
    permissions.check_manage_series(actor, meeting.series)
    if record.is_published:
        return False
    if not (record.report_source.strip() or record.files.exists()):
        raise ValidationError(_("Write the report or attach it before publishing."))
    record.published_at = timezone.now()
    record.published_by = actor
    record.save(update_fields=["published_at", "published_by"])
    if record.discussion_topic_id is None:
        _open_discussion(actor=actor, record=record)
    for owner, items in _open_actions_by_owner(record).items():
        notify(recipients=[owner], kind="meeting_action_item",
               title=_("Actions for you from %(title)s: %(count)s") % {"title": meeting.title, "count": len(items)},
               body="\n".join(item.description for item in items),
               url=reverse("meetings:record_detail", args=[meeting.pk]), actor=actor)
    notify(recipients=permissions.audience_of(meeting.series), kind="meeting_record_published",
           title=_("Report and recording of %(title)s") % {"title": meeting.title},
           url=reverse("meetings:record_detail", args=[meeting.pk]), actor=actor)
    return True


def _open_actions_by_owner(record: MeetingRecord) -> dict:
    by_owner: dict = {}
    for item in record.action_items.filter(owner__isnull=False, done_at__isnull=True).select_related("owner"):
        by_owner.setdefault(item.owner, []).append(item)
    return by_owner


@transaction.atomic
def add_action_item(*, actor, record: MeetingRecord, description: str, owner=None, due_on=None) -> ActionItem:
    permissions.check_manage_series(actor, record.meeting.series)
    item = ActionItem.objects.create(record=record, description=description.strip(), owner=owner, due_on=due_on)
    if owner is not None and record.is_published:
        notify(recipients=[owner], kind="meeting_action_item",
               title=_("Action for you: %(action)s") % {"action": item.description[:150]},
               url=reverse("meetings:record_detail", args=[record.meeting_id]), actor=actor)
    return item


@transaction.atomic
def set_action_item_done(*, actor, item: ActionItem, done: bool) -> bool:
    series = item.record.meeting.series
    if item.owner_id != actor.pk:
        permissions.check_manage_series(actor, series)
    if (item.done_at is not None) == done:
        return False
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return True


# --- Network dates ----------------------------------------------------------------------------

@transaction.atomic
def save_network_date(*, actor, network_date: NetworkDate) -> NetworkDate:
    permissions.check_manage_network_dates(actor)
    if network_date.pk is None:
        network_date.created_by = actor
    network_date.save()
    return network_date


@transaction.atomic
def delete_network_date(*, actor, network_date: NetworkDate) -> None:
    permissions.check_manage_network_dates(actor)
    network_date.delete()


# --- Personal preferences and the calendar feed -----------------------------------------------

def preferences_of(user) -> MeetingPreferences:
    preferences, _created = MeetingPreferences.objects.get_or_create(user=user)
    return preferences


def set_time_zone(*, user, time_zone: str) -> None:
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))
    MeetingPreferences.objects.update_or_create(user=user, defaults={"time_zone": time_zone})


def _hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def create_calendar_token(*, user) -> str:
    """A new secret feed address; any previous one stops working. Returns the raw secret, which
    is shown once and never stored."""
    if not user.is_approved_member:
        raise PermissionDenied
    raw_token = secrets.token_urlsafe(32)
    MeetingPreferences.objects.update_or_create(
        user=user, defaults={"calendar_token_hash": _hash_token(raw_token),
                             "calendar_token_created_at": timezone.now()},
    )
    return raw_token


@transaction.atomic
def revoke_calendar_token(*, user) -> bool:
    return bool(MeetingPreferences.objects.filter(user=user).exclude(calendar_token_hash="").update(
        calendar_token_hash="", calendar_token_created_at=None
    ))


def user_for_calendar_token(raw_token: str):
    """The member a feed secret belongs to, or None (unknown, revoked, or no longer a member)."""
    if not raw_token:
        return None
    preferences = (MeetingPreferences.objects.select_related("user")
                   .filter(calendar_token_hash=_hash_token(raw_token)).first())
    if preferences is None or not preferences.user.is_approved_member:
        return None
    return preferences.user


# --- Case studies -----------------------------------------------------------------------------

def upload_window() -> CaseStudyUploadWindow:
    window, _created = CaseStudyUploadWindow.objects.get_or_create(pk=1)
    return window


def case_study_uploads_open() -> bool:
    return upload_window().accepts_uploads


@transaction.atomic
def set_upload_window(*, actor, is_open: bool, closed_message: str | None = None,
                      closes_on: date | None = None) -> CaseStudyUploadWindow:
    permissions.check_manage_upload_window(actor)
    window = CaseStudyUploadWindow.objects.select_for_update().get(pk=upload_window().pk)
    window.is_open = is_open
    window.closes_on = closes_on
    if closed_message is not None:
        window.closed_message = closed_message.strip()
    window.changed_by = actor
    window.save()
    return window


def find_submitted_case_study(*, author, submission_token) -> CaseStudy | None:
    return CaseStudy.all_objects.filter(author=author, submission_token=submission_token).first()


def submit_case_study(*, actor, case_study: CaseStudy, topics, attachments: list[files.CleanFile],
                      submission_token) -> tuple[CaseStudy, bool]:
    """Store a case study for review. Returns (case study, created): a repeated submission of the
    same form (a browser retry) returns the first one and stores nothing more."""
    permissions.check_submit_case_study(actor)
    if not case_study_uploads_open():
        raise PermissionDenied(_("Case study uploads are closed."))
    existing = find_submitted_case_study(author=actor, submission_token=submission_token)
    if existing is not None:
        return existing, False
    if not topics:
        raise ValidationError(_("Choose at least one topic."))
    if case_study.meeting_id is not None and not permissions.can_view_series(actor, case_study.meeting.series):
        raise PermissionDenied
    stored_names: list[str] = []
    try:
        with transaction.atomic():
            case_study.author = actor
            case_study.author_name = str(actor)[:80]
            case_study.organisation = actor.approved_membership.organisation
            case_study.submission_token = submission_token
            case_study.narrative_html = render_markdown(case_study.narrative_source)
            text = "\n".join([case_study.title, case_study.summary, case_study.narrative_source,
                              case_study.outcome, case_study.lessons_learned])
            submit_content(actor=actor, instance=case_study, text=text)
            # What the reviewing coordinator should look at: every case study waits for one, so
            # the space's policy message ("a moderator reads every post") would say nothing.
            content_reasons = [hold.message for hold in moderation_services.content_holds(author=actor, text=text)]
            file_reasons = [reason for clean in attachments for reason in clean.hold_reasons]
            if file_reasons or not actor.has_role(Role.NETWORK_COORDINATOR):
                # A network coordinator approves every case study, even from authors the
                # moderation framework trusts elsewhere (moderators, youth coordinators), and
                # a file with scripts waits for a second look even when a coordinator shares it.
                case_study.moderation_state = ModerationState.PENDING
            case_study.hold_reasons = content_reasons + file_reasons
            case_study.save()
            case_study.topics.set(topics)
            for clean in attachments:
                stored = _store_file_row(clean, actor=actor, case_study=case_study)
                stored_names.append(stored.stored_name)
            coordinators = _network_coordinators()
            notify(recipients=coordinators, kind="case_study_submitted",
                   title=_("Case study to review: %(title)s") % {"title": case_study.title},
                   url=reverse("meetings:case_study_review"), actor=actor)
    except IntegrityError:
        for name in stored_names:
            files.discard(name)
        existing = find_submitted_case_study(author=actor, submission_token=submission_token)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        for name in stored_names:
            files.discard(name)
        raise
    return case_study, True


def _network_coordinators():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=Role.NETWORK_COORDINATOR, is_active=True)


def _store_file_row(clean: files.CleanFile, *, actor, case_study=None, record=None) -> StoredFile:
    stored_name = files.store(clean)
    try:
        return StoredFile.objects.create(
            case_study=case_study, record=record, stored_name=stored_name, original_name=clean.original_name,
            content_type=clean.content_type, size=len(clean.content), sha256=clean.sha256, uploaded_by=actor,
        )
    except BaseException:
        files.discard(stored_name)
        raise


@transaction.atomic
def decide_case_study(*, actor, case_study: CaseStudy, approve: bool, reason: str = "") -> bool:
    permissions.check_review_case_studies(actor)
    locked = CaseStudy.all_objects.select_for_update().get(pk=case_study.pk)
    if locked.moderation_state != ModerationState.PENDING:
        return False
    if not approve and not reason.strip():
        raise ValidationError(_("Please give a reason: the author will read it."))
    queued = ModerationItem.objects.filter(
        content_type=ContentType.objects.get_for_model(CaseStudy), object_id=locked.pk,
        status=ModerationItem.Status.OPEN,
    ).first()
    if queued is not None:
        # The shared queue's decision sets the state, writes the audit entry and tells the author.
        decided = moderation_services.decide(
            actor=actor, item=queued,
            decision=ModerationItem.Decision.APPROVED if approve else ModerationItem.Decision.REJECTED,
            reason_text=reason,
        )
        if decided:
            CaseStudy.all_objects.filter(pk=locked.pk).update(
                decided_at=timezone.now(), decided_by=actor, decided_by_name=str(actor)[:80],
                decision_reason=reason.strip())
        return decided
    locked.moderation_state = ModerationState.APPROVED if approve else ModerationState.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decided_by_name = str(actor)[:80]
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["moderation_state", "decided_at", "decided_by", "decided_by_name", "decision_reason"])
    url = reverse("meetings:case_study_detail", args=[locked.pk])
    if locked.author is not None:
        title = (_("Your case study is published: %(title)s") if approve
                 else _("Your case study was not published: %(title)s")) % {"title": locked.title}
        notify(recipients=[locked.author], kind="case_study_decision", title=title, url=url,
               body=locked.decision_reason, actor=actor)
    return True


@transaction.atomic
def record_download(*, user, stored_file: StoredFile) -> FileDownload:
    permissions.check_download_file(user, stored_file)
    return FileDownload.objects.create(file=stored_file, user=user, user_name=str(user)[:80])
