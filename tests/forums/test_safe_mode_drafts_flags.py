"""Hotlines safe mode, server-side drafts, and reporting posts."""

import pytest
from django.core.exceptions import PermissionDenied

from forums import services
from forums.models import Draft
from moderation.models import Flag


def test_hotlines_posts_show_defanged_urls_and_no_link_or_image(hotline_analyst, hotlines, client_for):
    topic = services.create_topic(
        actor=hotline_analyst, forum=hotlines, title="Mirror sites",
        body="Mirror at https://bad.example.net/gallery and [here](http://x.example.org/a) ![pic](https://x.example.org/p.jpg)",
    )
    page = client_for(hotline_analyst).get(f"/forums/t/{topic.pk}/").content.decode()
    post_html = topic.posts.get().body_html
    assert "hxxps://bad[.]example[.]net/gallery" in page
    assert "<a " not in post_html and "<img" not in post_html
    assert 'href="https://bad.example.net' not in page and 'href="http://x.example.org' not in page


def test_the_hotlines_composer_reminds_authors_never_to_post_illegal_material(hotline_analyst, client_for):
    page = client_for(hotline_analyst).get("/forums/f/hotlines/new/").content.decode()
    assert "Never post suspected illegal material" in page


def test_the_hotlines_composers_describe_what_safe_mode_does_with_links_and_images(
        hotline_analyst, hotlines, member, helplines, client_for):
    topic = services.create_topic(actor=hotline_analyst, forum=hotlines, title="Mirrors", body="Seen today")
    analyst = client_for(hotline_analyst)
    for path in ("/forums/f/hotlines/new/", f"/forums/t/{topic.pk}/", f"/forums/p/{topic.posts.get().pk}/edit/"):
        page = analyst.get(path).content.decode()
        assert "Links are shown as defanged text and images are not shown." in page, path
        assert "[link](https://" not in page, path
    notice = analyst.get("/forums/f/hotlines/new/").content.decode()
    # A Markdown image is accepted (and shown as its text only): the notice must not say otherwise.
    assert "images are not shown" in notice and "images and attachments are not accepted" not in notice
    rejected = analyst.post("/forums/f/hotlines/new/", {"title": "", "body": "Kept"}).content.decode()
    assert "Links are shown as defanged text" in rejected and "Kept" in rejected
    assert "[link](https://" in client_for(member).get("/forums/f/helplines/new/").content.decode()


def test_other_forums_keep_clickable_links(member, helplines, start_topic):
    topic = start_topic(member, helplines, body="Guide: https://example.org/guide")
    assert '<a href="https://example.org/guide" rel="nofollow noopener ugc">' in topic.posts.get().body_html


def test_a_draft_is_saved_as_the_author_types_and_restored_on_any_device(member, helplines, client_for, client):
    response = client_for(member).post("/forums/drafts/", {"key": f"topic:{helplines.pk}", "title": "Half a title",
                                                          "body": "Half a thought"})
    assert response.status_code == 200 and response.json()["saved"] is True
    client.logout()
    page = client_for(member).get("/forums/f/helplines/new/").content.decode()
    assert "Half a thought" in page and "Half a title" in page
    assert 'data-draft-key="topic:' in page


def test_posting_clears_the_draft(member, helplines, start_topic):
    topic = start_topic(member, helplines)
    services.save_draft(user=member, key=f"reply:{topic.pk}", body="Almost done")
    services.reply(actor=member, topic=topic, body="Done")
    assert not Draft.objects.filter(user=member).exists()


def test_drafts_are_private_to_their_author(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    services.save_draft(user=member, key=f"reply:{topic.pk}", body="My private draft")
    assert "My private draft" not in client_for(org_admin).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "My private draft" in client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()


def test_drafts_are_kept_only_for_composers_the_writer_may_use(member, youth_panellist, hotline_analyst, hotlines,
                                                               client_for):
    hidden_topic = services.create_topic(actor=hotline_analyst, forum=hotlines, title="T", body="B")
    for key in (f"topic:{hotlines.pk}", f"reply:{hidden_topic.pk}", "reply:999999"):
        assert client_for(member).post("/forums/drafts/", {"key": key, "body": "x"}).status_code == 404, key
    assert client_for(youth_panellist).post("/forums/drafts/", {"key": "blog:new", "body": "x"}).status_code == 404
    assert not Draft.objects.exists()


def test_unknown_draft_keys_are_refused(member, client_for):
    response = client_for(member).post("/forums/drafts/", {"key": "../../etc", "body": "x"})
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_reporting_a_post_stores_a_flag_once(member, org_admin, helplines, start_topic, client_for):
    topic = start_topic(member, helplines)
    post = topic.posts.get()
    client = client_for(org_admin)
    assert client.get(f"/forums/p/{post.pk}/flag/").status_code == 200
    response = client.post(f"/forums/p/{post.pk}/flag/", {"category": "personal_information", "note": "A phone number"})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.content_object, flag.flagged_by, flag.category) == (post, org_admin, "personal_information")
    client.post(f"/forums/p/{post.pk}/flag/", {"category": "spam"})
    assert Flag.objects.count() == 1


def test_nobody_reports_their_own_post_or_one_they_cannot_see(member, hotline_analyst, hotlines, helplines,
                                                              start_topic, client_for):
    own = start_topic(member, helplines).posts.get()
    assert client_for(member).post(f"/forums/p/{own.pk}/flag/", {"category": "spam"}).status_code == 403
    hidden = services.create_topic(actor=hotline_analyst, forum=hotlines, title="T", body="B").posts.get()
    assert client_for(member).post(f"/forums/p/{hidden.pk}/flag/", {"category": "spam"}).status_code == 404
    assert not Flag.objects.exists()


@pytest.mark.parametrize("path", ["/forums/t/{topic}/", "/forums/p/{post}/", "/forums/p/{post}/history/",
                                  "/forums/p/{post}/edit/", "/forums/t/{topic}/unread/"])
def test_every_topic_and_post_url_answers_404_outside_the_audience(path, member, hotline_analyst, hotlines,
                                                                   client_for):
    topic = services.create_topic(actor=hotline_analyst, forum=hotlines, title="T", body="B")
    url = path.format(topic=topic.pk, post=topic.posts.get().pk)
    assert client_for(member).get(url).status_code == 404
    assert client_for(hotline_analyst).get(url).status_code in (200, 302)


def test_switching_safe_mode_on_defangs_links_already_posted_and_off_restores_them(
        member, network_coordinator, helplines, start_topic, client_for):
    topic = start_topic(member, helplines, body="Guide: https://example.org/guide")
    assert services.set_safe_mode(actor=network_coordinator, forum=helplines, enabled=True)
    page = client_for(member).get(f"/forums/t/{topic.pk}/").content.decode()
    assert "hxxps://example[.]org/guide" in page and 'href="https://example.org/guide"' not in page
    services.set_safe_mode(actor=network_coordinator, forum=helplines, enabled=False)
    assert 'href="https://example.org/guide"' in topic.posts.get().body_html


def test_only_network_coordinators_switch_safe_mode(member, hotlines):
    with pytest.raises(PermissionDenied):
        services.set_safe_mode(actor=member, forum=hotlines, enabled=False)
    hotlines.refresh_from_db()
    assert hotlines.safe_mode


def test_the_admin_shows_audience_and_safe_mode_but_leaves_changing_them_to_the_edit_page(
        member, helplines, start_topic, admin_client):
    topic = start_topic(member, helplines, body="Mirror: https://bad.example.net/x")
    page = admin_client.get(f"/admin/forums/forum/{helplines.pk}/change/")
    form = page.context["adminform"].form
    assert {"safe_mode", "read_services", "post_services"}.isdisjoint(form.fields)
    assert f'href="/forums/f/{helplines.slug}/edit/"' in page.content.decode()
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = admin_client.post(f"/admin/forums/forum/{helplines.pk}/change/", {**data, "safe_mode": "on"})
    assert response.status_code == 302
    helplines.refresh_from_db()
    assert not helplines.safe_mode and "https://bad.example.net/x" in topic.posts.get().body_html
    assert admin_client.get("/admin/forums/forum/add/").status_code == 403
