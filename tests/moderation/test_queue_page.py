"""The queue page: rendered content, diffs, filters, header count, constant query count."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from forums.models import Post
from moderation import services
from moderation.context_processors import pending_moderation
from moderation.models import ModerationItem, ModerationState

from .conftest import edit_post, make_topic, write_post

pytestmark = pytest.mark.django_db


def _many_pending(topic, author, count):
    """`count` pending posts with their queue items, as submit_content + save leave them,
    written in bulk so the large case stays fast."""
    start = topic.last_post_number
    posts = Post.all_objects.bulk_create([
        Post(topic=topic, author=author, number=start + n + 1, body=f"Bulk post {n}",
             body_html=f"<p>Bulk post {n}</p>", moderation_state=ModerationState.PENDING)
        for n in range(count)
    ])
    topic.last_post_number = start + count
    topic.save(update_fields=["last_post_number"])
    content_type = ContentType.objects.get_for_model(Post)
    ModerationItem.objects.bulk_create([
        ModerationItem(content_type=content_type, object_id=post.pk, kind="new", reason="pre_moderation",
                       space_kind="forum", space_id=topic.forum_id, space_label=topic.forum.name, author=author,
                       author_name=author.display_name, title=topic.title, content_text=post.body,
                       content_html=post.body_html)
        for post in posts
    ])


@pytest.mark.parametrize("count", [10, 1000])
def test_the_queue_page_runs_a_constant_number_of_queries(
    client_for, django_assert_max_num_queries, topic, other_forum, youth_panellist, forum_moderator, count
):
    _many_pending(topic, youth_panellist, count)
    _many_pending(make_topic(forum=other_forum, author=forum_moderator), youth_panellist, count)
    client = client_for(forum_moderator)
    client.get(reverse("moderation:index"))  # Warms Django's process-wide content-type cache.
    # 20 = session, user, roles, membership, its services (middleware and header: 5); the
    # spaces with waiting items (1); one scope check per space, never per item (2 forums x
    # guardian's user and group permissions: 4); the page count, the page, its flags (3); the
    # bell's unread count (1); the header's live queue count, which asks the same scope again
    # (spaces 1, scope checks 4, count 1).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("moderation:index"))
    assert response.status_code == 200
    assert f"{count} items wait for your decision" in response.content.decode()


def test_the_queue_shows_content_as_it_would_appear_oldest_first(client_for, topic, youth_panellist, forum_moderator):
    write_post(author=youth_panellist, topic=topic, body="first *waiting* post")
    write_post(author=youth_panellist, topic=topic, body="second waiting post")
    page = client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    assert "<p>first *waiting* post</p>" in page
    assert page.index("first *waiting*") < page.index("second waiting")
    # Held seconds ago: not "waiting 0 minutes".
    assert page.count("waiting less than a minute") == 2


def test_the_queue_escapes_what_it_did_not_render(client_for, topic, youth_panellist, forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="clean")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(), decision="approved")
    post.refresh_from_db()
    edit_post(actor=youth_panellist, post=post, body="<script>alert(1)</script> add me on snap")
    page = client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert escape("<script>alert(1)</script>") in page


def test_a_revision_is_shown_as_a_diff_against_the_approved_version(client_for, topic, youth_panellist,
                                                                    forum_moderator):
    post, _ = write_post(author=youth_panellist, topic=topic, body="We met on Monday")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(), decision="approved")
    post.refresh_from_db()
    edit_post(actor=youth_panellist, post=post, body="We met on Friday")
    page = client_for(forum_moderator).get(reverse("moderation:index")).content.decode()
    assert "<del>Monday</del><ins>Friday</ins>" in page


def test_the_queue_filters_by_space_and_reason(client_for, topic, other_forum, youth_panellist, moderator):
    write_post(author=youth_panellist, topic=topic, body="in helplines")
    write_post(author=youth_panellist, topic=make_topic(forum=other_forum, author=moderator), body="add me on snap")
    client = client_for(moderator)
    page = client.get(reverse("moderation:index"), {"space": f"forum:{topic.forum_id}"}).content.decode()
    assert "in helplines" in page and "add me on snap" not in page
    page = client.get(reverse("moderation:index"), {"reason": "auto_hold"}).content.decode()
    assert "add me on snap" in page and "in helplines" not in page
    page = client.get(reverse("moderation:index"), {"rule": "handle"}).content.decode()
    assert "add me on snap" in page and "in helplines" not in page
    page = client.get(reverse("moderation:index"), {"rule": "phone"}).content.decode()
    assert "add me on snap" not in page


def test_the_header_count_is_what_the_viewer_may_decide(rf, topic, youth_panellist, forum_moderator,
                                                       other_forum_moderator):
    write_post(author=youth_panellist, topic=topic)
    write_post(author=youth_panellist, topic=topic)
    for person, expected in ((forum_moderator, 2), (other_forum_moderator, 0), (youth_panellist, 0)):
        request = rf.get("/")
        request.user = person
        assert pending_moderation(request)["moderation_pending_count"] == expected


def test_a_decided_item_leaves_every_queue(client_for, topic, youth_panellist, forum_moderator, moderator):
    write_post(author=youth_panellist, topic=topic, body="decide me once")
    services.decide(actor=forum_moderator, item=ModerationItem.objects.get(), decision="approved")
    assert "decide me once" not in client_for(moderator).get(reverse("moderation:index")).content.decode()


def test_the_pending_count_endpoint_answers_per_viewer(client_for, topic, youth_panellist, forum_moderator,
                                                       other_forum_moderator):
    write_post(author=youth_panellist, topic=topic)
    assert client_for(forum_moderator).get(reverse("moderation:pending_count")).json() == {"pending": 1}
    response = client_for(other_forum_moderator).get(reverse("moderation:pending_count"))
    assert response.json() == {"pending": 0}
    assert response["Cache-Control"] == "private, no-store"


def test_the_header_links_moderators_to_the_queue_with_its_count(client_for, topic, youth_panellist, forum_moderator,
                                                                 member):
    write_post(author=youth_panellist, topic=topic, body="waiting post")
    page = client_for(forum_moderator).get(reverse("forums:index")).content.decode()
    assert 'class="moderation-link"' in page
    assert 'data-live-stream="moderation_queue"' in page
    assert '<span class="badge-inline" data-live-count>1</span>' in page
    assert 'class="moderation-link"' not in client_for(member).get(reverse("forums:index")).content.decode()
