"""The list, the bell's JSON feed, marking read and the preferences page."""

from django.urls import reverse

from notifications.kinds import Delivery
from notifications.models import Notification, NotificationPreference
from notifications.services import notify, set_preferences


def _form_data(page, **changes):
    """What the browser would post: every field as shown, with the member's changes."""
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "weekly_digest"}
    if form["weekly_digest"].value():
        data["weekly_digest"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _make(recipient, count, kind="role_change"):
    return [notify(recipients=[recipient], kind=kind, title=f"Notice {n}", url="/")[0] for n in range(count)]


def test_reconnecting_client_catches_up_on_what_it_missed_oldest_first(member, org_admin, client_for):
    seen = _make(member, 2)
    missed = _make(member, 3)
    _make(org_admin, 2)

    response = client_for(member).get(reverse("notifications:feed"), {"after": seen[-1].pk})

    data = response.json()
    assert [item["id"] for item in data["notifications"]] == [n.pk for n in missed]
    assert data["unread_count"] == 5
    assert data["has_more"] is False
    assert response["Cache-Control"].startswith("max-age=0")


def test_feed_without_a_last_id_gives_the_latest_ten_newest_first(member, client_for):
    created = _make(member, 12)

    data = client_for(member).get(reverse("notifications:feed")).json()

    assert [item["id"] for item in data["notifications"]] == [n.pk for n in reversed(created)][:10]


def test_feed_hands_the_browser_only_site_relative_links(member, client_for):
    notify(recipients=[member], kind="role_change", title="Off-site", url="https://evil.example/")
    notify(recipients=[member], kind="role_change", title="Protocol-relative", url="//evil.example/")
    notify(recipients=[member], kind="role_change", title="On site", url="/forums/")

    data = client_for(member).get(reverse("notifications:feed")).json()

    assert [item["url"] for item in data["notifications"]] == ["/forums/", "", ""]


def test_feed_and_list_refuse_anonymous_visitors(client, db):
    for name in ("notifications:feed", "notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_feed_runs_a_constant_number_of_queries(member, client_for, django_assert_max_num_queries):
    client = client_for(member)
    client.get(reverse("notifications:feed"))
    _make(member, 2)
    # Session, user, membership and MFA checks of the middleware, the header's unread count,
    # the notifications and the unread count: the same with 2 or 40 notifications.
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:feed"))
    _make(member, 38)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:feed"))


def test_list_page_runs_a_constant_number_of_queries(member, client_for, django_assert_max_num_queries):
    client = client_for(member)
    _make(member, 2)
    client.get(reverse("notifications:list"))
    # Middleware checks, the header's count, the page count and the page of notifications.
    with django_assert_max_num_queries(15) as small:
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    _make(member, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("notifications:list"))
    assert b"Notice 59" in response.content
    assert reverse("notifications:preferences").encode() in response.content


def test_marking_one_read_answers_with_the_new_count_and_someone_elses_is_not_found(member, org_admin, client_for):
    mine = _make(member, 2)
    theirs = _make(org_admin, 1)
    client = client_for(member)

    response = client.post(reverse("notifications:mark_read", args=[mine[0].pk]), HTTP_ACCEPT="application/json")
    assert response.json() == {"unread_count": 1}

    for name in ("notifications:mark_read", "notifications:open"):
        assert client.post(reverse(name, args=[theirs[0].pk]), HTTP_ACCEPT="application/json").status_code == 404
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None


def test_mark_all_read_works_with_and_without_javascript(member, client_for):
    _make(member, 3)
    client = client_for(member)

    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    _make(member, 1)
    response = client.post(reverse("notifications:mark_all_read"), HTTP_ACCEPT="application/json")

    assert response.json() == {"unread_count": 0, "marked": 1}
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_marking_read_requires_post(member, client_for):
    (notification,) = _make(member, 1)

    response = client_for(member).get(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 405


def test_preferences_page_saves_choices_and_keeps_defaults_as_no_row(member, client_for, test_kinds):
    client = client_for(member)
    page = client.get(reverse("notifications:preferences"))
    assert b"Replies in topics you watch" in page.content

    data = _form_data(page, kind__test_reply=Delivery.DIGEST, kind__test_new_topic=Delivery.OFF)
    data.pop("weekly_digest", None)
    response = client.post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery")) == {
        "test_reply": Delivery.DIGEST, "test_new_topic": Delivery.OFF,
    }
    assert not member.notification_email_settings.weekly_digest


def test_preferences_offer_youth_panellists_no_immediate_email_and_refuse_it(youth_panellist, client_for, test_kinds):
    client = client_for(youth_panellist)
    page = client.get(reverse("notifications:preferences"))
    reply_field = page.content.decode().split('name="kind__test_reply"')[1].split("</select>")[0]
    assert 'value="email"' not in reply_field

    response = client.post(
        reverse("notifications:preferences"),
        _form_data(page, kind__test_reply=Delivery.EMAIL, kind__test_mention=Delivery.SITE),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    # What the member chose is kept in the re-shown form.
    assert '<option value="site" selected>' in response.content.decode()
    assert not NotificationPreference.objects.filter(user=youth_panellist).exists()


def test_account_mail_cannot_be_switched_off(member, test_kinds):
    import pytest

    with pytest.raises(ValueError):
        set_preferences(user=member, deliveries={"test_account": Delivery.OFF}, weekly_digest=True)
