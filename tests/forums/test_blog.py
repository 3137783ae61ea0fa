"""The community blog: articles by staff, comments, watching, cover images."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forums import services
from forums.models import BlogComment, BlogPost, BlogSubscription, Tag
from notifications.models import Notification


def _image(fmt="PNG", size=(40, 30), name="cover.png", exif=False):
    buffer = BytesIO()
    image = Image.new("RGB", size, "teal")
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def article(member):
    return services.create_blog_post(actor=member, title="Safer Internet Day 2027 in Greece",
                                     body="Our campaign **reached** 40 schools.",
                                     tags=Tag.objects.filter(slug="media-literacy"))


def test_staff_write_an_article_with_a_cover_image_that_only_members_can_fetch(member, org_admin, client_for):
    response = client_for(member).post("/forums/blog/new/", {
        "title": "Trends in sextortion", "body": "What helplines see.", "cover_image": _image(exif=True),
        "cover_alt": "A teal rectangle", "tags": [Tag.objects.get(slug="sextortion").pk],
    })
    article = BlogPost.all_objects.get()
    assert response.status_code == 302
    assert article.country.code == "GR" and article.body_html == "<p>What helplines see.</p>"
    cover = client_for(org_admin).get(f"/forums/blog/{article.pk}/cover/")
    assert cover.status_code == 200
    content = b"".join(cover.streaming_content)
    assert b"SecretCameraMaker" not in content  # re-encoded: no metadata from the original file
    assert Image.open(BytesIO(content)).format == "PNG"


def test_cover_images_are_kept_in_private_storage_never_below_media_url(member, settings):
    article = services.create_blog_post(actor=member, title="T", body="B", cover_image=_image(), cover_alt="x")
    stored = Path(article.cover_image.path)
    assert stored.is_file() and stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.png"))


def test_a_cover_that_is_not_an_image_is_refused_and_the_text_is_kept(member, client_for):
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client_for(member).post("/forums/blog/new/", {"title": "Kept title", "body": "Kept body",
                                                             "cover_image": fake, "cover_alt": "x"})
    page = response.content.decode()
    assert response.status_code == 200 and "This file is not an image we can read." in page
    assert "Kept title" in page and "Kept body" in page
    assert not BlogPost.all_objects.exists()


def test_a_gif_cover_or_one_without_a_description_is_refused(member, client_for):
    client = client_for(member)
    gif = client.post("/forums/blog/new/", {"title": "T", "body": "B", "cover_image": _image("GIF", name="c.gif"),
                                            "cover_alt": "x"})
    assert "Please upload a JPEG, PNG or WebP image." in gif.content.decode()
    no_alt = client.post("/forums/blog/new/", {"title": "T", "body": "B", "cover_image": _image()})
    assert "Please describe the cover image" in no_alt.content.decode()
    assert not BlogPost.all_objects.exists()


def test_youth_panellists_do_not_see_the_staff_blog(youth_panellist, article, client_for):
    client = client_for(youth_panellist)
    assert client.get("/forums/blog/").status_code == 404
    assert client.get(f"/forums/blog/{article.pk}/").status_code == 404


def test_the_blog_lists_by_tag_country_and_author(article, other_org_admin, client_for, member):
    services.create_blog_post(actor=other_org_admin, title="Irish helpline trends", body="Q2 figures")
    client = client_for(member)
    assert "Irish helpline trends" not in client.get("/forums/blog/?tag=media-literacy").content.decode()
    by_country = client.get("/forums/blog/?country=IE").content.decode()
    assert "Irish helpline trends" in by_country and "Safer Internet Day" not in by_country
    by_author = client.get(f"/forums/blog/?author={member.pk}").content.decode()
    assert "Safer Internet Day" in by_author and "Irish helpline trends" not in by_author


def test_comments_notify_the_author_and_watchers_but_not_those_who_muted(article, member, org_admin,
                                                                         other_org_admin, client_for):
    response = client_for(org_admin).post(f"/forums/blog/{article.pk}/comment/", {"body": "Great **work**"})
    assert response.status_code == 302
    assert list(Notification.objects.filter(recipient=member).values_list("kind", flat=True)) == ["blog_comment"]
    services.set_blog_tracking(user=member, blog_post=article, level="muted")
    services.comment_on_blog_post(actor=other_org_admin, blog_post=article, body="Agreed")
    assert Notification.objects.filter(recipient=member).count() == 1
    assert Notification.objects.filter(recipient=org_admin, kind="blog_comment").count() == 1
    article.refresh_from_db()
    assert article.comment_count == 2


def test_an_articles_notification_menu_speaks_of_comments_and_saves_the_level(article, member, client_for):
    client = client_for(member)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Watching: every new comment" in page and "Normal: only when you are mentioned" in page
    assert "every new post" not in page
    client.post(f"/forums/blog/{article.pk}/tracking/", {"level": "muted"})
    assert '<option value="muted" selected>' in client.get(article.get_absolute_url()).content.decode()


def test_an_articles_notification_level_is_refused_to_outsiders_and_for_levels_not_offered(
        article, org_admin, youth_panellist, client, client_for):
    url = f"/forums/blog/{article.pk}/tracking/"
    client_for(org_admin).post(url, {"level": "everything"})
    client_for(youth_panellist).post(url, {"level": "watching"})
    client.post(url, {"level": "watching"})
    # No level stored for anyone but the author, who watches their own article.
    assert list(BlogSubscription.objects.filter(blog_post=article).values_list("user__email", "level")) == [
        (article.author.email, "watching")]
    assert client_for(youth_panellist).post(url, {"level": "watching"}).status_code == 404


def test_a_comment_mentions_staff_who_may_read_the_blog_and_nobody_else(article, member, org_admin,
                                                                          other_org_admin, youth_panellist):
    services.comment_on_blog_post(actor=org_admin, blog_post=article, body="@Aoife @Alex @Giorgos have a look")
    assert list(Notification.objects.filter(recipient=other_org_admin).values_list("kind", flat=True)) == [
        "forum_mention"]
    assert not Notification.objects.filter(recipient=youth_panellist).exists()
    # The article's author is mentioned and watching: one notification, the mention.
    assert list(Notification.objects.filter(recipient=member).values_list("kind", flat=True)) == ["forum_mention"]


def test_comments_are_sanitised(article, org_admin):
    comment = services.comment_on_blog_post(actor=org_admin, blog_post=article,
                                            body='<img src=x onerror=alert(1)>[x](javascript:alert(1))')
    assert comment.body_html == "<p>&lt;img src=x onerror=alert(1)&gt;<a>x</a></p>"


def test_only_the_author_or_a_moderator_edits_or_deletes_an_article(article, org_admin, moderator, client_for):
    assert client_for(org_admin).get(f"/forums/blog/{article.pk}/edit/").status_code == 403
    assert client_for(org_admin).post(f"/forums/blog/{article.pk}/delete/").status_code == 403
    assert client_for(moderator).post(f"/forums/blog/{article.pk}/delete/").status_code == 302
    assert client_for(org_admin).get(f"/forums/blog/{article.pk}/").status_code == 404


def test_only_the_commenter_or_a_moderator_edits_a_comment(article, org_admin, member, client_for):
    comment = services.comment_on_blog_post(actor=org_admin, blog_post=article, body="First")
    assert client_for(member).post(f"/forums/blog/comments/{comment.pk}/edit/", {"body": "X"}).status_code == 403
    assert client_for(org_admin).post(f"/forums/blog/comments/{comment.pk}/edit/", {"body": "Fixed"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body_html == "<p>Fixed</p>" and comment.edited_at is not None
    client_for(org_admin).post(f"/forums/blog/comments/{comment.pk}/delete/")
    assert BlogComment.all_objects.get().deleted_at is not None
    article.refresh_from_db()
    assert article.comment_count == 0


def test_blog_pages_run_a_constant_number_of_queries(article, member, organisation, client_for,
                                                     django_assert_max_num_queries):
    from tests.factories import make_member

    for n in range(12):
        services.comment_on_blog_post(actor=make_member(organisation=organisation), blog_post=article,
                                      body=f"Comment {n}")
    client = client_for(member)
    client.get("/forums/")
    # Request overhead (6) + grants; article, tags, comments with authors' memberships (2),
    # tracking level, comment draft; the list: count, page, tags, authors, filter choices.
    with django_assert_max_num_queries(16):
        assert client.get(f"/forums/blog/{article.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/forums/blog/").status_code == 200


def test_editing_an_article_restores_the_unsent_draft_of_the_edit(member, client_for):
    blog_post = services.create_blog_post(actor=member, title="Trends", body="First version")
    services.save_draft(user=member, key=f"blog:{blog_post.pk}", title="Trends", body="Half-written second version")
    page = client_for(member).get(f"/forums/blog/{blog_post.pk}/edit/").content.decode()
    assert "Half-written second version" in page and f'data-draft-key="blog:{blog_post.pk}"' in page
    services.edit_blog_post(actor=member, blog_post=blog_post, title="Trends", body="Second version")
    assert "Half-written" not in client_for(member).get(f"/forums/blog/{blog_post.pk}/edit/").content.decode()


def _hide_after_a_flag(target, *, flagger, moderator):
    from django.contrib.contenttypes.models import ContentType

    from moderation.models import Flag, ModerationItem
    from moderation.services import decide, flag_content

    flag_content(actor=flagger, target=target, category=Flag.Category.SPAM)
    item = ModerationItem.objects.get(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                                      status=ModerationItem.Status.OPEN)
    assert decide(actor=moderator, item=item, decision=ModerationItem.Decision.HIDDEN, reason_code="spam")
    target.refresh_from_db()
    assert target.moderation_state == "hidden"


def test_authors_find_their_hidden_article_and_comment_and_may_delete_but_not_edit_them(
    article, member, org_admin, moderator, client_for
):
    comment = services.comment_on_blog_post(actor=org_admin, blog_post=article, body="Buy cheap followers here")
    _hide_after_a_flag(comment, flagger=member, moderator=moderator)
    commenter = client_for(org_admin)
    page = commenter.get(article.get_absolute_url()).content.decode()
    assert "Buy cheap followers here" in page and "Hidden by a moderator" in page
    assert f"/forums/blog/comments/{comment.pk}/edit/" not in page
    assert commenter.get(f"/forums/blog/comments/{comment.pk}/edit/").status_code == 403
    assert "Buy cheap followers here" not in client_for(member).get(article.get_absolute_url()).content.decode()
    commenter = client_for(org_admin)  # one test client: signing in again switches it back
    assert commenter.post(f"/forums/blog/comments/{comment.pk}/delete/").status_code == 302
    assert BlogComment.all_objects.get(pk=comment.pk).deleted_at is not None

    _hide_after_a_flag(article, flagger=org_admin, moderator=moderator)
    author = client_for(member)
    page = author.get(article.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in page and f"/forums/blog/{article.pk}/edit/" not in page
    assert author.get(f"/forums/blog/{article.pk}/edit/").status_code == 403
    assert "Safer Internet Day 2027 in Greece" in author.get("/forums/blog/").content.decode()
    assert client_for(org_admin).get(article.get_absolute_url()).status_code == 404
    assert client_for(org_admin).post(f"/forums/blog/{article.pk}/delete/").status_code == 404
    author = client_for(member)
    assert author.post(f"/forums/blog/{article.pk}/delete/").status_code == 302
    assert BlogPost.all_objects.get(pk=article.pk).deleted_at is not None
