"""Every meetings page renders for the people it is for (organisers' pages included)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import MeetingRecord, NetworkDate

from .conftest import make_meeting


@pytest.mark.django_db
def test_organiser_pages_render_and_a_record_can_be_written_through_the_form(client_for, network_coordinator,
                                                                            member, helpline_series):
    past = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=1))
    network_date = services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
        kind="deadline", title="Report", date=timezone.localdate() + timedelta(days=3)))
    client = client_for(network_coordinator)
    for name, args in [
        ("meetings:index", []), ("meetings:past_meetings", []), ("meetings:calendar_settings", []),
        ("meetings:series_new", []), ("meetings:series_detail", [helpline_series.pk]),
        ("meetings:series_edit", [helpline_series.pk]), ("meetings:meeting_new", [helpline_series.pk]),
        ("meetings:meeting_detail", [past.pk]), ("meetings:meeting_edit", [past.pk]),
        ("meetings:meeting_agenda", [past.pk]), ("meetings:meeting_attendees", [past.pk]),
        ("meetings:record_edit", [past.pk]), ("meetings:network_date_edit", [network_date.pk]),
        ("meetings:trends", []), ("meetings:case_study_list", []), ("meetings:case_study_review", []),
        ("meetings:upload_window", []), ("meetings:case_study_new", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert not MeetingRecord.objects.exists()  # opening the record form stores nothing
    assert client_for(member).get(reverse("meetings:record_edit", args=[past.pk])).status_code == 403
    client = client_for(network_coordinator)

    response = client.post(reverse("meetings:record_edit", args=[past.pk]), {
        "report_source": "## Summary\n\nGood meeting.", "recording_url": "https://video.example.org/r",
        "recording_available_until": "", "attendees": [member.pk],
    })
    assert response.status_code == 302
    record_page = client.get(reverse("meetings:record_detail", args=[past.pk])).content.decode()
    assert "Good meeting." in record_page and member.display_name in record_page
    client.post(reverse("meetings:action_item_add", args=[past.pk]),
                {"description": "Share the leaflet", "owner": member.pk, "due_on": "2026-12-01"})
    client.post(reverse("meetings:record_publish", args=[past.pk]))
    member_page = client_for(member).get(reverse("meetings:record_detail", args=[past.pk])).content.decode()
    assert "Share the leaflet" in member_page


@pytest.mark.django_db
def test_a_coordinator_creates_a_series_for_helplines_through_the_form(client_for, network_coordinator, member):
    from community.models import Service
    from meetings.models import MeetingSeries

    response = client_for(network_coordinator).post(reverse("meetings:series_new"), {
        "title": "Helpline early-warning meeting", "kind": "early_warning", "description": "",
        "audience_services": [Service.objects.get(code="helpline").pk], "weekday": 4, "local_time": "11:00",
        "duration_minutes": 60, "time_zone": "Europe/Brussels", "default_join_url": "",
    })
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert client_for(member).get(reverse("meetings:series_detail", args=[series.pk])).status_code == 200


@pytest.mark.django_db
def test_a_series_without_an_audience_is_refused_with_a_message(client_for, network_coordinator):
    response = client_for(network_coordinator).post(reverse("meetings:series_new"), {
        "title": "Nobody's meeting", "kind": "other", "duration_minutes": 60, "time_zone": "Europe/Brussels",
    })
    assert response.status_code == 200
    assert "Choose who the meetings are for" in response.content.decode()


@pytest.mark.django_db
def test_the_main_menu_marks_case_studies_not_meetings_on_a_case_study_page(client_for, network_coordinator):
    def current_sections(path):
        page = client_for(network_coordinator).get(path).content.decode()
        menu = page[page.index('class="main-nav"'):page.index("</nav>", page.index('class="main-nav"'))]
        return re.findall(r'aria-current="page">([^<]+)<', menu)

    assert current_sections(reverse("meetings:case_study_list")) == ["Case studies"]
    assert current_sections(reverse("meetings:case_study_review")) == ["Case studies"]
    assert current_sections(reverse("meetings:index")) == ["Meetings"]
