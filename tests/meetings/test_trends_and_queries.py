"""Trend aggregation on known data, and list/detail pages whose query count does not grow with data."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Country
from meetings import selectors, services
from meetings.models import CaseStudy, EmergingIssue, Topic

from .conftest import make_meeting

BRUSSELS = ZoneInfo("Europe/Brussels")


def _issue(meeting, author, *, topics, when, country_code="GR"):
    issue = EmergingIssue(title="Issue", description_source="Seen", country=Country.objects.get(code=country_code),
                          created_at=when)
    return services.submit_emerging_issue(actor=author, meeting=meeting, issue=issue,
                                          topics=Topic.objects.filter(slug__in=topics))


@pytest.fixture
def known_data(member, other_org_admin, network_coordinator, helpline_series):
    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() + timedelta(days=2))
    q1 = datetime(2026, 2, 10, 12, 0, tzinfo=BRUSSELS)
    q2 = datetime(2026, 5, 10, 12, 0, tzinfo=BRUSSELS)
    # 31 March 23:30 in Brussels is still Q1 there, though it is 21:30 UTC.
    q1_edge = datetime(2026, 3, 31, 23, 30, tzinfo=BRUSSELS)
    _issue(meeting, member, topics=["sextortion", "gaming"], when=q1)
    _issue(meeting, member, topics=["sextortion"], when=q1_edge)
    _issue(meeting, other_org_admin, topics=["sextortion"], when=q2, country_code="IE")
    _issue(meeting, member, topics=["deepfakes"], when=q2)
    services.set_upload_window(actor=network_coordinator, is_open=True)
    case_study, _created = services.submit_case_study(
        actor=member, case_study=CaseStudy(title="C", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat", created_at=q2),
        topics=Topic.objects.filter(slug="sextortion"), attachments=[], submission_token=uuid.uuid4())
    services.decide_case_study(actor=network_coordinator, case_study=case_study, approve=True)
    # A pending case study is not counted.
    services.submit_case_study(
        actor=member, case_study=CaseStudy(title="P", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat", created_at=q2),
        topics=Topic.objects.filter(slug="sextortion"), attachments=[], submission_token=uuid.uuid4())
    return meeting


@pytest.mark.django_db
def test_trends_count_issues_and_case_studies_per_topic_per_quarter(member, known_data):
    table = selectors.trend_table(user=member)
    assert table.quarters == [(2026, 1), (2026, 2)]
    assert [topic.slug for topic in table.topics] == ["sextortion", "deepfakes", "gaming"]
    assert table.issues[("sextortion", (2026, 1))] == 2
    assert table.issues[("sextortion", (2026, 2))] == 1
    assert table.case_studies[("sextortion", (2026, 2))] == 1
    assert table.total("sextortion", (2026, 2)) == 2
    assert table.total("gaming", (2026, 2)) == 0
    ireland = selectors.trend_table(user=member, country=Country.objects.get(code="IE"))
    assert ireland.issues == {("sextortion", (2026, 2)): 1}
    assert ireland.case_studies == {}


@pytest.mark.django_db
def test_trends_leave_out_meetings_the_viewer_may_not_see(awareness_member, known_data):
    table = selectors.trend_table(user=awareness_member)
    assert table.issues == {}


@pytest.mark.django_db
def test_the_trends_page_draws_an_accessible_svg_with_a_data_table_and_offers_csv(client_for, member, known_data):
    client = client_for(member)
    page = client.get(reverse("meetings:trends")).content.decode()
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "<title>Sextortion, 2026 Q1: 2</title>" in page
    assert '<th scope="row">Sextortion</th>' in page
    response = client.get(reverse("meetings:trends_csv"), {"include": "issues"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["quarter", "topic", "emerging_issues", "case_studies", "total"]
    assert ["2026 Q2", "Sextortion", "1", "0", "1"] in rows


@pytest.mark.django_db
def test_trends_are_refused_to_members_outside_helplines_and_awareness(client_for, hotline_analyst):
    assert client_for(hotline_analyst).get(reverse("meetings:trends")).status_code == 403


def _grow(helpline_series, coordinator, member, n):
    for i in range(n):
        meeting = make_meeting(helpline_series, actor=coordinator, title=f"Meeting {i}",
                               starts_at=timezone.now() + timedelta(days=1 + i))
        _issue(meeting, member, topics=["grooming", "gaming"], when=timezone.now())
        services.respond_to_meeting(actor=member, meeting=meeting, response="attending")


@pytest.mark.django_db
@pytest.mark.parametrize("meetings", [1, 12])
def test_the_meetings_index_runs_a_constant_number_of_queries(client_for, member, network_coordinator,
                                                              helpline_series, meetings,
                                                              django_assert_max_num_queries):
    _grow(helpline_series, network_coordinator, member, meetings)
    client = client_for(member)
    client.get(reverse("meetings:index"))
    # Session, user, membership, its services, role groups; upcoming and past meetings and the
    # series list (visibility as subqueries), deadlines, important dates, time-zone preference,
    # unread-notification count.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:index"))
    assert response.content.decode().count("Meeting ") >= meetings


@pytest.mark.django_db
@pytest.mark.parametrize("issues", [1, 15])
def test_the_meeting_page_runs_a_constant_number_of_queries(client_for, member, network_coordinator,
                                                            helpline_meeting, issues, django_assert_max_num_queries):
    for _i in range(issues):
        _issue(helpline_meeting, member, topics=["grooming", "gaming"], when=timezone.now())
    client = client_for(member)
    url = reverse("meetings:meeting_detail", args=[helpline_meeting.pk])
    client.get(url)
    # Session, user, membership, its services, role groups; the meeting (visibility as
    # subqueries), issues + their topics (one prefetch), the viewer's RSVP, the record, the
    # organiser check (guardian: user and group permissions), time-zone preference, unread count.
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count("Grooming") == issues


@pytest.mark.django_db
@pytest.mark.parametrize("studies", [1, 15])
def test_the_case_study_list_runs_a_constant_number_of_queries(client_for, member, org_admin, network_coordinator,
                                                               studies, django_assert_max_num_queries):
    services.set_upload_window(actor=network_coordinator, is_open=True)
    for i in range(studies):
        case_study, _created = services.submit_case_study(
            actor=member, case_study=CaseStudy(title=f"Case {i}", summary="S", narrative_source="N",
                                               age_band="13_15", contact_channel="chat"),
            topics=Topic.objects.filter(slug__in=["grooming", "gaming"]), attachments=[],
            submission_token=uuid.uuid4())
        services.decide_case_study(actor=network_coordinator, case_study=case_study, approve=True)
    client = client_for(org_admin)
    client.get(reverse("meetings:case_study_list"))
    # Session, user, membership, its services, role groups; count + page of case studies, their
    # topics (one prefetch), all topics for the filter, the upload window, unread count.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:case_study_list"))
    assert response.content.decode().count("Case ") >= studies


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_the_record_page_runs_a_constant_number_of_queries(client_for, member, network_coordinator,
                                                           helpline_series, size, django_assert_max_num_queries):
    from tests.factories import make_member

    meeting = make_meeting(helpline_series, actor=network_coordinator, starts_at=timezone.now() - timedelta(days=1))
    record = services.record_for_editing(actor=network_coordinator, meeting=meeting)
    record.report_source = "Report"
    people = [make_member(organisation=member.approved_membership.organisation) for _i in range(size)]
    services.save_record(actor=network_coordinator, record=record, attendees=people)
    for person in people:
        services.add_action_item(actor=network_coordinator, record=record, description="Do it", owner=person)
    services.publish_record(actor=network_coordinator, record=record)
    client = client_for(member)
    url = reverse("meetings:record_detail", args=[meeting.pk])
    client.get(url)
    # Session, user, membership, its services, role groups; the meeting (visibility in the
    # query), the record, organiser checks (guardian user + group permissions, twice), the
    # audience check, time-zone preference, attendees, action items with their owners,
    # issues + topics, case studies, files, unread count.
    with django_assert_max_num_queries(19):
        response = client.get(url)
    assert response.content.decode().count("Do it") == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_the_case_study_page_runs_a_constant_number_of_queries(client_for, member, org_admin, network_coordinator,
                                                               size, django_assert_max_num_queries):
    from meetings import files

    from . import samples

    services.set_upload_window(actor=network_coordinator, is_open=True)
    case_study, _created = services.submit_case_study(
        actor=member, case_study=CaseStudy(title="Case", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat"),
        topics=Topic.objects.all()[:size], submission_token=uuid.uuid4(),
        attachments=[files.check_and_clean(samples.upload(f"f{i}.png", samples.png_bytes())) for i in range(size)])
    services.decide_case_study(actor=network_coordinator, case_study=case_study, approve=True)
    client = client_for(org_admin)
    url = reverse("meetings:case_study_detail", args=[case_study.pk])
    client.get(url)
    # Session, user, membership, its services, role groups; the case study (visibility in the
    # query), its topics and files (two prefetches), unread count.
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("/meetings/files/") == size
