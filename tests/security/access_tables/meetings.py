"""Meetings pages: who may reach what.

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).

The world: the GR roles member and org_admin work in the helpline service, so do the BE moderator
and network coordinator; the youth panellist and the youth coordinator work in the youth service.
- "helpline": an upcoming helpline early-warning meeting (audience: the helpline service);
- "awareness": an awareness early-warning meeting (audience: the awareness service: nobody of
  the world but the network coordinators, who open every series);
- "youth": a youth coordinators' meeting (audience: the youth coordinator role): a foreign
  audience for the helpline staff;
- "published"/"draft": past helpline meetings with a published and a draft record;
- "owned": a helpline series owned by the GR org_admin, with the GR member and a colleague as
  co-organisers;
- case studies: approved ones of the viewer's organisation (GR) and of another one (IE), a
  pending one and a hotline-only one.
Policy: a series, meeting, record, case study or file the viewer may not see answers 404,
whatever the URL (pages, .ics, files, record actions). A page or action of a role the viewer
does not have (organising, coordinating, trends for helpline and awareness staff) answers 403.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from community.models import Role, Service
from meetings import files, services
from meetings.models import CaseStudy, Meeting, MeetingRecord, MeetingSeries, NetworkDate, Topic
from tests.meetings.samples import png_bytes, upload


def _series(coordinator, title, *, roles=(), service_codes=()):
    series = MeetingSeries(title=title, time_zone="Europe/Brussels")
    return services.save_series(actor=coordinator, series=series, audience_roles=list(roles),
                                audience_services=Service.objects.filter(code__in=service_codes))


def _meeting(series, coordinator, *, days):
    starts_at = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return services.save_meeting(actor=coordinator, meeting=Meeting(
        series=series, title=series.title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
        time_zone=series.time_zone, join_url="https://meet.example.org/room"))


def _record(meeting, coordinator, *, publish):
    record = services.save_record(
        actor=coordinator, record=MeetingRecord(meeting=meeting, report_source="What we discussed."),
        documents=[files.check_and_clean(upload("report.png", png_bytes()))])
    if publish:
        services.publish_record(actor=coordinator, record=record)
    return record


def _case_study(author, coordinator, title, *, approve, hotline_only=False):
    case_study, _created = services.submit_case_study(
        actor=author, case_study=CaseStudy(title=title, summary="A summary", narrative_source="What happened.",
                                           age_band=CaseStudy.AgeBand.AGE_13_15,
                                           contact_channel=CaseStudy.Channel.CHAT, hotline_only=hotline_only),
        topics=Topic.objects.all()[:1], attachments=[files.check_and_clean(upload("notes.png", png_bytes()))],
        submission_token=uuid.uuid4())
    if approve:
        services.decide_case_study(actor=coordinator, case_study=case_study, approve=True)
    return case_study


def extend(world, request):
    coordinator = world.users["network_coordinator"]
    helpline = _series(coordinator, "Helpline early-warning meeting", service_codes=[Service.HELPLINE])
    awareness = _series(coordinator, "Awareness early-warning meeting", service_codes=[Service.AWARENESS])
    youth = _series(coordinator, "Youth coordinators meeting", roles=[Role.YOUTH_COORDINATOR])
    world.meetings_series = {"helpline": helpline, "awareness": awareness, "youth": youth}
    world.meetings_meeting = {name: _meeting(series, coordinator, days=3) for name, series in
                              world.meetings_series.items()}
    world.meetings_meeting["published"] = _meeting(helpline, coordinator, days=-7)
    # Owned by the GR organisation admin, organised with the GR member and the colleague.
    owned = services.save_series(actor=coordinator, series=MeetingSeries(
        title="Helpline case clinic", time_zone="Europe/Brussels", owner=world.users["org_admin"]),
        audience_roles=[], audience_services=Service.objects.filter(code=Service.HELPLINE))
    for co_organiser in (world.users["member"], world.colleague):
        services.add_organiser(actor=coordinator, series=owned, person=co_organiser)
    world.meetings_series["owned"] = owned
    world.meetings_meeting["draft"] = _meeting(helpline, coordinator, days=-14)
    world.meetings_meeting["youth_published"] = _meeting(youth, coordinator, days=-7)
    world.meetings_record = {
        "published": _record(world.meetings_meeting["published"], coordinator, publish=True),
        "draft": _record(world.meetings_meeting["draft"], coordinator, publish=False),
        "youth_published": _record(world.meetings_meeting["youth_published"], coordinator, publish=True),
    }
    world.meetings_action_item = services.add_action_item(
        actor=coordinator, record=world.meetings_record["published"], description="Share the leaflet",
        owner=world.colleague)
    world.meetings_network_date = services.save_network_date(actor=coordinator, network_date=NetworkDate(
        kind=NetworkDate.Kind.DEADLINE, title="Reporting deadline", date=timezone.localdate() + timedelta(days=9)))

    services.set_upload_window(actor=coordinator, is_open=True)
    world.meetings_case_study = {
        "own_org": _case_study(world.colleague, coordinator, "Own organisation's case", approve=True),
        "other_org": _case_study(world.other_member, coordinator, "Other organisation's case", approve=True),
        "pending": _case_study(world.colleague, coordinator, "Pending case", approve=False),
        "hotline_only": _case_study(world.colleague, coordinator, "Hotline case", approve=True, hotline_only=True),
    }

    world.meetings_feed_token = services.create_calendar_token(user=world.colleague)
    world.meetings_revoked_token = services.create_calendar_token(user=world.other_member)
    services.revoke_calendar_token(user=world.other_member)


def _meeting_kwargs(variant):
    return lambda w, u: {"meeting_id": w.meetings_meeting[variant].pk}


def _series_kwargs(variant):
    return lambda w, u: {"series_id": w.meetings_series[variant].pk}


def _case_study_kwargs(variant):
    return lambda w, u: {"case_study_id": w.meetings_case_study[variant].pk}


def _record_file_kwargs(variant):
    return lambda w, u: {"public_id": w.meetings_record[variant].files.get().public_id}


def _case_study_file_kwargs(variant):
    return lambda w, u: {"public_id": w.meetings_case_study[variant].files.get().public_id}


def _record_file_of_meeting_kwargs(variant):
    return lambda w, u: {"meeting_id": w.meetings_meeting[variant].pk,
                         "public_id": w.meetings_record[variant].files.get().public_id}


UPCOMING = ("helpline", "awareness", "youth")
RECORDS = ("published", "draft", "youth_published")
CASE_STUDIES = ("own_org", "other_org", "pending", "hotline_only")

TARGETS = {
    "meetings:index": {"GET": {"": lambda w, u: {}}},
    "meetings:past_meetings": {"GET": {"": lambda w, u: {}}},
    "meetings:calendar_settings": {"GET": {"": lambda w, u: {}}},
    "meetings:calendar_feed": {"GET": {
        "valid": lambda w, u: {"token": w.meetings_feed_token},
        "revoked": lambda w, u: {"token": w.meetings_revoked_token},
        "invalid": lambda w, u: {"token": "not-a-real-token"},
    }},
    "meetings:network_date_new": {"GET": {"": lambda w, u: {}}},
    "meetings:network_date_edit": {"GET": {"": lambda w, u: {"date_id": w.meetings_network_date.pk}}},
    "meetings:network_date_delete": {"POST": {"": lambda w, u: {"date_id": w.meetings_network_date.pk}}},
    "meetings:series_new": {"GET": {"": lambda w, u: {}}},
    "meetings:series_detail": {"GET": {v: _series_kwargs(v) for v in UPCOMING}},
    "meetings:series_edit": {"GET": {v: _series_kwargs(v) for v in UPCOMING}},
    "meetings:series_organisers": {"GET": {v: _series_kwargs(v) for v in ("owned", *UPCOMING)}},
    "meetings:series_organiser_remove": {"POST": {
        "owned": lambda w, u: {"series_id": w.meetings_series["owned"].pk, "user_id": w.colleague.pk},
        "owner": lambda w, u: {"series_id": w.meetings_series["owned"].pk,
                               "user_id": w.meetings_series["owned"].owner_id},
    }},
    "meetings:meeting_new": {"GET": {v: _series_kwargs(v) for v in UPCOMING}},
    "meetings:meeting_detail": {"GET": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:meeting_edit": {"GET": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:meeting_cancel": {"POST": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:meeting_rsvp": {"POST": {v: _meeting_kwargs(v) for v in (*UPCOMING, "published")}},
    "meetings:meeting_attendees": {"GET": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:meeting_ics": {"GET": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:emerging_issue_new": {"GET": {v: _meeting_kwargs(v) for v in (*UPCOMING, "published")}},
    "meetings:meeting_agenda": {"GET": {v: _meeting_kwargs(v) for v in UPCOMING}},
    "meetings:record_detail": {"GET": {v: _meeting_kwargs(v) for v in (*RECORDS, "helpline")}},
    "meetings:record_edit": {"GET": {v: _meeting_kwargs(v) for v in RECORDS}},
    "meetings:record_publish": {"POST": {v: _meeting_kwargs(v) for v in RECORDS}},
    "meetings:action_item_add": {"POST": {v: _meeting_kwargs(v) for v in RECORDS}},
    "meetings:action_item_done": {"POST": {"published": lambda w, u: {
        "meeting_id": w.meetings_meeting["published"].pk, "item_id": w.meetings_action_item.pk}}},
    "meetings:record_file_remove": {"POST": {v: _record_file_of_meeting_kwargs(v) for v in RECORDS}},
    "meetings:download_file": {"GET": {
        **{f"record_{v}": _record_file_kwargs(v) for v in RECORDS},
        **{f"case_study_{v}": _case_study_file_kwargs(v) for v in CASE_STUDIES},
    }},
    "meetings:trends": {"GET": {"": lambda w, u: {}}},
    "meetings:trends_csv": {"GET": {"": lambda w, u: {}}},
    "meetings:case_study_list": {"GET": {"": lambda w, u: {}}},
    "meetings:case_study_new": {"GET": {"": lambda w, u: {}}},
    "meetings:case_study_review": {"GET": {"": lambda w, u: {}}},
    "meetings:upload_window": {"GET": {"": lambda w, u: {}}},
    "meetings:case_study_detail": {"GET": {v: _case_study_kwargs(v) for v in CASE_STUDIES}},
    "meetings:case_study_decide": {"POST": {v: _case_study_kwargs(v) for v in CASE_STUDIES}},
}

POST_DATA = {
    "meetings:meeting_rsvp": {"response": "attending"},
    "meetings:action_item_add": {"description": "Send the figures"},
    "meetings:action_item_done": {"done": "1"},
    "meetings:case_study_decide": {"decision": "approve"},
}

#                                                                     anon  pend memb oadm yth  ycoo mod  netco
EXPECTED = {
    ("meetings:index", "GET", ""):                                    "login wait 200 200 200 200 200 200",
    ("meetings:past_meetings", "GET", ""):                            "login wait 200 200 200 200 200 200",
    ("meetings:calendar_settings", "GET", ""):                        "login wait 200 200 200 200 200 200",
    # The secret authorises a feed, not the session: calendar apps fetch it signed out.
    ("meetings:calendar_feed", "GET", "valid"):                       "200 200 200 200 200 200 200 200",
    # A stopped or replaced address is gone for everyone.
    ("meetings:calendar_feed", "GET", "revoked"):                     "404 404 404 404 404 404 404 404",
    ("meetings:calendar_feed", "GET", "invalid"):                     "404 404 404 404 404 404 404 404",
    # Network dates, series and case-study review are the coordination team's work: 403.
    ("meetings:network_date_new", "GET", ""):                         "login wait 403 403 403 403 403 200",
    ("meetings:network_date_edit", "GET", ""):                        "login wait 403 403 403 403 403 200",
    ("meetings:network_date_delete", "POST", ""):                     "login wait 403 403 403 403 403 302",
    ("meetings:series_new", "GET", ""):                               "login wait 403 403 403 403 403 200",
    # Helpline staff (GR member/admin, BE moderator) are the helpline series' audience; the
    # youth roles are not. Awareness: nobody of this world but the coordinators, who open every series.
    ("meetings:series_detail", "GET", "helpline"):                    "login wait 200 200 404 404 200 200",
    ("meetings:series_detail", "GET", "awareness"):                   "login wait 404 404 404 404 404 200",
    ("meetings:series_detail", "GET", "youth"):                       "login wait 404 404 404 200 404 200",
    # A series the viewer sees but does not organise: 403; one they may not see: 404.
    ("meetings:series_edit", "GET", "helpline"):                      "login wait 403 403 404 404 403 200",
    ("meetings:series_edit", "GET", "awareness"):                     "login wait 404 404 404 404 404 200",
    ("meetings:series_edit", "GET", "youth"):                         "login wait 404 404 404 403 404 200",
    # Choosing co-organisers is for the series' owner and the coordinators: a co-organiser (the GR
    # member on "owned") gets 403 like the rest of the audience; those outside the audience 404.
    ("meetings:series_organisers", "GET", "owned"):                   "login wait 403 200 404 404 403 200",
    ("meetings:series_organisers", "GET", "helpline"):                "login wait 403 403 404 404 403 200",
    ("meetings:series_organisers", "GET", "awareness"):               "login wait 404 404 404 404 404 200",
    ("meetings:series_organisers", "GET", "youth"):                   "login wait 404 404 404 403 404 200",
    ("meetings:series_organiser_remove", "POST", "owned"):            "login wait 403 302 404 404 403 302",
    # The owner is not a co-organiser: there is nothing to remove (404) for those allowed.
    ("meetings:series_organiser_remove", "POST", "owner"):            "login wait 403 404 404 404 403 404",
    ("meetings:meeting_new", "GET", "helpline"):                      "login wait 403 403 404 404 403 200",
    ("meetings:meeting_new", "GET", "awareness"):                     "login wait 404 404 404 404 404 200",
    ("meetings:meeting_new", "GET", "youth"):                         "login wait 404 404 404 403 404 200",
    ("meetings:meeting_detail", "GET", "helpline"):                   "login wait 200 200 404 404 200 200",
    ("meetings:meeting_detail", "GET", "awareness"):                  "login wait 404 404 404 404 404 200",
    ("meetings:meeting_detail", "GET", "youth"):                      "login wait 404 404 404 200 404 200",
    ("meetings:meeting_edit", "GET", "helpline"):                     "login wait 403 403 404 404 403 200",
    ("meetings:meeting_edit", "GET", "awareness"):                    "login wait 404 404 404 404 404 200",
    ("meetings:meeting_edit", "GET", "youth"):                        "login wait 404 404 404 403 404 200",
    ("meetings:meeting_cancel", "POST", "helpline"):                  "login wait 403 403 404 404 403 302",
    ("meetings:meeting_cancel", "POST", "awareness"):                 "login wait 404 404 404 404 404 302",
    ("meetings:meeting_cancel", "POST", "youth"):                     "login wait 404 404 404 403 404 302",
    ("meetings:meeting_rsvp", "POST", "helpline"):                    "login wait 302 302 404 404 302 302",
    ("meetings:meeting_rsvp", "POST", "awareness"):                   "login wait 404 404 404 404 404 302",
    ("meetings:meeting_rsvp", "POST", "youth"):                       "login wait 404 404 404 302 404 302",
    # A past meeting takes no answers (or emerging issues) any more, even from the coordinators.
    ("meetings:meeting_rsvp", "POST", "published"):                   "login wait 403 403 404 404 403 403",
    ("meetings:meeting_attendees", "GET", "helpline"):                "login wait 403 403 404 404 403 200",
    ("meetings:meeting_attendees", "GET", "awareness"):               "login wait 404 404 404 404 404 200",
    ("meetings:meeting_attendees", "GET", "youth"):                   "login wait 404 404 404 403 404 200",
    ("meetings:meeting_ics", "GET", "helpline"):                      "login wait 200 200 404 404 200 200",
    ("meetings:meeting_ics", "GET", "awareness"):                     "login wait 404 404 404 404 404 200",
    ("meetings:meeting_ics", "GET", "youth"):                         "login wait 404 404 404 200 404 200",
    ("meetings:emerging_issue_new", "GET", "helpline"):               "login wait 200 200 404 404 200 200",
    ("meetings:emerging_issue_new", "GET", "awareness"):              "login wait 404 404 404 404 404 200",
    ("meetings:emerging_issue_new", "GET", "youth"):                  "login wait 404 404 404 200 404 200",
    ("meetings:emerging_issue_new", "GET", "published"):              "login wait 403 403 404 404 403 403",
    ("meetings:meeting_agenda", "GET", "helpline"):                   "login wait 403 403 404 404 403 200",
    ("meetings:meeting_agenda", "GET", "awareness"):                  "login wait 404 404 404 404 404 200",
    ("meetings:meeting_agenda", "GET", "youth"):                      "login wait 404 404 404 403 404 200",
    ("meetings:record_detail", "GET", "published"):                   "login wait 200 200 404 404 200 200",
    # A draft record is the organisers' until published; a meeting without a record has none.
    ("meetings:record_detail", "GET", "draft"):                       "login wait 404 404 404 404 404 200",
    ("meetings:record_detail", "GET", "youth_published"):             "login wait 404 404 404 200 404 200",
    ("meetings:record_detail", "GET", "helpline"):                    "login wait 404 404 404 404 404 404",
    # Writing, publishing and changing records is for organisers: 403 on a meeting the viewer
    # sees, whether it has a record, a draft or none (nothing to learn from the answer).
    ("meetings:record_edit", "GET", "published"):                     "login wait 403 403 404 404 403 200",
    ("meetings:record_edit", "GET", "draft"):                         "login wait 403 403 404 404 403 200",
    ("meetings:record_edit", "GET", "youth_published"):               "login wait 404 404 404 403 404 200",
    ("meetings:record_publish", "POST", "published"):                 "login wait 403 403 404 404 403 302",
    ("meetings:record_publish", "POST", "draft"):                     "login wait 403 403 404 404 403 302",
    ("meetings:record_publish", "POST", "youth_published"):           "login wait 404 404 404 403 404 302",
    ("meetings:action_item_add", "POST", "published"):                "login wait 403 403 404 404 403 302",
    ("meetings:action_item_add", "POST", "draft"):                    "login wait 403 403 404 404 403 302",
    ("meetings:action_item_add", "POST", "youth_published"):          "login wait 404 404 404 403 404 302",
    # The action belongs to the colleague: only they and the organisers tick it.
    ("meetings:action_item_done", "POST", "published"):               "login wait 403 403 404 404 403 302",
    ("meetings:record_file_remove", "POST", "published"):             "login wait 403 403 404 404 403 302",
    ("meetings:record_file_remove", "POST", "draft"):                 "login wait 403 403 404 404 403 302",
    ("meetings:record_file_remove", "POST", "youth_published"):       "login wait 404 404 404 403 404 302",
    # Files follow what they belong to: a published record's audience, an approved case study's
    # readers (helpline staff of every SIC); drafts, pending and hotline-only ones are 404.
    ("meetings:download_file", "GET", "record_published"):            "login wait 200 200 404 404 200 200",
    ("meetings:download_file", "GET", "record_draft"):                "login wait 404 404 404 404 404 200",
    ("meetings:download_file", "GET", "record_youth_published"):      "login wait 404 404 404 200 404 200",
    ("meetings:download_file", "GET", "case_study_own_org"):          "login wait 200 200 404 404 200 200",
    ("meetings:download_file", "GET", "case_study_other_org"):        "login wait 200 200 404 404 200 200",
    ("meetings:download_file", "GET", "case_study_pending"):          "login wait 404 404 404 404 404 200",
    ("meetings:download_file", "GET", "case_study_hotline_only"):     "login wait 404 404 404 404 404 200",
    # Trends are for helpline and awareness staff; the youth roles lack the service: 403.
    ("meetings:trends", "GET", ""):                                   "login wait 200 200 403 403 200 200",
    ("meetings:trends_csv", "GET", ""):                               "login wait 200 200 403 403 200 200",
    # Case studies: helpline (and hotline) staff; the upload window is open in this world.
    ("meetings:case_study_list", "GET", ""):                          "login wait 200 200 403 403 200 200",
    ("meetings:case_study_new", "GET", ""):                           "login wait 200 200 403 403 200 200",
    ("meetings:case_study_review", "GET", ""):                        "login wait 403 403 403 403 403 200",
    ("meetings:upload_window", "GET", ""):                            "login wait 403 403 403 403 403 200",
    # Approved case studies are shared with helplines of all SICs, whatever the organisation;
    # pending ones only with their author and the coordinators; hotline-only ones with hotline staff.
    ("meetings:case_study_detail", "GET", "own_org"):                 "login wait 200 200 404 404 200 200",
    ("meetings:case_study_detail", "GET", "other_org"):               "login wait 200 200 404 404 200 200",
    ("meetings:case_study_detail", "GET", "pending"):                 "login wait 404 404 404 404 404 200",
    ("meetings:case_study_detail", "GET", "hotline_only"):            "login wait 404 404 404 404 404 200",
    # Deciding is the coordinators' (a decided one is left as it is: back to the queue).
    ("meetings:case_study_decide", "POST", "own_org"):                "login wait 403 403 403 403 403 302",
    ("meetings:case_study_decide", "POST", "other_org"):              "login wait 403 403 403 403 403 302",
    ("meetings:case_study_decide", "POST", "pending"):                "login wait 403 403 403 403 403 302",
    ("meetings:case_study_decide", "POST", "hotline_only"):           "login wait 403 403 403 403 403 302",
}
