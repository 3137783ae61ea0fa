"""Who sees which space: national spaces are private to their panel, the European area to the
youth network; everything else is a 404, in pages, ids, search, notifications and the queue."""

import pytest
from django.urls import reverse

from moderation import permissions as moderation_permissions
from moderation.models import ModerationItem
from notifications.models import Notification
from tests.factories import give_totp, make_member
from youth_panels import services
from youth_panels.models import YouthPanel

from .helpers import approved_comment, approved_post, open_item_for

pytestmark = pytest.mark.django_db


def test_national_space_is_visible_to_its_panellists_coordinators_and_network_coordinators(
    client_for, youth_panellist, youth_coordinator, network_coordinator, greek_panel
):
    for person in (youth_panellist, youth_coordinator, network_coordinator):
        assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 200


def test_national_space_is_404_for_another_panel_staff_and_followers(
    client_for, irish_panellist, irish_coordinator, member, greek_panel
):
    services.set_following_youth_work(actor=member, follow=True)
    for person in (irish_panellist, irish_coordinator, member):
        assert client_for(person).get(greek_panel.get_absolute_url()).status_code == 404


def test_a_post_of_another_national_panel_is_404_by_id(
    client_for, youth_panellist, youth_coordinator, irish_panellist, irish_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    for person in (irish_panellist, irish_coordinator):
        client = client_for(person)
        assert client.get(reverse("youth_panels:post", args=[post.pk])).status_code == 404
        assert client.post(reverse("youth_panels:post", args=[post.pk]), {"body": "hi"}).status_code == 404
        assert client.get(reverse("youth_panels:post_delete", args=[post.pk])).status_code == 404
        assert client.post(reverse("youth_panels:post_promote", args=[post.pk])).status_code == 404
    assert client_for(youth_panellist).get(reverse("youth_panels:post", args=[post.pk])).status_code == 200


def test_the_index_lists_only_the_viewers_spaces(
    client_for, youth_panellist, irish_panellist, greek_panel, irish_panel, european_area
):
    page = client_for(irish_panellist).get(reverse("youth_panels:index")).content.decode()
    assert irish_panel.get_absolute_url() in page
    assert european_area.get_absolute_url() in page
    assert greek_panel.get_absolute_url() not in page


def test_search_finds_posts_of_own_panel_only(
    client_for, youth_panellist, youth_coordinator, irish_panellist, irish_coordinator, greek_panel, irish_panel
):
    approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                  title="Greek summer camp", body="Our camp on cyberbullying")
    approved_post(author=irish_panellist, panel=irish_panel, coordinator=irish_coordinator,
                  title="Irish summer camp", body="Our camp on gaming")
    irish_results = client_for(irish_panellist).get(reverse("youth_panels:search"), {"q": "summer camp"})
    assert "Irish summer camp" in irish_results.content.decode()
    assert "Greek summer camp" not in irish_results.content.decode()
    greek_results = client_for(youth_panellist).get(reverse("youth_panels:search"), {"q": "camp"})
    assert "Greek summer camp" in greek_results.content.decode()
    assert "Irish summer camp" not in greek_results.content.decode()


def test_european_area_is_for_panellists_youth_coordinators_and_staff_who_opt_in(
    client_for, youth_panellist, irish_coordinator, member, european_area
):
    assert client_for(youth_panellist).get(european_area.get_absolute_url()).status_code == 200
    assert client_for(irish_coordinator).get(european_area.get_absolute_url()).status_code == 200
    assert client_for(member).get(european_area.get_absolute_url()).status_code == 404

    client = client_for(member)
    client.post(reverse("youth_panels:follow"), {"follow": "1"})
    assert client.get(european_area.get_absolute_url()).status_code == 200
    client.post(reverse("youth_panels:follow"), {"follow": "0"})
    assert client.get(european_area.get_absolute_url()).status_code == 404


def test_staff_who_follow_youth_work_read_but_cannot_comment(
    client_for, youth_panellist, youth_coordinator, member, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    services.promote_post(actor=youth_coordinator, post=post)
    services.set_following_youth_work(actor=member, follow=True)
    client = client_for(member)
    page = client.get(reverse("youth_panels:post", args=[post.pk]))
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    assert client.post(reverse("youth_panels:post", args=[post.pk]), {"body": "Hello young people"}).status_code == 403


def test_panellists_cannot_opt_in_as_followers(client_for, youth_panellist):
    assert client_for(youth_panellist).post(reverse("youth_panels:follow"), {"follow": "1"}).status_code == 403


def test_new_post_notifications_reach_only_people_who_see_the_space(
    youth_panellist, second_greek_panellist, youth_coordinator, irish_panellist, irish_coordinator, member,
    greek_panel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                      title="Visible to Greeks only")
    told = set(Notification.objects.filter(kind="youth_new_post").values_list("recipient_id", flat=True))
    assert second_greek_panellist.pk in told
    assert youth_coordinator.pk in told
    assert irish_panellist.pk not in told
    assert irish_coordinator.pk not in told
    assert member.pk not in told
    assert youth_panellist.pk not in told  # the author needs no notice of their own post


def test_coordinator_of_another_panel_cannot_see_or_decide_its_queue_items(
    client_for, youth_panellist, youth_coordinator, irish_coordinator, greek_panel
):
    post, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Held", body="Text")
    item = open_item_for(post)
    assert moderation_permissions.can_moderate_item(youth_coordinator, item)
    assert not moderation_permissions.can_moderate_item(irish_coordinator, item)
    client = client_for(irish_coordinator)
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 404
    response = client.post(reverse("moderation:decide", args=[item.pk]), {"decision": "approved"})
    assert response.status_code == 404
    assert ModerationItem.objects.get(pk=item.pk).status == ModerationItem.Status.OPEN
    queue = client.get(reverse("moderation:index")).content.decode()
    assert "Held" not in queue
    assert "Held" in client_for(youth_coordinator).get(reverse("moderation:index")).content.decode()


def test_coordinator_dashboard_is_404_for_outsiders_and_403_for_panellists(
    client_for, youth_panellist, youth_coordinator, irish_coordinator, greek_panel
):
    url = reverse("youth_panels:dashboard", args=[greek_panel.slug])
    assert client_for(irish_coordinator).get(url).status_code == 404
    assert client_for(youth_panellist).get(url).status_code == 403
    assert client_for(youth_coordinator).get(url).status_code == 200


def test_a_coordinator_appointed_with_the_object_permission_coordinates_that_panel_only(
    client_for, other_organisation, greek_panel, irish_panel
):
    from guardian.shortcuts import assign_perm

    appointed = make_member(organisation=other_organisation, display_name="Insafe youth team")
    give_totp(appointed)
    assign_perm("youth_panels.moderate_youthpanel", appointed, greek_panel)
    client = client_for(appointed)
    assert client.get(reverse("youth_panels:dashboard", args=[greek_panel.slug])).status_code == 200
    assert client.get(reverse("youth_panels:dashboard", args=[irish_panel.slug])).status_code == 404


def test_comments_of_another_panel_are_404_by_id(
    client_for, youth_panellist, youth_coordinator, irish_panellist, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    comment = approved_comment(author=youth_panellist, post=post, coordinator=youth_coordinator)
    response = client_for(irish_panellist).post(reverse("youth_panels:comment_delete", args=[comment.pk]))
    assert response.status_code == 404


def test_every_sic_country_has_a_panel_and_there_is_one_european_area(db):
    from community.models import Country

    assert YouthPanel.objects.filter(is_european=True).count() == 1
    sic_countries = set(Country.objects.filter(sic__isnull=False).values_list("pk", flat=True))
    assert set(YouthPanel.objects.filter(is_european=False).values_list("country_id", flat=True)) == sic_countries


def test_only_people_who_see_a_post_can_flag_it(client_for, youth_panellist, second_greek_panellist,
                                                youth_coordinator, irish_panellist, greek_panel):
    from django.contrib.contenttypes.models import ContentType

    from youth_panels.models import YouthPost

    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    url = reverse("moderation:flag", args=[ContentType.objects.get_for_model(YouthPost).pk, post.pk])
    assert client_for(irish_panellist).get(url).status_code == 404
    assert client_for(second_greek_panellist).get(url).status_code == 200


def test_a_silenced_panellist_is_told_and_loses_nothing_typed(client_for, youth_panellist, youth_coordinator,
                                                              greek_panel):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.registry import Space
    from moderation.services import silence_member
    from youth_panels.moderated import REGISTRATIONS

    silence_member(actor=youth_coordinator, member=youth_panellist,
                   space=Space(kind="youth_panel", pk=greek_panel.pk, label=greek_panel.name),
                   until=timezone.now() + timedelta(days=2), reason="Cooling off", registration=REGISTRATIONS[0])
    response = client_for(youth_panellist).post(reverse("youth_panels:post_new", args=[greek_panel.slug]),
                                                {"title": "Still here", "body": "My words"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cooling off" in page and "Still here" in page and "My words" in page


def test_a_removed_panellist_is_no_longer_notified_of_new_posts(
    youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    services.remove_panellist(actor=youth_coordinator, panel=greek_panel, panellist=second_greek_panellist)
    approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    assert not Notification.objects.filter(recipient=second_greek_panellist, kind="youth_new_post").exists()


def test_the_european_area_lists_promoted_posts_by_the_time_they_were_promoted(
    client_for, youth_panellist, youth_coordinator, irish_panellist, irish_coordinator, greek_panel, irish_panel,
    european_area
):
    older = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                          title="Written first")
    newer = approved_post(author=irish_panellist, panel=irish_panel, coordinator=irish_coordinator,
                          title="Written second")
    services.promote_post(actor=irish_coordinator, post=newer)
    services.promote_post(actor=youth_coordinator, post=older)
    page = client_for(irish_panellist).get(european_area.get_absolute_url()).content.decode()
    assert page.index("Written first") < page.index("Written second")
