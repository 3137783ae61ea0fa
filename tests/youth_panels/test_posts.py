"""The youth blog: pre-moderation, comments, promotion, deletion and images."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from moderation.models import AuditEntry, ModerationItem, ModerationPolicy
from moderation.registry import Audience, PolicyMode
from notifications.models import Notification
from youth_panels import images, services
from youth_panels.models import YouthPost

from .helpers import approve, approved_comment, approved_post, open_item_for

pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "SecretCam 1.0"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (37.0, 58.0, 12.5)  # GPSLatitude: Athens
    gps[3] = "E"
    gps[4] = (23.0, 43.0, 40.1)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes())
    # Something appended after the image data (a polyglot trick) must not survive either.
    return output.getvalue() + b"TRAILING-SECRET<script>alert(1)</script>"


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(output, format="PNG")
    return output.getvalue()


def _gif() -> bytes:
    output = io.BytesIO()
    Image.new("P", (10, 10)).save(output, format="GIF")
    return output.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_a_panellists_post_waits_for_a_coordinator_and_appears_once_approved(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    response = client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]), {"title": "My campaign", "body": "We made a video"}
    )
    post = YouthPost.all_objects.get(title="My campaign")
    assert response.status_code == 302
    assert post.moderation_state == "pending"
    own_view = client_for(youth_panellist).get(greek_panel.get_absolute_url()).content.decode()
    assert "My campaign" in own_view and "Waiting for a coordinator" in own_view
    assert client_for(second_greek_panellist).get(reverse("youth_panels:post", args=[post.pk])).status_code == 404
    assert "My campaign" not in client_for(second_greek_panellist).get(greek_panel.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=youth_coordinator, kind="youth_waiting_for_review").exists()

    approve(youth_coordinator, post)
    assert client_for(second_greek_panellist).get(reverse("youth_panels:post", args=[post.pk])).status_code == 200


def test_contact_data_from_a_panellist_is_held_with_the_reason(client_for, youth_panellist, greek_panel):
    response = client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]),
        {"title": "Call me", "body": "My number is +30 691 234 5678"}, follow=True,
    )
    item = open_item_for(YouthPost.all_objects.get(title="Call me"))
    assert item.reason == ModerationItem.Reason.AUTO_HOLD
    assert "phone number" in response.content.decode()


def test_a_coordinators_post_is_published_at_once(youth_coordinator, greek_panel):
    post, held = services.create_post(actor=youth_coordinator, panel=greek_panel, title="Welcome", body="Hello")
    assert held == [] and post.moderation_state == "approved"


def test_staff_cannot_write_in_a_panel(client_for, member, network_coordinator, greek_panel, european_area):
    assert client_for(member).get(reverse("youth_panels:post_new", args=[greek_panel.slug])).status_code == 404
    services.set_following_youth_work(actor=member, follow=True)
    assert client_for(member).get(reverse("youth_panels:post_new", args=[european_area.slug])).status_code == 403


def test_comments_from_panellists_are_pre_moderated(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    client_for(second_greek_panellist).post(reverse("youth_panels:post", args=[post.pk]), {"body": "Great idea!"})
    comment = post.comments.get()
    assert comment.moderation_state == "pending"
    assert "Great idea!" not in client_for(youth_panellist).get(post.get_absolute_url()).content.decode()
    assert "Great idea!" in client_for(second_greek_panellist).get(post.get_absolute_url()).content.decode()
    approve(youth_coordinator, comment)
    assert "Great idea!" in client_for(youth_panellist).get(post.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=youth_panellist, kind="youth_comment_on_post").exists()


def test_promotion_shows_the_post_in_the_european_area_and_tells_the_author(
    client_for, youth_panellist, youth_coordinator, irish_panellist, greek_panel, european_area
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                         title="Our Safer Internet Day")
    irish = client_for(irish_panellist)
    assert "Our Safer Internet Day" not in irish.get(european_area.get_absolute_url()).content.decode()
    assert irish.get(post.get_absolute_url()).status_code == 404

    response = client_for(youth_coordinator).post(reverse("youth_panels:post_promote", args=[post.pk]))
    assert response.status_code == 302
    assert "Our Safer Internet Day" in irish.get(european_area.get_absolute_url()).content.decode()
    assert irish.get(post.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=youth_panellist, kind="youth_post_promoted").count() == 1
    # Promoting twice changes nothing and tells nobody again.
    assert services.promote_post(actor=youth_coordinator, post=post) is False
    assert Notification.objects.filter(recipient=youth_panellist, kind="youth_post_promoted").count() == 1


def test_panellists_cannot_promote_and_pending_posts_cannot_be_promoted(
    client_for, youth_panellist, youth_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    assert client_for(youth_panellist).post(reverse("youth_panels:post_promote", args=[post.pk])).status_code == 403
    pending, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Waiting", body="x")
    with pytest.raises(PermissionDenied):
        services.promote_post(actor=youth_coordinator, post=pending)


def test_panellists_from_other_countries_can_comment_on_a_promoted_post(
    youth_panellist, youth_coordinator, irish_panellist, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    services.promote_post(actor=youth_coordinator, post=post)
    comment, held = services.add_comment(actor=irish_panellist, post=post, body="Hello from Ireland")
    assert held and comment.moderation_state == "pending"
    # The post's national coordinators moderate it.
    approve(youth_coordinator, comment)


def test_a_panellist_can_delete_their_own_post_at_any_time(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    waiting, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Oops", body="x")
    published = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    client = client_for(youth_panellist)
    for post in (waiting, published):
        assert client.post(reverse("youth_panels:post_delete", args=[post.pk])).status_code == 302
        assert client.get(post.get_absolute_url()).status_code == 404
    assert not ModerationItem.objects.filter(status=ModerationItem.Status.OPEN, object_id=waiting.pk,
                                             space_kind="youth_panel").exists()
    # The coordinators' audit log says the panellist took it back, not that it vanished.
    withdrawn = AuditEntry.objects.get(action=AuditEntry.Action.WITHDRAWN)
    assert (withdrawn.actor, withdrawn.object_id, withdrawn.space_kind) == (youth_panellist, waiting.pk, "youth_panel")
    other = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    assert client_for(second_greek_panellist).post(
        reverse("youth_panels:post_delete", args=[other.pk])).status_code == 403


def test_a_panellist_can_delete_their_own_comment(client_for, youth_panellist, second_greek_panellist,
                                                  youth_coordinator, greek_panel):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    comment = approved_comment(author=second_greek_panellist, post=post, coordinator=youth_coordinator,
                               body="I regret this")
    assert client_for(youth_panellist).post(
        reverse("youth_panels:comment_delete", args=[comment.pk])).status_code == 403
    assert client_for(second_greek_panellist).post(
        reverse("youth_panels:comment_delete", args=[comment.pk])).status_code == 302
    assert "I regret this" not in client_for(youth_panellist).get(post.get_absolute_url()).content.decode()


def test_image_metadata_and_trailing_data_are_stripped(client_for, youth_panellist, youth_coordinator, greek_panel):
    upload = SimpleUploadedFile("holiday.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert b"SecretCam" in _jpeg_with_gps()
    client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]),
        {"title": "Photo", "body": "Look", "image": upload, "image_alt": "A red square"},
    )
    post = YouthPost.all_objects.get(title="Photo")
    # The coordinator sees the image in the queue before approving it.
    queue_html = open_item_for(post).content_html
    assert reverse("youth_panels:post_image", args=[post.pk]) in queue_html and 'alt="A red square"' in queue_html
    coordinator_view = client_for(youth_coordinator).get(reverse("youth_panels:post_image", args=[post.pk]))
    assert coordinator_view.status_code == 200
    approve(youth_coordinator, post)
    stored = post.image.read()
    assert b"SecretCam" not in stored and b"PhoneMaker" not in stored
    assert b"TRAILING-SECRET" not in stored and b"<script" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
    # Served through a permission-checked view, never a public media URL.
    response = client_for(youth_panellist).get(reverse("youth_panels:post_image", args=[post.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored


def test_a_phone_jpeg_with_a_second_picture_is_accepted_as_jpeg(client_for, youth_panellist, greek_panel):
    """Phones embed a depth or gain map as a second picture (Pillow reads it as MPO)."""
    main, depth_map = Image.new("RGB", (40, 30), (10, 120, 10)), Image.new("RGB", (40, 30), (0, 0, 0))
    output = io.BytesIO()
    main.save(output, format="MPO", save_all=True, append_images=[depth_map])
    response = client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]),
        {"title": "Phone photo", "body": "From my phone", "image_alt": "A green square",
         "image": SimpleUploadedFile("IMG_0001.jpg", output.getvalue(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    post = YouthPost.all_objects.get(title="Phone photo")
    with Image.open(post.image) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 30)
        assert getattr(stored, "n_frames", 1) == 1


def test_png_images_are_accepted(youth_panellist, greek_panel):
    from youth_panels.images import clean_image

    cleaned = clean_image(SimpleUploadedFile("a.png", _png(), content_type="image/png"))
    assert cleaned.name.endswith(".png")
    with Image.open(cleaned) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize("name, content", [
    ("drawing.svg", SVG), ("funny.gif", _gif()), ("phone.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64),
    ("fake.jpg", b"not an image at all"),
])
def test_other_image_formats_are_refused_and_the_text_is_kept(client_for, youth_panellist, greek_panel, name,
                                                               content):
    response = client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]),
        {"title": "Keep my title", "body": "Keep my words", "image": SimpleUploadedFile(name, content),
         "image_alt": "something"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "PNG or JPEG" in page or "damaged" in page
    assert "Keep my title" in page and "Keep my words" in page
    assert not YouthPost.all_objects.exists()


def test_an_image_without_a_description_is_refused_kindly(client_for, youth_panellist, greek_panel):
    response = client_for(youth_panellist).post(
        reverse("youth_panels:post_new", args=[greek_panel.slug]),
        {"title": "T", "body": "B", "image": SimpleUploadedFile("a.png", _png())},
    )
    assert "Please describe the image" in response.content.decode()


def test_images_over_the_pixel_cap_are_refused(settings):
    from youth_panels import images

    output = io.BytesIO()
    Image.new("L", (6000, 4100)).save(output, format="PNG")
    with pytest.raises(Exception) as error:
        images.clean_image(SimpleUploadedFile("big.png", output.getvalue()))
    assert "too many pixels" in str(error.value)


def test_hostile_markdown_is_sanitised(client_for, youth_coordinator, greek_panel):
    post, _held = services.create_post(
        actor=youth_coordinator, panel=greek_panel, title="<b>Title</b>",
        body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    page = client_for(youth_coordinator).get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "<img" not in page.split('id="main"')[-1]
    assert "&lt;b&gt;Title&lt;/b&gt;" in page


def test_an_edit_of_a_published_post_waits_while_the_old_version_stays_visible(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel
):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator,
                         title="Original title", body="Original words")
    response = client_for(youth_panellist).post(reverse("youth_panels:post_edit", args=[post.pk]),
                                                {"title": "New title", "body": "New words"})
    assert response.status_code == 302
    reader = client_for(second_greek_panellist)
    assert "Original words" in reader.get(post.get_absolute_url()).content.decode()
    item = open_item_for(post)
    assert item.kind == ModerationItem.Kind.REVISION
    approve(youth_coordinator, post)
    page = reader.get(post.get_absolute_url()).content.decode()
    assert "New words" in page and "Original words" not in page


def test_only_the_author_edits_a_post(client_for, youth_panellist, second_greek_panellist, youth_coordinator,
                                      greek_panel):
    post = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    url = reverse("youth_panels:post_edit", args=[post.pk])
    assert client_for(second_greek_panellist).post(url, {"title": "x", "body": "y"}).status_code == 403
    assert client_for(youth_coordinator).get(url).status_code == 403


def _post_moderate_panellists_in(panel):
    """Only the automatic holds (contact data, word list) hold panellists' posts in `panel`."""
    for model in ("youthpost", "youthcomment"):
        ModerationPolicy.objects.create(
            content_type=ContentType.objects.get(app_label="youth_panels", model=model),
            space_key=f"youth_panel:{panel.pk}", audience=Audience.YOUTH_PANELLIST, mode=PolicyMode.POST_MODERATE,
        )


def test_an_edit_that_frees_a_held_post_publishes_and_announces_it_as_an_approval_would(
    client_for, youth_panellist, second_greek_panellist, youth_coordinator, greek_panel,
    django_capture_on_commit_callbacks
):
    _post_moderate_panellists_in(greek_panel)
    post, held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Call me",
                                      body="My number is +30 691 234 5678")
    assert held and post.moderation_state == "pending"
    assert not Notification.objects.filter(kind="youth_new_post").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(youth_panellist).post(reverse("youth_panels:post_edit", args=[post.pk]),
                                                    {"title": "Call me", "body": "Ask me at the meeting instead"},
                                                    follow=True)
    assert "it is published" in response.content.decode()
    post.refresh_from_db()
    assert post.moderation_state == "approved"
    told = set(Notification.objects.filter(kind="youth_new_post", url=post.get_absolute_url())
               .values_list("recipient_id", flat=True))
    assert {second_greek_panellist.pk, youth_coordinator.pk} <= told
    assert youth_panellist.pk not in told
    assert client_for(second_greek_panellist).get(post.get_absolute_url()).status_code == 200


def test_an_edit_that_still_holds_a_post_announces_nothing_and_keeps_its_image_in_the_queue(
    youth_panellist, greek_panel
):
    _post_moderate_panellists_in(greek_panel)
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    post, held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Call me",
                                      body="My number is +30 691 234 5678", image=images.clean_image(image),
                                      image_alt="A square")
    held = services.edit_post(actor=youth_panellist, post=post, title="Call me",
                              body="My new number is +30 691 234 0000")
    assert held
    post.refresh_from_db()
    assert post.moderation_state == "pending"
    assert reverse("youth_panels:post_image", args=[post.pk]) in open_item_for(post).content_html
    assert not Notification.objects.filter(kind="youth_new_post").exists()
