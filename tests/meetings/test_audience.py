"""Who sees meetings, join links and records: the series' audience, decided in one place."""

import pytest
from django.urls import reverse

from community.models import Role
from meetings import permissions, services
from meetings.models import MeetingRecord
from notifications.models import Notification

from .conftest import make_meeting

JOIN_URL = "https://meet.example.org/secret-room"


@pytest.mark.django_db
def test_helpline_staff_see_the_join_link_and_the_welcome_line(client_for, member, helpline_meeting):
    response = client_for(member).get(reverse("meetings:meeting_detail", args=[helpline_meeting.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert JOIN_URL in content
    assert "All colleagues are welcome, regardless of whether you have anything to share." in content


@pytest.mark.django_db
def test_members_outside_the_audience_get_404_and_never_see_the_join_link(client_for, awareness_member,
                                                                           helpline_meeting):
    client = client_for(awareness_member)
    detail = client.get(reverse("meetings:meeting_detail", args=[helpline_meeting.pk]))
    assert detail.status_code == 404
    assert client.get(reverse("meetings:meeting_ics", args=[helpline_meeting.pk])).status_code == 404
    index = client.get(reverse("meetings:index"))
    assert index.status_code == 200
    assert JOIN_URL not in index.content.decode()
    assert helpline_meeting.title not in index.content.decode()


@pytest.mark.django_db
def test_a_role_audience_is_granted_through_guardian_to_the_role_group(youth_series, youth_coordinator, member,
                                                                       network_coordinator):
    meeting = make_meeting(youth_series, actor=network_coordinator)
    assert permissions.can_view_series(youth_coordinator, youth_series)
    assert not permissions.can_view_series(member, youth_series)
    assert youth_coordinator.has_perm("meetings.view_meetingseries", youth_series)
    # Removing the role from the audience takes the access away again.
    services.save_series(actor=network_coordinator, series=youth_series, audience_roles=[Role.MODERATOR],
                         audience_services=[])
    youth_coordinator = type(youth_coordinator).objects.get(pk=youth_coordinator.pk)
    assert not permissions.can_view_series(youth_coordinator, youth_series)
    assert meeting.pk not in permissions.meetings_visible_to(youth_coordinator).values_list("pk", flat=True)


@pytest.mark.django_db
def test_only_organisers_may_edit_a_meeting_members_get_403(client_for, member, network_coordinator,
                                                            helpline_meeting):
    url = reverse("meetings:meeting_edit", args=[helpline_meeting.pk])
    assert client_for(member).get(url).status_code == 403
    assert client_for(network_coordinator).get(url).status_code == 200


@pytest.mark.django_db
def test_the_owner_and_coordinators_may_organise_but_members_may_not_create_series(client_for, member,
                                                                                  network_coordinator):
    assert client_for(member).get(reverse("meetings:series_new")).status_code == 403
    assert client_for(network_coordinator).get(reverse("meetings:series_new")).status_code == 200


@pytest.mark.django_db
def test_rsvp_is_saved_and_shown_to_organisers_only(client_for, member, network_coordinator, helpline_meeting):
    client = client_for(member)
    response = client.post(reverse("meetings:meeting_rsvp", args=[helpline_meeting.pk]), {"response": "attending"})
    assert response.status_code == 302
    attendees_url = reverse("meetings:meeting_attendees", args=[helpline_meeting.pk])
    assert client.get(attendees_url).status_code == 403
    page = client_for(network_coordinator).get(attendees_url)
    assert member.display_name in page.content.decode()
    assert "1 attending" in page.content.decode()


@pytest.mark.django_db
def test_members_outside_the_audience_cannot_rsvp_or_submit_issues(client_for, awareness_member, helpline_meeting):
    client = client_for(awareness_member)
    assert client.post(reverse("meetings:meeting_rsvp", args=[helpline_meeting.pk]),
                       {"response": "attending"}).status_code == 404
    assert client.get(reverse("meetings:emerging_issue_new", args=[helpline_meeting.pk])).status_code == 404


@pytest.mark.django_db
def test_emerging_issues_are_submitted_then_ordered_into_the_agenda_by_the_organiser(
        client_for, member, network_coordinator, helpline_meeting):
    client = client_for(member)
    from meetings.models import EmergingIssue, Topic

    for title in ["Sextortion in games", "Deepfake nudes at school"]:
        response = client.post(reverse("meetings:emerging_issue_new", args=[helpline_meeting.pk]), {
            "title": title, "description_source": "We see **more** of this.",
            "topics": [Topic.objects.get(slug="sextortion").pk], "country": member.approved_membership
            .organisation.country.pk, "platforms": "Discord",
        })
        assert response.status_code == 302
    first, second = EmergingIssue.objects.order_by("pk")
    assert "<strong>more</strong>" in first.description_html
    # The series' owner hears about each new issue; other members do not.
    assert Notification.objects.filter(recipient=network_coordinator, kind="meeting_emerging_issue").count() == 2
    assert not Notification.objects.filter(recipient=member, kind="meeting_emerging_issue").exists()
    agenda_url = reverse("meetings:meeting_agenda", args=[helpline_meeting.pk])
    assert client.post(agenda_url, {f"issue_{first.pk}": 1}).status_code == 403
    client_for(network_coordinator).post(agenda_url, {f"issue_{second.pk}": "1", f"issue_{first.pk}": ""})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.agenda_position, first.agenda_position) == (1, None)


@pytest.mark.django_db
def test_the_meeting_page_says_what_is_on_the_agenda_and_what_is_not_yet(
        client_for, member, network_coordinator, helpline_meeting):
    from meetings.models import Topic

    def sections():
        page = client_for(member).get(reverse("meetings:meeting_detail", args=[helpline_meeting.pk])).content.decode()
        agenda, _, issues = page.partition('id="issues-heading"')
        return agenda[agenda.index('id="agenda-heading"'):], issues[:issues.index("</section>")]

    agenda, issues = sections()
    assert "The agenda is not published yet." in agenda and "None yet." in issues
    client_for(member).post(reverse("meetings:emerging_issue_new", args=[helpline_meeting.pk]), {
        "title": "Sextortion in games", "description_source": "Rising.",
        "topics": [Topic.objects.get(slug="sextortion").pk],
        "country": member.approved_membership.organisation.country.pk, "platforms": "",
    })
    agenda, issues = sections()
    # Submitted, not yet ordered into the agenda: the agenda is still to come.
    assert "The agenda is not published yet." in agenda and "Sextortion in games" not in agenda
    assert "Sextortion in games" in issues and "None yet." not in issues
    issue = helpline_meeting.emerging_issues.get()
    client_for(network_coordinator).post(reverse("meetings:meeting_agenda", args=[helpline_meeting.pk]),
                                         {f"issue_{issue.pk}": "1"})
    agenda, issues = sections()
    assert "Sextortion in games" in agenda and "not published yet" not in agenda
    assert "Every issue submitted is on the agenda." in issues and "Sextortion in games" not in issues


@pytest.mark.django_db
def test_a_record_is_hidden_until_published_and_publishing_notifies_the_audience(
        client_for, member, awareness_member, network_coordinator, helpline_series,
        django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    meeting = make_meeting(helpline_series, actor=network_coordinator,
                           starts_at=timezone.now() - timedelta(days=1))
    record = services.record_for_editing(actor=network_coordinator, meeting=meeting)
    record.report_source = "Eight helplines joined. <script>alert(1)</script>"
    record.recording_url = "https://video.example.org/rec"
    services.save_record(actor=network_coordinator, record=record, attendees=[member])
    url = reverse("meetings:record_detail", args=[meeting.pk])

    assert client_for(member).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_record(actor=network_coordinator, record=record)
    assert not services.publish_record(actor=network_coordinator, record=MeetingRecord.objects.get(pk=record.pk))

    page = client_for(member).get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Eight helplines joined." in content
    assert "<script>alert(1)</script>" not in content
    assert "https://video.example.org/rec" in content
    assert client_for(awareness_member).get(url).status_code == 404
    notified = set(Notification.objects.filter(kind="meeting_record_published").values_list("recipient", flat=True))
    assert member.pk in notified
    assert awareness_member.pk not in notified


@pytest.mark.django_db
def test_an_expired_recording_link_is_no_longer_shown(client_for, member, network_coordinator, helpline_series):
    from datetime import timedelta

    from django.utils import timezone

    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=40))
    record = services.record_for_editing(actor=network_coordinator, meeting=meeting)
    record.report_source = "Report"
    record.recording_url = "https://video.example.org/old-recording"
    record.recording_available_until = timezone.localdate() - timedelta(days=1)
    services.save_record(actor=network_coordinator, record=record)
    services.publish_record(actor=network_coordinator, record=record)
    content = client_for(member).get(reverse("meetings:record_detail", args=[meeting.pk])).content.decode()
    assert "old-recording" not in content
    assert "The recording was available until" in content


@pytest.mark.django_db
def test_dashboard_shows_the_meetings_panels_with_upcoming_meetings_and_dates(client_for, member, helpline_meeting,
                                                                               network_coordinator):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import NetworkDate

    today = timezone.localdate()
    services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
        kind="deadline", title="Quarterly contact data", date=today + timedelta(days=5)))
    services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
        kind="deadline", title="Far-away deadline", date=today + timedelta(days=90)))
    services.save_network_date(actor=network_coordinator, network_date=NetworkDate(
        kind="important_date", title="Safer Internet Day", date=today + timedelta(days=80)))
    content = client_for(member).get(reverse("dashboard")).content.decode()
    assert "Upcoming meetings" in content and helpline_meeting.title in content
    assert "Approaching deadlines" in content and "Quarterly contact data" in content
    assert "Far-away deadline" not in content
    assert "Important dates to come" in content and "Safer Internet Day" in content


@pytest.mark.django_db
def test_only_coordinators_manage_network_dates(client_for, member, network_coordinator):
    assert client_for(member).get(reverse("meetings:network_date_new")).status_code == 403
    assert client_for(network_coordinator).get(reverse("meetings:network_date_new")).status_code == 200


@pytest.mark.django_db
def test_publishing_a_record_opens_a_discussion_topic_for_the_series_audience_only(
        client_for, member, awareness_member, network_coordinator, helpline_series):
    from datetime import timedelta

    from django.utils import timezone

    from forums.permissions import can_post_in_forum, can_read_forum

    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=1))
    record = services.record_for_editing(actor=network_coordinator, meeting=meeting)
    record.report_source = "Report"
    services.save_record(actor=network_coordinator, record=record)
    services.publish_record(actor=network_coordinator, record=record)
    record.refresh_from_db()
    topic = record.discussion_topic
    assert topic is not None and topic.forum.is_listed is False
    assert can_read_forum(member, topic.forum) and can_post_in_forum(member, topic.forum)
    assert not can_read_forum(awareness_member, topic.forum)
    page = client_for(member).get(reverse("meetings:record_detail", args=[meeting.pk])).content.decode()
    assert reverse("forums:topic", args=[topic.pk]) in page
    assert client_for(awareness_member).get(reverse("forums:topic", args=[topic.pk])).status_code == 404


@pytest.mark.django_db
def test_record_actions_answer_the_audience_alike_whether_a_draft_exists_or_not(client_for, member,
                                                                              network_coordinator,
                                                                              helpline_series):
    """A member of the audience learns nothing about unpublished drafts from the record actions:
    the same refusal with a draft as without a record."""
    from datetime import timedelta

    from django.utils import timezone

    with_draft = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=2))
    without_record = make_meeting(helpline_series, actor=network_coordinator,
                                  starts_at=timezone.now() - timedelta(days=9))
    services.save_record(actor=network_coordinator, record=MeetingRecord(meeting=with_draft, report_source="Draft"))
    client = client_for(member)
    for name in ("meetings:record_publish", "meetings:action_item_add"):
        answers = {client.post(reverse(name, args=[meeting.pk]), {"description": "Leak?"}).status_code
                   for meeting in (with_draft, without_record)}
        assert answers == {403}, name
    assert not MeetingRecord.objects.get(meeting=with_draft).is_published
    assert not MeetingRecord.objects.get(meeting=with_draft).action_items.exists()


@pytest.mark.django_db
def test_after_the_meeting_the_page_shows_the_members_answer_in_words(client_for, member, network_coordinator,
                                                                      helpline_series):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Rsvp

    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=1))
    Rsvp.objects.create(meeting=meeting, user=member, response=Rsvp.Response.NOT_ATTENDING)
    content = client_for(member).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Your answer: Not attending" in content
    assert "not_attending" not in content


@pytest.mark.django_db
def test_an_upcoming_meeting_offers_its_ics_on_its_page_and_the_dashboard_a_finished_one_does_not(
        client_for, member, helpline_series, network_coordinator):
    from datetime import timedelta

    from django.utils import timezone

    from .conftest import make_meeting

    upcoming = make_meeting(helpline_series, actor=network_coordinator, title="Friday early warning")
    finished = make_meeting(helpline_series, actor=network_coordinator, title="Last week's meeting",
                            starts_at=timezone.now() - timedelta(days=7))
    client = client_for(member)

    page = client.get(reverse("meetings:meeting_detail", args=[upcoming.pk])).content.decode()
    assert f'href="{reverse("meetings:meeting_ics", args=[upcoming.pk])}">Add to my calendar (.ics)</a>' in page
    finished_page = client.get(reverse("meetings:meeting_detail", args=[finished.pk])).content.decode()
    assert reverse("meetings:meeting_ics", args=[finished.pk]) not in finished_page

    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("meetings:meeting_ics", args=[upcoming.pk])}"' in dashboard
    assert 'aria-label="Add Friday early warning to my calendar (.ics)"' in dashboard
    assert client.get(reverse("meetings:meeting_ics", args=[upcoming.pk]))["Content-Type"].startswith("text/calendar")
