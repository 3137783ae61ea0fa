"""The forums' dashboard panel and personal-data export section."""

from community.export import personal_data_of
from forums import services


def test_the_dashboard_shows_latest_discussions_the_member_may_read(member, hotline_analyst, helplines, hotlines,
                                                                    start_topic, client_for):
    start_topic(hotline_analyst, helplines, title="Visible to all staff")
    services.create_topic(actor=hotline_analyst, forum=hotlines, title="Hotline only topic", body="x")
    page = client_for(member).get("/").content.decode()
    assert "Latest discussions" in page
    assert "Visible to all staff" in page and "Hotline only topic" not in page


def test_the_export_contains_the_members_posts_revisions_and_drafts(member, org_admin, helplines, start_topic):
    topic = start_topic(member, helplines, body="My words")
    services.edit_post(actor=member, post=topic.posts.get(), body="My better words")
    services.reply(actor=org_admin, topic=topic, body="Someone else's words")
    services.save_draft(user=member, key=f"reply:{topic.pk}", body="Unsent")
    data = personal_data_of(member)["forum_posts"]
    assert [post["body"] for post in data["posts"]] == ["My better words"]
    assert [revision["body"] for revision in data["post_revisions_of_your_posts"]] == ["My words"]
    assert data["drafts"][0]["body"] == "Unsent"
    assert data["topics_started"][0]["title"] == topic.title


def test_the_demo_loader_is_idempotent(db):
    from django.core.management import call_command

    from forums.demo import load_demo
    from forums.models import BlogPost, Post, Topic

    def counts():
        return (Topic.all_objects.count(), Post.all_objects.count(), BlogPost.all_objects.count(),
                Topic.objects.filter(forum__is_listed=True).count(),
                Post.all_objects.exclude(moderation_state="approved").count())

    call_command("seed_demo", force=True, verbosity=0)
    seeded = counts()
    load_demo()
    call_command("seed_demo", force=True, verbosity=0)
    assert counts() == seeded
    # One published topic in each community of practice (other apps add topics to their own
    # unlisted spaces), nothing left waiting for review, and the article.
    assert seeded[3] == 4 and seeded[4] == 0 and seeded[2] == 1
    assert "hxxps://mirror[.]example[.]net/gallery" in Topic.all_objects.get(forum__slug="hotlines").posts.get(
        number=1).body_html
