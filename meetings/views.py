import csv
import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Role

from . import charts, files, ical, permissions, selectors, services
from .forms import (
    ActionItemForm,
    AgendaForm,
    CaseStudyDecisionForm,
    CaseStudyForm,
    EmergingIssueForm,
    MeetingForm,
    NetworkDateForm,
    OrganiserForm,
    PreferencesForm,
    RecordForm,
    RsvpForm,
    ScheduleForm,
    SeriesForm,
    TrendFilterForm,
    UploadWindowForm,
)
from .models import (
    ActionItem,
    CaseStudy,
    Meeting,
    MeetingRecord,
    MeetingSeries,
    NetworkDate,
    Rsvp,
    StoredFile,
    Topic,
)

FEED_HISTORY = timedelta(days=180)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _meeting_or_404(request, meeting_id) -> Meeting:
    meeting = selectors.meeting_for(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    return meeting


def _series_or_404(request, series_id) -> MeetingSeries:
    return get_object_or_404(permissions.series_visible_to(request.user).select_related("owner"), pk=series_id)


def _record_of(meeting: Meeting) -> MeetingRecord | None:
    record = MeetingRecord.objects.filter(meeting=meeting).first()
    if record is not None:
        record.meeting = meeting  # already loaded with its series
    return record


# --- Calendar ---------------------------------------------------------------------------------

def index(request):
    user = request.user
    return render(request, "meetings/index.html", {
        "upcoming": selectors.upcoming_meetings(user=user)[:20],
        "past": selectors.past_meetings(user=user)[:10],
        "deadlines": selectors.upcoming_dates(kind="deadline")[:10],
        "important_dates": selectors.upcoming_dates(kind="important_date")[:10],
        "series_list": selectors.visible_series(user=user),
        "viewer_tz": selectors.viewer_time_zone(user),
        "can_create_series": permissions.can_create_series(user),
        "can_manage_dates": permissions.can_manage_network_dates(user),
        "can_view_trends": permissions.can_view_trends(user),
        "can_browse_case_studies": permissions.can_browse_case_studies(user),
    })


def past_meetings(request):
    page = Paginator(selectors.past_meetings(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "meetings/past_meetings.html", {"page": page})


def calendar_settings(request):
    preferences = services.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial={"time_zone": preferences.time_zone})
    new_feed_url = None
    action = request.POST.get("action")
    if request.method == "POST":
        if action == "time_zone" and form.is_valid():
            services.set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
            messages.success(request, _("Your time zone is saved."))
            return redirect("meetings:calendar_settings")
        if action == "create_feed":
            raw_token = services.create_calendar_token(user=request.user)
            new_feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[raw_token]))
            preferences.refresh_from_db()
            form = PreferencesForm(initial={"time_zone": preferences.time_zone})
        elif action == "revoke_feed":
            services.revoke_calendar_token(user=request.user)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("meetings:calendar_settings")
    return render(request, "meetings/calendar_settings.html", {
        "form": form, "preferences": preferences, "new_feed_url": new_feed_url,
    })


def calendar_feed(request, token):
    """The personal feed: reached without a session (calendar apps), authorised by the secret."""
    user = services.user_for_calendar_token(token)
    if user is None:
        raise Http404
    domain = request.get_host()
    # Recent history and everything ahead: enough for any calendar app, bounded as years pass.
    meetings = (permissions.meetings_visible_to(user).filter(starts_at__gte=timezone.now() - FEED_HISTORY)
                .select_related("series").order_by("starts_at"))
    events = [ical.meeting_event(m, url=request.build_absolute_uri(reverse("meetings:meeting_detail", args=[m.pk])),
                                 domain=domain) for m in meetings]
    dates = NetworkDate.objects.filter(date__gte=timezone.localdate() - FEED_HISTORY).order_by("date")
    events += [ical.date_event(d, domain=domain) for d in dates]
    response = HttpResponse(ical.calendar(events, name=_("SIC Community meetings")),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_ics(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    url = request.build_absolute_uri(reverse("meetings:meeting_detail", args=[meeting.pk]))
    body = ical.calendar([ical.meeting_event(meeting, url=url, domain=request.get_host())], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Network dates ----------------------------------------------------------------------------

def network_date_edit(request, date_id=None):
    permissions.check_manage_network_dates(request.user)
    instance = get_object_or_404(NetworkDate, pk=date_id) if date_id else None
    form = NetworkDateForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_network_date(actor=request.user, network_date=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("meetings:index")
    return render(request, "meetings/network_date_form.html", {"form": form, "network_date": instance})


@require_POST
def network_date_delete(request, date_id):
    network_date = get_object_or_404(NetworkDate, pk=date_id)
    services.delete_network_date(actor=request.user, network_date=network_date)
    messages.success(request, _("Removed."))
    return redirect("meetings:index")


# --- Series -----------------------------------------------------------------------------------

def series_edit(request, series_id=None):
    if series_id is None:
        permissions.check_create_series(request.user)
        series = MeetingSeries()
        initial = {}
    else:
        series = _series_or_404(request, series_id)
        permissions.check_manage_series(request.user, series)
        initial = {"audience_roles": services.audience_roles_of(series)}
    form = SeriesForm(request.POST or None, instance=series, initial=initial)
    if request.method == "POST" and form.is_valid():
        series = services.save_series(actor=request.user, series=form.save(commit=False),
                                      audience_roles=form.cleaned_data["audience_roles"],
                                      audience_services=form.cleaned_data["audience_services"])
        messages.success(request, _("Series saved."))
        return redirect("meetings:series_detail", series.pk)
    return render(request, "meetings/series_form.html", {"form": form, "series": series if series.pk else None})


def series_detail(request, series_id):
    series = _series_or_404(request, series_id)
    can_manage = permissions.can_manage_series(request.user, series)
    schedule_form = ScheduleForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        permissions.check_manage_series(request.user, series)
        if schedule_form.is_valid():
            try:
                created = services.schedule_meetings(actor=request.user, series=series, **schedule_form.cleaned_data)
            except ValidationError as error:
                schedule_form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("%(count)s meetings scheduled.") % {"count": len(created)})
                return redirect("meetings:series_detail", series.pk)
    return render(request, "meetings/series_detail.html", {
        "series": series,
        "audience_roles": [Role(name).label for name in services.audience_roles_of(series) if name in Role.values],
        "audience_services": list(series.audience_services.all()),
        "upcoming": selectors.series_meetings(series=series, upcoming=True)[:20],
        "past": selectors.series_meetings(series=series, upcoming=False)[:20],
        "can_manage": can_manage,
        "can_manage_organisers": permissions.can_manage_organisers(request.user, series),
        "schedule_form": schedule_form,
        "viewer_tz": selectors.viewer_time_zone(request.user),
    })


def series_organisers(request, series_id):
    series = _series_or_404(request, series_id)
    permissions.check_manage_organisers(request.user, series)
    form = OrganiserForm(request.POST or None, candidates=selectors.organiser_candidates(series=series))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.add_organiser(actor=request.user, series=series, person=person)
        except ValidationError as error:
            form.add_error("person", _error_text(error))
        else:
            messages.success(request, _("%(name)s now organises this series.") % {"name": person.display_name})
            return redirect("meetings:series_organisers", series.pk)
    return render(request, "meetings/series_organisers.html", {
        "series": series, "form": form, "co_organisers": selectors.co_organisers(series=series),
    })


@require_POST
def series_organiser_remove(request, series_id, user_id):
    series = _series_or_404(request, series_id)
    permissions.check_manage_organisers(request.user, series)
    person = get_object_or_404(selectors.co_organisers(series=series), pk=user_id)
    services.remove_organiser(actor=request.user, series=series, person=person)
    messages.success(request, _("%(name)s no longer organises this series.") % {"name": person.display_name})
    return redirect("meetings:series_organisers", series.pk)


# --- Meetings ---------------------------------------------------------------------------------

def meeting_edit(request, series_id=None, meeting_id=None):
    if meeting_id is not None:
        meeting = _meeting_or_404(request, meeting_id)
        series = meeting.series
    else:
        series = _series_or_404(request, series_id)
        meeting = Meeting(series=series, title=series.title, time_zone=series.time_zone,
                          join_url=series.default_join_url)
    permissions.check_manage_series(request.user, series)
    initial = {} if meeting.pk else {"duration_minutes": series.duration_minutes}
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.save_meeting(actor=request.user, meeting=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("meetings:meeting_detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "series": series, "meeting": meeting})


@require_POST
def meeting_cancel(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    if services.cancel_meeting(actor=request.user, meeting=meeting):
        messages.success(request, _("The meeting is cancelled and its audience told."))
    return redirect("meetings:meeting_detail", meeting.pk)


def meeting_detail(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    user = request.user
    can_manage = permissions.can_manage_series(user, meeting.series)
    response = selectors.rsvp_of(user=user, meeting=meeting)
    record = _record_of(meeting)
    issues = list(selectors.issues_for_meeting(meeting=meeting))
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting,
        "issues": issues,
        "agenda_issues": [issue for issue in issues if issue.agenda_position],
        "other_issues": [issue for issue in issues if not issue.agenda_position],
        "rsvp_form": RsvpForm(initial={"response": response}),
        "rsvp_label": Rsvp.Response(response).label if response else None,
        "can_respond": permissions.can_respond_to_meeting(user, meeting),
        "can_manage": can_manage,
        "rsvp_counts": selectors.rsvp_counts(meeting=meeting) if can_manage else None,
        "record": record if record and permissions.can_view_record(user, record) else None,
        "viewer_tz": selectors.viewer_time_zone(user),
    })


@require_POST
def meeting_rsvp(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    form = RsvpForm(request.POST)
    if form.is_valid():
        services.respond_to_meeting(actor=request.user, meeting=meeting, response=form.cleaned_data["response"])
        messages.success(request, _("Thank you, your answer is saved."))
    else:
        messages.error(request, _("Please choose whether you will attend."))
    return redirect("meetings:meeting_detail", meeting.pk)


def meeting_attendees(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    permissions.check_manage_series(request.user, meeting.series)
    return render(request, "meetings/attendees.html", {
        "meeting": meeting, "rsvps": selectors.rsvps_for(meeting=meeting),
        "counts": selectors.rsvp_counts(meeting=meeting),
    })


def emerging_issue_new(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    permissions.check_submit_emerging_issue(request.user, meeting)
    country = request.user.approved_membership.organisation.country
    form = EmergingIssueForm(request.POST or None, initial={"country": country})
    if request.method == "POST" and form.is_valid():
        services.submit_emerging_issue(actor=request.user, meeting=meeting, issue=form.save(commit=False),
                                       topics=form.cleaned_data["topics"])
        messages.success(request, _("Thank you: the organisers will see your emerging issue."))
        return redirect("meetings:meeting_detail", meeting.pk)
    return render(request, "meetings/emerging_issue_form.html", {"form": form, "meeting": meeting})


def meeting_agenda(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    permissions.check_manage_series(request.user, meeting.series)
    form = AgendaForm(request.POST or None, issues=selectors.issues_for_meeting(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        services.order_agenda(actor=request.user, meeting=meeting, positions=form.positions())
        messages.success(request, _("Agenda order saved."))
        return redirect("meetings:meeting_detail", meeting.pk)
    return render(request, "meetings/agenda_form.html", {"form": form, "meeting": meeting})


# --- Records ----------------------------------------------------------------------------------

def record_detail(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    record = _record_of(meeting)
    if record is None:
        raise Http404
    permissions.check_view_record(request.user, record)
    can_manage = permissions.can_manage_series(request.user, meeting.series)
    return render(request, "meetings/record_detail.html", {
        "meeting": meeting, "record": record, "can_manage": can_manage,
        "action_form": ActionItemForm(audience=permissions.audience_of(meeting.series)) if can_manage else None,
        "viewer_tz": selectors.viewer_time_zone(request.user),
        **selectors.record_details(record=record, user=request.user),
    })


def record_edit(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    record = services.record_for_editing(actor=request.user, meeting=meeting)
    audience = permissions.audience_of(meeting.series).order_by("display_name")
    case_studies = permissions.case_studies_visible_to(request.user).filter(moderation_state="approved")
    initial = {}
    if record.pk is None or not record.attendees.exists():
        # A first guess at attendance: those who said they would come.
        initial["attendees"] = list(meeting.rsvps.filter(response="attending").values_list("user_id", flat=True))
    form = RecordForm(request.POST or None, request.FILES or None, instance=record, audience=audience,
                      issues=meeting.emerging_issues.all(), case_studies=case_studies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_record(actor=request.user, record=form.save(commit=False),
                                 attendees=form.cleaned_data["attendees"],
                                 emerging_issues=form.cleaned_data["emerging_issues"],
                                 case_studies=form.cleaned_data["case_studies"],
                                 documents=form.cleaned_data["document"])
        except ValidationError as error:
            form.add_error("document", _error_text(error))
        else:
            messages.success(request, _("Record saved."))
            return redirect("meetings:record_detail", meeting.pk)
    return render(request, "meetings/record_form.html", {"form": form, "meeting": meeting, "record": record})


@require_POST
def record_publish(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    # Organisers first: whether a draft exists is theirs to know.
    permissions.check_manage_series(request.user, meeting.series)
    record = _record_of(meeting)
    if record is None:
        raise Http404
    try:
        if services.publish_record(actor=request.user, record=record):
            messages.success(request, _("Published: the audience of the series is told."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("meetings:record_detail", meeting.pk)


@require_POST
def action_item_add(request, meeting_id):
    meeting = _meeting_or_404(request, meeting_id)
    permissions.check_manage_series(request.user, meeting.series)
    record = _record_of(meeting)
    if record is None:
        raise Http404
    form = ActionItemForm(request.POST, audience=permissions.audience_of(meeting.series))
    if form.is_valid():
        services.add_action_item(actor=request.user, record=record, **form.cleaned_data)
        messages.success(request, _("Action added."))
    else:
        messages.error(request, _("Please describe the action; the owner and due date are optional."))
    return redirect("meetings:record_detail", meeting.pk)


@require_POST
def action_item_done(request, meeting_id, item_id):
    meeting = _meeting_or_404(request, meeting_id)
    item = get_object_or_404(ActionItem.objects.select_related("record__meeting__series"), pk=item_id,
                             record__meeting=meeting)
    permissions.check_view_record(request.user, item.record)
    services.set_action_item_done(actor=request.user, item=item, done=request.POST.get("done") == "1")
    return redirect("meetings:record_detail", meeting.pk)


# --- Files ------------------------------------------------------------------------------------

def download_file(request, public_id):
    stored_file = get_object_or_404(StoredFile.objects.select_related("record__meeting__series", "case_study"),
                                    public_id=public_id)
    services.record_download(user=request.user, stored_file=stored_file)
    try:
        handle = open(files.private_path(stored_file.stored_name), "rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=stored_file.original_name,
                            content_type=stored_file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def record_file_remove(request, meeting_id, public_id):
    meeting = _meeting_or_404(request, meeting_id)
    permissions.check_manage_series(request.user, meeting.series)
    stored_file = get_object_or_404(StoredFile.objects.select_related("record__meeting__series"),
                                    public_id=public_id, record__meeting=meeting)
    services.remove_record_file(actor=request.user, stored_file=stored_file)
    messages.success(request, _("File removed."))
    return redirect("meetings:record_edit", meeting.pk)


# --- Trends -----------------------------------------------------------------------------------

def _trend_table(request):
    permissions.check_view_trends(request.user)
    form = TrendFilterForm(request.GET or None, series=selectors.visible_series(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    table = selectors.trend_table(user=request.user, country=filters.get("country"), series=filters.get("series"),
                                  include_case_studies=filters.get("include") != "issues")
    return form, table


def trends(request):
    form, table = _trend_table(request)
    return render(request, "meetings/trends.html", {
        "form": form, "table": table, "chart": charts.heat_grid(table),
        "quarter_labels": [table.quarter_label(q) for q in table.quarters],
        "csv_query": request.GET.urlencode(),
    })


def trends_csv(request):
    _form, table = _trend_table(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="emerging-issues-trends.csv"'
    writer = csv.writer(response)
    writer.writerow(["quarter", "topic", "emerging_issues", "case_studies", "total"])
    for topic, cells in table.rows:
        for quarter, issues, case_studies, total in cells:
            writer.writerow([table.quarter_label(quarter), topic.name, issues, case_studies, total])
    return response


# --- Case studies -----------------------------------------------------------------------------

def case_study_list(request):
    permissions.check_browse_case_studies(request.user)
    topic = request.GET.get("topic", "")
    query = request.GET.get("q", "").strip()
    studies = selectors.case_studies_for(user=request.user, topic=topic, query=query)
    page = Paginator(studies, 20).get_page(request.GET.get("page"))
    return render(request, "meetings/case_study_list.html", {
        "page": page, "topics": Topic.objects.all(), "topic": topic, "q": query,
        "can_submit": permissions.can_submit_case_study(request.user),
        "can_review": permissions.can_review_case_studies(request.user),
        "window": services.upload_window(),
    })


def case_study_new(request):
    permissions.check_submit_case_study(request.user)
    window = services.upload_window()
    if not window.accepts_uploads:
        return render(request, "meetings/case_study_closed.html", {"window": window})
    form = CaseStudyForm(request.POST or None, request.FILES or None,
                         meetings=selectors.meetings_to_link_case_studies_to(user=request.user))
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        existing = services.find_submitted_case_study(author=request.user, submission_token=token) \
            if _is_uuid(token) else None
        if existing is not None:
            # A browser retry of a form that already went through: show what was stored.
            return redirect("meetings:case_study_detail", existing.pk)
        if form.is_valid():
            try:
                case_study, _created = services.submit_case_study(
                    actor=request.user, case_study=form.save(commit=False), topics=form.cleaned_data["topics"],
                    attachments=form.cleaned_data["attachments"],
                    submission_token=form.cleaned_data["submission_token"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Thank you. A network coordinator will review your case study before "
                                            "the network sees it."))
                return redirect("meetings:case_study_detail", case_study.pk)
    return render(request, "meetings/case_study_form.html", {"form": form})


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError):
        return False
    return True


def case_study_detail(request, case_study_id):
    case_study = selectors.case_study_for(user=request.user, case_study_id=case_study_id)
    if case_study is None:
        raise Http404
    return render(request, "meetings/case_study_detail.html", {
        "case_study": case_study,
        # Hotline staff may read a case presented at a helpline meeting they are not invited to.
        "presented_at": case_study.meeting if case_study.meeting_id and permissions.can_view_series(
            request.user, case_study.meeting.series) else None,
        "can_review": permissions.can_review_case_studies(request.user),
        "decision_form": CaseStudyDecisionForm() if permissions.can_review_case_studies(request.user) else None,
    })


def case_study_review(request):
    permissions.check_review_case_studies(request.user)
    return render(request, "meetings/case_study_review.html", {
        "pending": selectors.pending_case_studies(),
    })


@require_POST
def case_study_decide(request, case_study_id):
    permissions.check_review_case_studies(request.user)
    case_study = get_object_or_404(CaseStudy, pk=case_study_id)
    form = CaseStudyDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_case_study(actor=request.user, case_study=case_study,
                                       approve=form.cleaned_data["decision"] == "approve",
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Decision saved and the author told."))
    else:
        messages.error(request, _("Please choose a decision."))
    return redirect("meetings:case_study_review")


def upload_window_edit(request):
    permissions.check_manage_upload_window(request.user)
    window = services.upload_window()
    form = UploadWindowForm(request.POST or None, initial={"is_open": window.is_open,
                                                           "closes_on": window.closes_on,
                                                           "closed_message": window.closed_message})
    if request.method == "POST" and form.is_valid():
        services.set_upload_window(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Case study uploads are now open.") if form.cleaned_data["is_open"]
                         else _("Case study uploads are now closed."))
        return redirect("meetings:case_study_list")
    return render(request, "meetings/upload_window_form.html", {"form": form, "window": window})

