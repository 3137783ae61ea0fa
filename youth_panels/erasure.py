"""The youth area's part of erasing a member (see community.erasure): a minor's posts,
comments and images are deleted; an adult's stay as "Former member" with nothing personal."""

from django.db import transaction

from moderation.services import withdraw_items_for

from .models import BirthYearChange, PanelMembership, YouthComment, YouthFollower, YouthPost


def erase_youth_content(user, *, delete_content: bool) -> None:
    YouthFollower.objects.filter(user=user).delete()
    BirthYearChange.objects.filter(user=user).delete()
    PanelMembership.objects.filter(user=user).update(
        birth_year=None, parental_authorisation_note="", authorised_by=""
    )
    if not delete_content:
        return
    delete_youth_content(user)
    PanelMembership.objects.filter(user=user).delete()


def delete_youth_content(user) -> None:
    """Every youth post, comment and image of `user` (a minor erased, or a withdrawn parental
    authorisation), and the moderation items about them."""
    for comment in YouthComment.all_objects.filter(author=user):
        withdraw_items_for(comment)
    YouthComment.all_objects.filter(author=user).delete()
    for post in YouthPost.all_objects.filter(author=user):
        withdraw_items_for(post)
        for comment in post.comments.all():
            withdraw_items_for(comment)
        if post.image:
            image = post.image
            transaction.on_commit(lambda image=image: image.delete(save=False), robust=True)
    YouthPost.all_objects.filter(author=user).delete()
