"""Building youth content through the services, as production does."""

from moderation.models import ModerationItem
from moderation.services import decide
from youth_panels import services


def approved_post(*, author, panel, coordinator, title="My first post", body="Hello everyone!"):
    post, _held = services.create_post(actor=author, panel=panel, title=title, body=body)
    if post.moderation_state != "approved":
        approve(coordinator, post)
        post.refresh_from_db()
    return post


def approved_comment(*, author, post, coordinator, body="Nice post!"):
    comment, _held = services.add_comment(actor=author, post=post, body=body)
    if comment.moderation_state != "approved":
        approve(coordinator, comment)
        comment.refresh_from_db()
    return comment


def open_item_for(obj) -> ModerationItem:
    from django.contrib.contenttypes.models import ContentType

    return ModerationItem.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status=ModerationItem.Status.OPEN
    )


def approve(coordinator, obj) -> None:
    assert decide(actor=coordinator, item=open_item_for(obj), decision=ModerationItem.Decision.APPROVED)
