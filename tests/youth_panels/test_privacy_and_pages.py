"""What the pages show: privacy defaults for minors as rendered HTML, the helpline link,
discussions through the forums engine, and constant query counts on list pages."""

import io

import pytest
from django.urls import reverse

from community.models import Role
from forums import services as forum_services
from youth_panels import services

from .helpers import approved_comment, approved_post

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return response.content.decode()


def test_other_panellists_surname_email_and_organisation_appear_nowhere_in_the_page(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, irish_panellist, greek_panel,
    european_area, organisation
):
    post = approved_post(author=second_greek_panellist, panel=greek_panel, coordinator=youth_coordinator,
                         title="About gaming")
    approved_comment(author=second_greek_panellist, post=post, coordinator=youth_coordinator, body="Me again")
    services.promote_post(actor=youth_coordinator, post=post)
    secrets = ("Papadopoulou-Hidden", "Nikoleta", "niki.hidden@example.gr", organisation.name)
    pages = [
        client_for(youth_panellist).get(post.get_absolute_url()),
        client_for(youth_panellist).get(greek_panel.get_absolute_url()),
        client_for(irish_panellist).get(post.get_absolute_url()),
        client_for(irish_panellist).get(european_area.get_absolute_url()),
        client_for(youth_panellist).get(reverse("youth_panels:search"), {"q": "gaming"}),
    ]
    for response in pages:
        assert response.status_code == 200
        html = _main(response)
        assert "Niki" in html  # the chosen display name is shown ...
        for secret in secrets:
            assert secret not in html  # ... and nothing else that identifies her
    assert "Greece" in _main(pages[2])


def test_coordinators_see_what_they_need_on_the_dashboard(
    client_for, second_greek_panellist, youth_coordinator, greek_panel
):
    html = _main(client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug])))
    assert "niki.hidden@example.gr" in html and "Papadopoulou-Hidden" in html


def test_need_help_now_links_to_the_viewers_national_helpline(
    client_for, youth_panellist, irish_panellist, greek_helpline, irish_helpline, european_area
):
    greek_page = _main(client_for(youth_panellist).get(european_area.get_absolute_url()))
    assert "Need help now?" in greek_page
    assert 'href="https://helpline.example.gr/chat"' in greek_page and 'href="tel:2101234567"' in greek_page
    assert "childline.example.ie" not in greek_page
    irish_page = _main(client_for(irish_panellist).get(reverse("youth_panels:index")))
    assert 'href="https://childline.example.ie/"' in irish_page and "helpline.example.gr" not in irish_page


def test_every_youth_page_has_the_help_link(client_for, youth_panellist, youth_coordinator, greek_panel):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    client = client_for(youth_panellist)
    for url in (reverse("youth_panels:index"), greek_panel.get_absolute_url(), post.get_absolute_url(),
                reverse("youth_panels:post_new", args=[greek_panel.slug]), reverse("youth_panels:search")):
        assert "Need help now?" in _main(client.get(url)), url
    dashboard = client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))
    assert "Need help now?" in _main(dashboard)


def test_discussions_use_the_forums_engine_and_stay_inside_the_panel(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, irish_panellist, greek_panel
):
    forum = services.discussion_forum_for(greek_panel)
    assert forum is not None and not forum.is_listed
    topic = forum_services.create_topic(actor=youth_coordinator, forum=forum, title="Ideas for our campaign",
                                        body="Share yours")
    space_page = _main(client_for(youth_panellist).get(greek_panel.get_absolute_url()))
    assert "Ideas for our campaign" in space_page
    assert client_for(second_greek_panellist).get(greek_panel.get_absolute_url()).status_code == 200
    assert client_for(second_greek_panellist).get(topic.get_absolute_url()).status_code == 200
    assert client_for(irish_panellist).get(topic.get_absolute_url()).status_code == 404
    assert client_for(irish_panellist).get(forum.get_absolute_url()).status_code == 404

    reply = forum_services.reply(actor=youth_panellist, topic=topic, body="Let's make a video")
    assert reply.moderation_state == "pending"  # panellists' replies are pre-moderated here too


def test_removed_panellists_leave_the_discussions_too(client_for, youth_panellist, youth_coordinator, greek_panel):
    topic = forum_services.create_topic(actor=youth_coordinator, forum=services.discussion_forum_for(greek_panel),
                                        title="Topic", body="Body")
    services.remove_panellist(actor=youth_coordinator, panel=greek_panel, panellist=youth_panellist)
    assert client_for(youth_panellist).get(topic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_space_page_runs_a_constant_number_of_queries(
    client_for, django_assert_max_num_queries, youth_panellist, second_greek_panellist, youth_coordinator,
    greek_panel, count
):
    for number in range(count):
        post, _held = services.create_post(actor=youth_coordinator, panel=greek_panel, title=f"Post {number}",
                                           body="Text")
        approved_comment(author=second_greek_panellist, post=post, coordinator=youth_coordinator)
    client = client_for(youth_panellist)
    client.get(greek_panel.get_absolute_url())  # first visit joins the discussion forum
    # Session, user, groups and membership (4); youth access: panels, guardian perms, panel row,
    # follower (4); the space; posts page count + posts + tags (3); resources; forum grants and
    # topics (4); meetings (a few); helpline (1); notifications widget (2). Independent of posts.
    with django_assert_max_num_queries(40):
        client.get(greek_panel.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_post_page_runs_a_constant_number_of_queries(
    client_for, django_assert_max_num_queries, youth_panellist, second_greek_panellist, irish_panellist,
    youth_coordinator, greek_panel, count
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    services.promote_post(actor=youth_coordinator, post=post)
    for number in range(count):
        author = second_greek_panellist if number % 2 else irish_panellist
        approved_comment(author=author, post=post, coordinator=youth_coordinator, body=f"Comment {number}")
    # Measured 34 with 2 and with 20 comments: session, user, groups, membership and services
    # (5); youth access: panels, guardian perms (2), panel rows, country panel, follower (6); the
    # post; the European area for the promoted post; comments, their authors' memberships with
    # countries (2); tags; content types (2, first request); helpline (2); the notification
    # widget (count and latest); session save; whether the viewer moderates anything, asked once
    # per session for the header (2). None of them depends on the number of comments.
    with django_assert_max_num_queries(38):
        client_for(youth_panellist).get(post.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_coordinator_dashboard_runs_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries, youth_coordinator, organisation, greek_panel, count
):
    from tests.factories import make_member

    for _number in range(count):
        make_member(organisation=organisation, role="youth_panellist", services_codes=("youth",))
    # Measured 43 with 2 and with 20 panellists: session, user, groups, membership (5); youth
    # access (5); the panel; organisations for the form and the invitation form; pending items
    # and their count (2); panellists with their memberships (2); invitations; places waiting
    # for a parent's authorisation; birth years waiting for a check; recent posts and comments
    # (2); monthly counts (2); helpline (3); notification widget; session save; the header's
    # moderation link and its live count of the coordinator's queue (3).
    with django_assert_max_num_queries(49):
        client_for(youth_coordinator).get(reverse("youth_panels:dashboard", args=[greek_panel.slug]))


def test_the_home_dashboard_shows_youth_spaces_and_waiting_items_to_the_right_people(
    client_for, youth_panellist, youth_coordinator, member, greek_panel
):
    services.create_post(actor=youth_panellist, panel=greek_panel, title="Waiting", body="x")
    panellist_home = _main(client_for(youth_panellist).get("/"))
    assert greek_panel.get_absolute_url() in panellist_home
    coordinator_home = _main(client_for(youth_coordinator).get("/"))
    assert "1 item waiting for review" in coordinator_home
    assert greek_panel.get_absolute_url() not in _main(client_for(member).get("/"))


def test_the_personal_data_export_holds_own_youth_content_only(
    youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    from community.export import personal_data_of

    mine = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator, title="Mine")
    approved_comment(author=second_greek_panellist, post=mine, coordinator=youth_coordinator, body="Not mine")
    theirs = approved_post(author=second_greek_panellist, panel=greek_panel, coordinator=youth_coordinator,
                           title="Their secret title")
    approved_comment(author=youth_panellist, post=theirs, coordinator=youth_coordinator, body="My comment")
    section = personal_data_of(youth_panellist)["youth_area"]
    assert [post["title"] for post in section["posts"]] == ["Mine"]
    assert [comment["body"] for comment in section["comments"]] == ["My comment"]
    assert "Their secret title" not in str(section) and "Not mine" not in str(section)


def test_erasing_a_panellist_deletes_their_youth_content(
    youth_panellist, second_greek_panellist, youth_coordinator, network_coordinator, greek_panel
):
    from community.erasure import erase_member
    from youth_panels.models import YouthComment, YouthPost

    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    approved_comment(author=second_greek_panellist, post=post, coordinator=youth_coordinator)
    kept = approved_post(author=second_greek_panellist, panel=greek_panel, coordinator=youth_coordinator)
    approved_comment(author=youth_panellist, post=kept, coordinator=youth_coordinator, body="Erase me")
    assert erase_member(actor=network_coordinator, user=youth_panellist)
    assert not YouthPost.all_objects.filter(author=youth_panellist).exists()
    assert not YouthComment.all_objects.filter(body="Erase me").exists()
    assert YouthPost.all_objects.filter(pk=kept.pk).exists()


def test_the_space_shows_upcoming_youth_meetings_from_the_meetings_app(
    client_for, youth_panellist, network_coordinator, greek_panel
):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Service
    from meetings import services as meeting_services
    from meetings.models import Meeting, MeetingSeries

    def series_with_meeting(title, service_code):
        series = meeting_services.save_series(
            actor=network_coordinator, series=MeetingSeries(title=title), audience_roles=[],
            audience_services=Service.objects.filter(code=service_code),
        )
        start = timezone.now() + timedelta(days=3)
        meeting_services.save_meeting(actor=network_coordinator, meeting=Meeting(
            series=series, title=title, starts_at=start, ends_at=start + timedelta(hours=1)))

    series_with_meeting("Youth webinar on deepfakes", "youth")
    series_with_meeting("Helpline early-warning meeting", "helpline")
    assert "Youth webinar on deepfakes" in _main(client_for(youth_panellist).get(greek_panel.get_absolute_url()))
    # Network coordinators may open every meeting; the youth space still lists youth ones only.
    page = _main(client_for(network_coordinator).get(greek_panel.get_absolute_url()))
    assert "Youth webinar on deepfakes" in page
    assert "Helpline early-warning meeting" not in page


def test_a_revoked_youth_role_closes_the_discussions_at_once(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    from community import roles

    topic = forum_services.create_topic(actor=youth_coordinator, forum=services.discussion_forum_for(greek_panel),
                                        title="Topic", body="Body")
    assert client_for(youth_coordinator).get(topic.get_absolute_url()).status_code == 200
    roles.revoke_role(youth_coordinator, Role.YOUTH_COORDINATOR)
    roles.revoke_role(youth_panellist, Role.YOUTH_PANELLIST)
    assert client_for(youth_coordinator).get(topic.get_absolute_url()).status_code == 404
    assert client_for(youth_panellist).get(topic.get_absolute_url()).status_code == 404


def test_the_daily_job_closes_the_discussions_of_an_expired_authorisation(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    import datetime

    from django.core.management import call_command

    from youth_panels.models import PanelMembership

    topic = forum_services.create_topic(actor=youth_coordinator, forum=services.discussion_forum_for(greek_panel),
                                        title="Topic", body="Body")
    assert client_for(youth_panellist).get(topic.get_absolute_url()).status_code == 200
    PanelMembership.objects.create(panel=greek_panel, user=youth_panellist, status=PanelMembership.Status.ACTIVE,
                                   parental_authorisation=True, authorised_by="Parent",
                                   authorisation_expires_on=datetime.date.today() - datetime.timedelta(days=1))
    call_command("sync_youth_discussions", stdout=io.StringIO())
    assert client_for(youth_panellist).get(topic.get_absolute_url()).status_code == 404
    assert client_for(youth_coordinator).get(topic.get_absolute_url()).status_code == 200
    call_command("sync_youth_discussions", stdout=io.StringIO())  # idempotent
    assert client_for(youth_coordinator).get(topic.get_absolute_url()).status_code == 200
