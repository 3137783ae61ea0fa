"""Demo data loads twice without duplicates; the personal-data export carries this app's rows."""

import io
import uuid

import pytest
from django.core.management import call_command

from community.export import personal_data_of
from meetings import services
from meetings.demo import load_demo
from meetings.models import CaseStudy, Meeting, MeetingRecord, MeetingSeries, NetworkDate, Topic


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    load_demo()
    counts = (MeetingSeries.objects.count(), Meeting.objects.count(), NetworkDate.objects.count(),
              MeetingRecord.objects.count())
    load_demo()
    assert counts == (MeetingSeries.objects.count(), Meeting.objects.count(), NetworkDate.objects.count(),
                      MeetingRecord.objects.count())
    assert counts[0] == 2 and counts[3] == 1
    assert MeetingRecord.objects.get().is_published
    friday = MeetingSeries.objects.get(title="Helpline early-warning meeting").meetings.exclude(
        title__contains="demo record").first()
    assert (friday.local_start.weekday(), friday.local_start.hour) == (4, 11)
    assert NetworkDate.objects.filter(title="Safer Internet Day").exists()


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
