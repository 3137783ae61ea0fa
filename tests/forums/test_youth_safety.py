"""Issue 5 in the forums: no contact path from adults to youth panellists, the helpline on youth
discussions, and no link to a blog a panellist cannot read."""

from forums import services
from notifications.models import Notification
from tests.factories import make_organisation
from youth_panels.models import YouthPanel
from youth_panels.services import discussion_forum_for


def _mentions(user) -> int:
    return Notification.objects.filter(recipient=user, kind="forum_mention").count()


def test_an_adult_member_mentioning_a_youth_panellist_does_not_notify_them(
        member, youth_coordinator, youth_panellist, forums, start_topic):
    topic = start_topic(youth_coordinator, forums["youth"])
    services.reply(actor=member, topic=topic, body=f"@{youth_panellist.display_name} message me privately")
    assert _mentions(youth_panellist) == 0


def test_youth_coordinators_and_moderators_may_still_mention_a_panellist(
        youth_coordinator, moderator, youth_panellist, forums, start_topic):
    topic = start_topic(youth_coordinator, forums["youth"], body=f"Welcome @{youth_panellist.display_name}!")
    services.reply(actor=moderator, topic=topic, body=f"@{youth_panellist.display_name} thanks for the poster")
    assert _mentions(youth_panellist) == 2


def test_an_adult_mention_of_another_adult_still_notifies(member, org_admin, forums, start_topic):
    start_topic(member, forums["helplines"], body=f"@{org_admin.display_name} see this")
    assert _mentions(org_admin) == 1


def test_a_youth_discussion_shows_the_panellists_national_helpline(
        network_coordinator, youth_panellist, client_for):
    make_organisation(country_code="GR", name="Greek Child Helpline", services_codes=("helpline",),
                      helpline_phone="210 123 4567", helpline_url="https://helpline.example.gr/chat")
    forum = discussion_forum_for(YouthPanel.objects.get(country__code="GR"))
    services.grant_forum_access(forum=forum, to=youth_panellist, can_post=True)
    topic = services.create_topic(actor=network_coordinator, forum=forum, title="Exam stress", body="Tips?")

    html = client_for(youth_panellist).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "Need help now?" in html
    assert 'href="tel:2101234567"' in html and "Greek Child Helpline" in html


def test_ordinary_forum_topics_carry_no_youth_help_box(member, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    assert "Need help now?" not in client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()


def test_the_forums_nav_links_the_blog_only_for_those_who_may_read_it(youth_panellist, member, client_for):
    assert client_for(youth_panellist).get("/forums/blog/").status_code == 404
    assert 'href="/forums/blog/"' not in client_for(youth_panellist).get("/forums/").content.decode()
    assert 'href="/forums/blog/"' in client_for(member).get("/forums/").content.decode()
