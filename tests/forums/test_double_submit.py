"""The same composer sent twice (double click, browser resend) creates one reply, one article."""

import re

from forums import services
from forums.models import BlogPost, Post
from notifications.models import Notification


def _token(html: str) -> str:
    return re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html).group(1)


def test_sending_the_same_reply_twice_posts_it_once(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    client = client_for(org_admin)
    token = _token(client.get(f"/forums/t/{topic.pk}/").content.decode())
    form = {"body": "Same answer", "submission_token": token}

    first = client.post(f"/forums/t/{topic.pk}/reply/", form)
    second = client.post(f"/forums/t/{topic.pk}/reply/", form)

    assert Post.all_objects.filter(topic=topic, body="Same answer").count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Notification.objects.filter(recipient=member, kind="forum_post").count() == 1


def test_a_new_composer_gets_a_new_token_so_the_next_reply_is_posted(member, org_admin, helplines, start_topic,
                                                                     client_for):
    topic = start_topic(member, helplines)
    client = client_for(org_admin)
    for body in ("First answer", "Second answer"):
        token = _token(client.get(f"/forums/t/{topic.pk}/").content.decode())
        client.post(f"/forums/t/{topic.pk}/reply/", {"body": body, "submission_token": token})
    assert list(topic.posts.order_by("number").values_list("body", flat=True))[1:] == ["First answer",
                                                                                       "Second answer"]


def test_a_token_from_another_member_does_not_swallow_their_reply(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines)
    token = "6f1c1a52-8d53-4d7c-9c1e-4e1c2b7f0a11"
    services.reply(actor=member, topic=topic, body="Mine", submission_token=token)
    services.reply(actor=org_admin, topic=topic, body="Theirs", submission_token=token)
    assert topic.posts.count() == 3


def test_sending_the_same_article_twice_publishes_it_once(member, client_for):
    client = client_for(member)
    token = _token(client.get("/forums/blog/new/").content.decode())
    form = {"title": "Safer Internet Day recap", "body": "What we did.", "submission_token": token}

    first = client.post("/forums/blog/new/", form)
    second = client.post("/forums/blog/new/", form)

    assert BlogPost.all_objects.filter(author=member).count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
