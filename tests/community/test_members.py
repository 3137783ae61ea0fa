"""Organisation admins, suspension, the directory and its privacy rules."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse

from community import roles, services
from community.models import Membership, Role
from tests.factories import make_member


@pytest.mark.django_db
def test_org_admin_removes_a_member_of_their_organisation(client, client_for, org_admin, member):
    membership = member.approved_membership
    client_for(org_admin).post(
        reverse("organisation_member_action", args=[membership.organisation_id, membership.pk]), {"action": "remove"}
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REMOVED
    client.force_login(member)
    assert client.get(reverse("dashboard"))["Location"] == reverse("onboarding_waiting")


@pytest.mark.django_db
def test_org_admin_cannot_manage_another_organisation(client_for, other_org_admin, member):
    membership = member.approved_membership
    admin_client = client_for(other_org_admin)
    assert admin_client.get(reverse("organisation_members", args=[membership.organisation_id])).status_code == 403
    response = admin_client.post(
        reverse("organisation_member_action", args=[membership.organisation_id, membership.pk]), {"action": "remove"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


@pytest.mark.django_db
def test_a_membership_id_from_another_organisation_is_not_found(client_for, org_admin, other_org_admin):
    foreign = other_org_admin.approved_membership
    own_org = org_admin.approved_membership.organisation_id
    response = client_for(org_admin).post(
        reverse("organisation_member_action", args=[own_org, foreign.pk]), {"action": "remove"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_org_admin_grants_and_revokes_org_admin_in_own_organisation(client_for, org_admin, member):
    membership = member.approved_membership
    url = reverse("organisation_member_action", args=[membership.organisation_id, membership.pk])
    admin_client = client_for(org_admin)
    admin_client.post(url, {"action": "grant_admin"})
    assert roles.is_org_admin_of(member, membership.organisation)
    assert member.has_perm("community.approve_membership", membership.organisation)
    admin_client.post(url, {"action": "revoke_admin"})
    member = type(member).objects.get(pk=member.pk)
    assert not roles.is_org_admin_of(member, membership.organisation)


@pytest.mark.django_db
def test_youth_panellists_cannot_become_org_admins(client_for, org_admin, youth_panellist):
    membership = youth_panellist.approved_membership
    client_for(org_admin).post(
        reverse("organisation_member_action", args=[membership.organisation_id, membership.pk]),
        {"action": "grant_admin"},
    )
    assert not roles.is_org_admin_of(youth_panellist, membership.organisation)


@pytest.mark.django_db
def test_plain_member_cannot_manage_members(client_for, member):
    organisation_id = member.approved_membership.organisation_id
    assert client_for(member).get(reverse("organisation_members", args=[organisation_id])).status_code == 403


@pytest.mark.django_db
def test_suspension_cuts_off_an_open_session_at_the_next_request(client, client_for, network_coordinator, member):
    from django.test import Client

    member_client = Client()
    member_client.post(reverse("account_login"), {"login": member.email, "password": "a-Long-test-password-1"})
    assert member_client.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=member).exists()

    response = client_for(network_coordinator).post(
        reverse("member_suspend", args=[member.pk]), {"reason": "Shared a screenshot of a report."}
    )
    assert response.status_code == 302

    response = member_client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("account_login"))
    their_sessions = UserSession.objects.filter(user=member).values("session_key")
    assert not Session.objects.filter(session_key__in=their_sessions).exists()
    # Signing in again does not get past the suspension.
    member_client.post(reverse("account_login"), {"login": member.email, "password": "a-Long-test-password-1"})
    assert member_client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_suspension_needs_a_coordinator_or_moderator(client_for, member, org_admin):
    response = client_for(org_admin).post(reverse("member_suspend", args=[member.pk]), {"reason": "x"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert not member.is_suspended


@pytest.mark.django_db
def test_a_suspension_with_an_end_date_ends_by_itself(network_coordinator, member):
    from datetime import timedelta

    from django.utils import timezone

    services.suspend_member(actor=network_coordinator, user=member, reason="Cooling off",
                            until=timezone.now() - timedelta(seconds=1))
    member.refresh_from_db()
    assert not member.is_suspended


@pytest.mark.django_db
def test_directory_hides_youth_panellists_from_adults_and_shows_them_to_their_coordinator(
        client_for, member, youth_panellist, youth_coordinator):
    page = client_for(member).get(reverse("member_directory")).content.decode()
    assert youth_panellist.display_name not in page
    assert client_for(member).get(reverse("member_profile", args=[youth_panellist.pk])).status_code == 404

    page = client_for(youth_coordinator).get(reverse("member_directory")).content.decode()
    assert youth_panellist.display_name in page


@pytest.mark.django_db
def test_no_page_shows_a_panellists_surname_or_email_to_other_panellists(client_for, youth_panellist, organisation):
    other_panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",))
    panellist_client = client_for(other_panellist)
    for url in [reverse("member_directory"), reverse("member_directory") + "?q=Alex",
                reverse("organisation_detail", args=[organisation.pk])]:
        page = panellist_client.get(url).content.decode()
        assert youth_panellist.last_name not in page
        assert youth_panellist.email not in page
    assert panellist_client.get(reverse("member_profile", args=[youth_panellist.pk])).status_code == 404


@pytest.mark.django_db
def test_youth_coordinator_sees_a_panellists_details(client_for, youth_panellist, youth_coordinator):
    page = client_for(youth_coordinator).get(reverse("member_profile", args=[youth_panellist.pk])).content.decode()
    assert youth_panellist.last_name in page
    assert youth_panellist.email in page


@pytest.mark.django_db
def test_members_see_only_what_colleagues_chose_to_show(client_for, member, organisation):
    private = make_member(organisation=organisation, first_name="Anna", last_name="Privata", show_surname=False)
    page = client_for(member).get(reverse("member_profile", args=[private.pk])).content.decode()
    assert "Privata" not in page
    assert private.email not in page


@pytest.mark.django_db
def test_youth_profile_form_ignores_surname_and_privacy_fields(client_for, youth_panellist):
    client_for(youth_panellist).post(
        reverse("profile_edit"),
        {"display_name": "Alex", "languages": "Greek", "bio": "Hi", "last_name": "Exposed", "show_email": "on",
         "show_in_directory": "on", "is_staff": "on"},
    )
    youth_panellist.refresh_from_db()
    assert youth_panellist.languages == "Greek"
    assert youth_panellist.last_name == "Dimitriou"
    assert not youth_panellist.show_email and not youth_panellist.show_in_directory
    assert not youth_panellist.is_staff


@pytest.mark.django_db
def test_profile_form_ignores_fields_a_member_may_not_set(client_for, member):
    client_for(member).post(
        reverse("profile_edit"),
        {"display_name": "Giorgos N.", "is_staff": "on", "is_superuser": "on", "groups": "1", "email": "x@evil.org"},
    )
    member.refresh_from_db()
    assert member.display_name == "Giorgos N."
    assert not member.is_staff and not member.is_superuser
    assert member.email != "x@evil.org"


@pytest.mark.django_db
def test_directory_query_count_is_constant(client_for, member, organisation, django_assert_max_num_queries):
    viewer = client_for(member)
    for _ in range(3):
        make_member(organisation=organisation)
    viewer.get(reverse("dashboard"))  # the first request of a session also records it (usersessions)
    # session, user, membership gate, notifications count, directory count + page + memberships,
    # services and groups prefetches, filter choices.
    with django_assert_max_num_queries(14) as few:
        viewer.get(reverse("member_directory"))
    for _ in range(25):
        make_member(organisation=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        viewer.get(reverse("member_directory"))


@pytest.mark.django_db
def test_suspension_closes_the_members_open_sockets(network_coordinator, member,
                                                    django_capture_on_commit_callbacks):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from notifications.events import user_group_name

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group_name(member.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_member(actor=network_coordinator, user=member, reason="Breach of the rules")
    message = async_to_sync(layer.receive)(channel)
    assert message["type"] == "session.revoked"


def test_the_dashboard_opens_a_notification_where_it_points(client_for, member):
    from notifications.services import notify

    notification = notify(recipients=[member], kind="role_change", title="You are now an organisation admin",
                          url=reverse("member_directory"))[0]
    client = client_for(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("notifications:open", args=[notification.pk]) in page

    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("member_directory")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_dashboard_query_count_is_constant(client_for, member, django_assert_max_num_queries):
    from notifications.services import notify

    client = client_for(member)
    notify(recipients=[member], kind="role_change", title="First")
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("dashboard"))
    for index in range(20):
        notify(recipients=[member], kind="role_change", title=f"More {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("dashboard")).status_code == 200


def test_case_studies_are_in_the_header_only_for_those_who_may_browse_them(client_for, member, youth_panellist):
    case_studies = reverse("meetings:case_study_list")
    assert case_studies in client_for(member).get(reverse("dashboard")).content.decode()  # helpline staff
    assert case_studies not in client_for(youth_panellist).get(reverse("dashboard")).content.decode()
