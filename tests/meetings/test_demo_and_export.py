"""Demo data loads twice without duplicates; the personal-data export carries this app's rows."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from community.export import personal_data_of
from meetings import services
from meetings.models import CaseStudy, EmergingIssue, Meeting, MeetingRecord, MeetingSeries, NetworkDate, Topic


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    models = (MeetingSeries, Meeting, NetworkDate, MeetingRecord, CaseStudy, EmergingIssue)
    counts = [model._default_manager.count() for model in models]
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == [model._default_manager.count() for model in models]

    assert MeetingSeries.objects.count() == 3
    record = MeetingRecord.objects.get()
    assert record.is_published and record.meeting.is_past and record.case_studies.exists()
    now = timezone.now()
    helpline = MeetingSeries.objects.get(title="Helpline early-warning meeting").meetings.filter(starts_at__gt=now)
    friday = helpline.first()
    assert (friday.local_start.weekday(), friday.local_start.hour) == (4, 11)
    awareness = MeetingSeries.objects.get(title="Awareness early-warning meeting").meetings.filter(starts_at__gt=now)
    wednesday = awareness.first()
    assert (wednesday.local_start.weekday(), wednesday.local_start.hour) == (2, 14)
    assert NetworkDate.objects.filter(title="Safer Internet Day").exists()
    assert set(CaseStudy.all_objects.values_list("moderation_state", flat=True)) == {"approved", "pending"}


@pytest.mark.django_db
def test_demo_people_see_their_own_meetings_and_the_trends(client, settings):
    from community.models import User

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    pages = {}
    for email in ("helpline@demo.sic.community", "awareness@demo.sic.community"):
        client.force_login(User.objects.get(email=email))
        pages[email] = (client.get(reverse("meetings:index")).content.decode(),
                        client.get(reverse("meetings:trends")).content.decode())
    helpline_index, helpline_trends = pages["helpline@demo.sic.community"]
    awareness_index, awareness_trends = pages["awareness@demo.sic.community"]
    assert "Helpline early-warning meeting" in helpline_index and "Awareness early-warning" not in helpline_index
    assert "Awareness early-warning meeting" in awareness_index and "Helpline early-warning" not in awareness_index
    assert "Sextortion" in helpline_trends and "Excessive" in awareness_trends


@pytest.mark.django_db
def test_the_personal_data_export_includes_rsvps_issues_and_case_studies(member, network_coordinator,
                                                                        helpline_meeting):
    services.respond_to_meeting(actor=member, meeting=helpline_meeting, response="maybe")
    services.set_upload_window(actor=network_coordinator, is_open=True)
    services.submit_case_study(
        actor=member, case_study=CaseStudy(title="Mine", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat"),
        topics=Topic.objects.filter(slug="grooming"), attachments=[], submission_token=uuid.uuid4())
    section = personal_data_of(member)["meetings"]
    assert section["rsvps"][0]["response"] == "maybe"
    assert section["case_studies"][0]["title"] == "Mine"
    assert personal_data_of(network_coordinator)["meetings"]["case_studies"] == []


@pytest.mark.django_db
def test_cancelling_a_meeting_tells_its_audience(member, network_coordinator, helpline_meeting):
    from notifications.models import Notification

    assert services.cancel_meeting(actor=network_coordinator, meeting=helpline_meeting)
    assert not services.cancel_meeting(actor=network_coordinator, meeting=helpline_meeting)
    assert Notification.objects.filter(recipient=member, kind="meeting_cancelled").count() == 1


@pytest.mark.django_db
def test_an_added_organiser_may_manage_the_series_but_others_may_not(member, org_admin, network_coordinator,
                                                                     helpline_series):
    from django.core.exceptions import PermissionDenied

    from meetings import permissions

    with pytest.raises(PermissionDenied):
        services.add_organiser(actor=member, series=helpline_series, person=member)
    services.add_organiser(actor=network_coordinator, series=helpline_series, person=org_admin)
    assert permissions.can_manage_series(org_admin, helpline_series)
    assert not permissions.can_manage_series(member, helpline_series)


@pytest.mark.django_db
def test_erasing_an_adult_keeps_their_emerging_issue_as_former_member_and_drops_the_rest(
        client, member, network_coordinator, helpline_meeting):
    from community.erasure import erase_member
    from meetings.models import EmergingIssue, MeetingPreferences, Rsvp

    services.respond_to_meeting(actor=member, meeting=helpline_meeting, response="attending")
    services.set_time_zone(user=member, time_zone="Europe/Athens")
    token = services.create_calendar_token(user=member)
    issue = services.submit_emerging_issue(
        actor=member, meeting=helpline_meeting, topics=Topic.objects.filter(slug="grooming"),
        issue=EmergingIssue(title="Grooming in game chats", description_source="Seen twice.",
                            country=member.approved_membership.organisation.country))

    assert erase_member(actor=network_coordinator, user=member)
    issue.refresh_from_db()
    assert issue.author_name == "Former member"
    assert not Rsvp.objects.filter(user=member).exists()
    assert not MeetingPreferences.objects.filter(user=member).exists()
    assert client.get(reverse("meetings:calendar_feed", args=[token])).status_code == 404


@pytest.mark.django_db
def test_erasing_a_minor_deletes_their_emerging_issues(youth_panellist, network_coordinator):
    from community.erasure import erase_member
    from community.models import Service
    from meetings.models import EmergingIssue

    from .conftest import make_meeting

    series = services.save_series(actor=network_coordinator, series=MeetingSeries(title="Youth webinar"),
                                  audience_roles=[], audience_services=Service.objects.filter(code="youth"))
    meeting = make_meeting(series, actor=network_coordinator)
    services.submit_emerging_issue(
        actor=youth_panellist, meeting=meeting, topics=Topic.objects.filter(slug="cyberbullying"),
        issue=EmergingIssue(title="Mean group chats", description_source="In my class.",
                            country=youth_panellist.approved_membership.organisation.country))

    assert erase_member(actor=network_coordinator, user=youth_panellist)
    assert not EmergingIssue.objects.filter(title="Mean group chats").exists()
