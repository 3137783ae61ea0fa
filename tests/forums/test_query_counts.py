"""List and detail pages run a constant number of queries whatever the number of posts,
authors and tags (issue 3: 5 and 200 posts)."""

import pytest

from forums import services
from forums.models import Tag
from tests.factories import make_member, make_organisation

# Request overhead shared by every page (6): session, user, groups (roles), approved membership
# with its services, unread notification count; plus the viewer's forum grants (1 query:
# guardian user and group permissions, service audiences).
TOPIC_PAGE_QUERIES = 15
LIST_PAGE_QUERIES = 15


def _busy_topic(forum, posts: int, authors: int):
    people = [make_member(organisation=make_organisation(country_code=code), display_name=f"Author {n}")
              for n, code in zip(range(authors), ["GR", "IE", "BE", "PL", "AT", "EE"] * 10, strict=False)]
    topic = services.create_topic(actor=people[0], forum=forum, title="Busy topic", body="Opening",
                                  tags=Tag.objects.all()[:5])
    for number in range(2, posts + 1):
        quote = topic.posts.order_by("-number").first() if number % 3 == 0 else None
        body = (services.quote_markdown(quote) if quote else "") + f"Reply {number} mentioning @author-1"
        services.reply(actor=people[number % authors], topic=topic, body=body, quote=quote)
    return topic


@pytest.mark.parametrize("posts,authors", [(5, 2), (200, 6)])
def test_the_topic_page_runs_a_constant_number_of_queries(posts, authors, helplines, member, client_for,
                                                          django_assert_max_num_queries):
    topic = _busy_topic(helplines, posts, authors)
    client = client_for(member)
    client.get("/forums/")  # warm the session and per-process caches (content types)
    # The page's own queries (8): topic with forum/author/country; the viewer's read position,
    # tracking level and reply draft (one statement); posts count; the page of posts (authors
    # and quoted posts joined); authors' memberships with organisation and country;
    # read-position UPDATE (+ INSERT on a first visit); tags.
    with django_assert_max_num_queries(TOPIC_PAGE_QUERIES):
        response = client.get(f"/forums/t/{topic.pk}/?page=last")
    assert response.status_code == 200
    assert f"Reply {posts}" in response.content.decode()


@pytest.mark.parametrize("topics", [3, 40])
def test_forum_and_latest_lists_run_a_constant_number_of_queries(topics, helplines, member, client_for,
                                                                 django_assert_max_num_queries):
    people = [make_member(organisation=make_organisation(country_code=code)) for code in ("GR", "IE", "BE")]
    for n in range(topics):
        topic = services.create_topic(actor=people[n % 3], forum=helplines, title=f"Topic {n}", body="Body",
                                      tags=Tag.objects.all()[n % 4:n % 4 + 2])
        services.reply(actor=people[(n + 1) % 3], topic=topic, body="Reply")
    client = client_for(member)
    client.get("/forums/")
    # Page queries (7): forum, tracking level, count, topics with reading-state subqueries
    # (read position, "mark all read", tracking, unread count), tags prefetch, the filter
    # form's tags and countries.
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        assert client.get("/forums/f/helplines/").status_code == 200
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        assert client.get("/forums/topics/?show=unread").status_code == 200
    # The index: forums with unread counts, latest topics with reading state and tags.
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        assert client.get("/forums/").status_code == 200
