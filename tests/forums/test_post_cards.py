"""The topic page's post cards (forums.rendering): what each viewer sees and may do, with
every member-supplied text escaped."""

import re

from community.models import Role
from forums import services
from forums.models import Forum, Post
from tests.factories import give_totp, make_member, make_organisation


def _card(html: str, number: int) -> str:
    match = re.search(rf'<article [^>]*id="post-{number}".*?</article>', html, re.S)
    assert match, f"post {number} is not on the page"
    return match.group(0)


def test_names_and_organisations_are_escaped_in_the_author_line(helplines, start_topic, client_for):
    organisation = make_organisation(country_code="IE", name='Helpline <script>alert("o")</script>')
    author = make_member(organisation=organisation, display_name='<img src=x onerror=alert(1)>')
    topic = start_topic(author, helplines)
    html = client_for(author).get(topic.get_absolute_url()).content.decode()
    card = _card(html, 1)
    assert "<img src=x" not in card and "<script>" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "Helpline &lt;script&gt;alert(&quot;o&quot;)&lt;/script&gt;, IE" in card


def test_a_youth_panellist_appears_with_panel_and_country_not_organisation(forums, start_topic, client_for):
    organisation = make_organisation(country_code="PT", name="Escola Secundária do Porto")
    panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, display_name="Rita")
    staff = make_member(organisation=make_organisation(country_code="PT", name="Linha Internet Segura"),
                        display_name="Joana")
    youth = Forum.objects.get(slug="youth")
    topic = start_topic(staff, youth)
    services.reply(actor=panellist, topic=topic, body="Hello from the panel")
    # Held for review: its author sees it, labelled.
    card = _card(client_for(panellist).get(topic.get_absolute_url()).content.decode(), 2)
    assert "Youth panel, Portugal" in card
    assert "Escola Secundária do Porto" not in card
    assert "Waiting for review: only you and moderators see this" in card


def test_own_posts_offer_edit_and_delete_and_others_offer_report(member, org_admin, helplines, start_topic,
                                                                  client_for):
    topic = start_topic(member, helplines)
    services.reply(actor=org_admin, topic=topic, body="A reply")
    html = client_for(member).get(topic.get_absolute_url()).content.decode()
    own, other = _card(html, 1), _card(html, 2)
    assert "/edit/" in own and "/delete/" in own and "/flag/" not in own
    assert "/edit/" not in other and "/delete/" not in other and "/flag/" in other
    assert '<span class="visually-hidden"> post 2</span>' in other


def test_a_deleted_post_shows_its_text_and_restore_button_to_moderators_only(member, org_admin, moderator,
                                                                              helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    reply = services.reply(actor=org_admin, topic=topic, body="Regretted words")
    services.delete_post(actor=org_admin, post=reply)

    as_member = _card(client_for(member).get(topic.get_absolute_url()).content.decode(), 2)
    assert "Deleted by its author." in as_member
    assert "Regretted words" not in as_member and "/restore/" not in as_member

    as_moderator = _card(client_for(moderator).get(topic.get_absolute_url()).content.decode(), 2)
    assert "Regretted words" in as_moderator
    assert re.search(r'<form method="post" action="/forums/p/\d+/restore/"><input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="[^"]+">', as_moderator)


def test_safe_mode_forums_mark_the_post_body(hotlines, start_topic, client_for):
    analyst = make_member(organisation=make_organisation(country_code="NL", services_codes=("hotline",)),
                          services_codes=("hotline",), display_name="Analyst")
    give_totp(analyst)
    topic = start_topic(analyst, hotlines, body="See https://example.com/page")
    card = _card(client_for(analyst).get(topic.get_absolute_url()).content.decode(), 1)
    assert '<div class="post-body safe-mode">' in card
    assert "hxxps://example[.]com" in card and 'href="https://example.com' not in card


def test_replies_name_the_post_they_answer_and_former_members_stay_anonymous(member, org_admin, helplines,
                                                                            start_topic, client_for):
    topic = start_topic(member, helplines)
    first_reply = services.reply(actor=org_admin, topic=topic, body="First answer")
    services.reply(actor=member, topic=topic, body="Answering the first reply", quote=first_reply)
    Post.all_objects.filter(pk=first_reply.pk).update(author=None)  # the account was erased

    html = client_for(member).get(topic.get_absolute_url()).content.decode()
    answer = _card(html, 3)
    assert "in reply to #2" in answer
    organisation = member.approved_membership.organisation.name
    assert f'{member.display_name}</span> <span class="muted small">{organisation}, ' in answer
    assert '<span class="author-name">A former member</span>' in _card(html, 2)
    assert "in reply to" not in _card(html, 2)
