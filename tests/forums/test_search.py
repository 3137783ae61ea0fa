"""Search finds what the viewer may read and nothing else, with filters and highlighted snippets."""

import datetime

from forums import selectors, services
from forums.models import Tag


def _titles(client, query_string) -> str:
    return client.get(f"/forums/search/?{query_string}").content.decode()


def test_search_finds_posts_and_topic_titles_with_a_highlighted_snippet(member, org_admin, helplines, start_topic,
                                                                        client_for):
    start_topic(member, helplines, title="Deepfake nudes in schools",
                body="Schools report deepfake images of pupils shared in group chats.")
    page = _titles(client_for(org_admin), "q=deepfake")
    assert "Deepfake nudes in schools" in page
    assert "<mark>" in page and "1 result" in page


def test_search_never_shows_posts_from_forums_the_viewer_cannot_read(member, hotline_analyst, hotlines, helplines,
                                                                     start_topic, client_for):
    services.create_topic(actor=hotline_analyst, forum=hotlines, title="Takedown of grooming forums",
                          body="Hosting provider in grooming case")
    start_topic(member, helplines, title="Grooming helpline contacts", body="Grooming contacts rose")
    member_page = _titles(client_for(member), "q=grooming")
    assert "Grooming helpline contacts" in member_page and "Takedown" not in member_page
    analyst_results = selectors.search_posts(hotline_analyst, selectors.SearchFilters(query="grooming"))
    assert {post.topic.title for post in analyst_results} == {"Takedown of grooming forums",
                                                             "Grooming helpline contacts"}


def test_search_leaves_out_deleted_and_held_posts(member, org_admin, helplines, start_topic, monkeypatch):
    topic = start_topic(member, helplines, title="Visible", body="nothing here")
    deleted = services.reply(actor=member, topic=topic, body="sextortion details removed")
    services.delete_post(actor=member, post=deleted)

    def hold(*, actor, instance, text=""):
        instance.moderation_state = "pending"
        return ["Held"]

    monkeypatch.setattr(services, "submit_content", hold)
    services.reply(actor=member, topic=topic, body="sextortion pending text")
    assert list(selectors.search_posts(org_admin, selectors.SearchFilters(query="sextortion"))) == []


def test_search_filters_by_forum_tag_author_and_date(member, org_admin, helplines, forums, start_topic, client_for):
    start_topic(member, helplines, title="Gaming chat risks", body="gaming chats",
                tags=Tag.objects.filter(slug="gaming"))
    start_topic(org_admin, forums["awareness"], title="Gaming campaign", body="gaming campaign material")
    client = client_for(member)
    assert "Gaming campaign" not in _titles(client, "q=gaming&forum=helplines")
    assert "Gaming campaign" not in _titles(client, "q=gaming&tag=gaming")
    by_author = _titles(client, f"q=gaming&author={org_admin.display_name}")
    assert "Gaming campaign" in by_author and "Gaming chat risks" not in by_author
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    later = _titles(client, f"q=gaming&date_from={tomorrow}")
    assert "Nothing matches" in later, later[later.find("<main"):]
    # A filter emptied the results: the page says so; without one, only the words can change.
    assert "or remove a filter" in later
    unfiltered = _titles(client, "q=nonexistentword")
    assert "Nothing matches" in unfiltered and "or remove a filter" not in unfiltered


def test_snippets_escape_the_text_they_highlight(member, org_admin, helplines, start_topic, client_for):
    start_topic(member, helplines, title="Markup <img src=x onerror=alert(2)>",
                body="Typed `<script>alert(1)</script>` about phishing")
    page = _titles(client_for(org_admin), "q=phishing")
    # PostgreSQL's headline drops tag-like words, the fallback escapes them: never markup.
    assert "<script>alert(1)</script>" not in page and "alert(1)" in page
    assert "Markup &lt;img src=x onerror=alert(2)&gt;</a>" in page


def test_an_empty_query_asks_for_words_instead_of_listing_everything(member, client_for):
    page = client_for(member).get("/forums/search/?q=").content.decode()
    assert "result" not in page

