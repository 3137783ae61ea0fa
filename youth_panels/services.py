"""State changes of the youth area: posts, comments, promotion, resources, panel membership,
following youth work.

Each service checks its permission on its first line, runs in one transaction and notifies
through `notifications.services.notify` (pushed on commit). New posts and comments go through
`moderation.services.submit_content`, so pre-moderation and the automatic holds (contact data,
word lists) apply to every panellist submission.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from community import services as community_services
from community.consent import digital_consent_age, needs_parental_authorisation
from community.markup import render_markdown
from community.models import Membership, Organisation, Role
from community.security import log_security_event
from forums import permissions as forum_permissions
from forums import services as forum_services
from moderation import services as moderation_services
from moderation.models import ModerationItem
from notifications.events import disconnect_user
from notifications.services import notify

from . import permissions, selectors
from .erasure import delete_youth_content
from .models import (
    BirthYearChange,
    PanelMembership,
    YouthComment,
    YouthFollower,
    YouthPanel,
    YouthPost,
    YouthResource,
)

User = get_user_model()


# --- Posts ---------------------------------------------------------------------------------

@transaction.atomic
def create_post(*, actor, panel: YouthPanel, title: str, body: str, tags=(), image=None, image_alt: str = ""):
    """Returns the post and the reasons it waits for a coordinator (empty: published)."""
    permissions.check_write_post(actor, panel)
    post = YouthPost(
        panel=panel, author=actor, title=title.strip(), body=body, body_html=render_markdown(body),
        image_alt=image_alt.strip() if image else "",
    )
    held = moderation_services.submit_content(actor=actor, instance=post, text=f"{post.title}\n\n{body}")
    if image is not None:
        post.image.save(image.name, image, save=False)
    post.save()
    post.tags.set(tags)
    if held and post.image:
        _show_image_in_queue(post)
    if held:
        _tell_coordinators_of_waiting(panel, actor=actor, title=post.title)
    else:
        announce_post(post)
    return post, held


def _show_image_in_queue(post: YouthPost) -> None:
    """The queue entry shows the sanitised text only; a coordinator must see the image too
    before approving it. (A registration hook for the reviewed HTML would replace this.)"""
    ModerationItem.objects.filter(
        content_type=ContentType.objects.get_for_model(YouthPost), object_id=post.pk,
        status=ModerationItem.Status.OPEN,
    ).update(content_html=post.review_html)


def _tell_coordinators_of_waiting(panel: YouthPanel, *, actor, title: str) -> None:
    coordinators = list(selectors.coordinators_of(panel))
    notify(
        recipients=coordinators, kind="youth_waiting_for_review",
        title=_("Waiting for your review in %(space)s: “%(title)s”") % {"space": panel.name, "title": title},
        url=reverse("youth_panels:dashboard", args=[panel.slug]), actor=actor,
    )


def announce_post(post: YouthPost) -> None:
    """A post became visible: tell the people of its space (re-filtered by who may see it)."""
    readers = selectors.viewers_of_space(post.panel)
    notify(
        recipients=list(readers), kind="youth_new_post",
        title=_("New post in %(space)s: “%(title)s”") % {"space": post.panel.name, "title": post.title},
        url=post.get_absolute_url(), actor=post.author,
    )


@transaction.atomic
def edit_post(*, actor, post: YouthPost, title: str, body: str) -> list[str]:
    """Returns the reasons the edit waits for a coordinator. A published post stays as it was
    until the edit is approved; an unpublished one is replaced in the queue. A held post that
    the edit frees of what held it is published, and announced as an approval would."""
    permissions.check_edit_post(actor, post)
    changes = {}
    if title.strip() != post.title:
        changes["title"] = title.strip()
    if body != post.body:
        changes["body"] = body
        changes["body_html"] = render_markdown(body)
    if not changes:
        return []
    was_published = post.moderation_state == "approved"
    held = moderation_services.submit_revision(
        actor=actor, instance=post, changes=changes, text=f"{title.strip()}\n\n{body}"
    )
    if not (held and was_published):
        post.edited_at = timezone.now()
        post.save(update_fields=[*changes, "edited_at", "moderation_state", "submitted_at"])
    if held and post.image:
        # The queue entry was rewritten from the new text: the image must stay in view.
        _show_image_in_queue(post)
    if not was_published and post.moderation_state == "approved":
        announce_post(post)
    return held


@transaction.atomic
def delete_post(*, actor, post: YouthPost) -> bool:
    """Authors may delete their own posts at any time. The image file goes at once; the row
    stays (invisible to everyone) so moderation and safeguarding records keep their subject."""
    permissions.check_delete_post(actor, post)
    deleted = YouthPost.all_objects.filter(pk=post.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())
    if not deleted:
        return False
    moderation_services.withdraw_items_for(post, actor=actor)
    for comment in post.comments.filter(deleted_at__isnull=True):
        moderation_services.withdraw_items_for(comment, actor=actor)
    if post.image:
        image = post.image
        transaction.on_commit(lambda: image.delete(save=False), robust=True)
        YouthPost.all_objects.filter(pk=post.pk).update(image="")
    return True


@transaction.atomic
def promote_post(*, actor, post: YouthPost) -> bool:
    """Show an approved national post in the European youth area; its author is told."""
    permissions.check_promote_post(actor, post)
    now = timezone.now()
    promoted = YouthPost.all_objects.filter(pk=post.pk, promoted_at__isnull=True).update(
        promoted_at=now, promoted_by=actor)
    if not promoted:
        return False
    post.promoted_at, post.promoted_by = now, actor
    if post.author is not None:
        notify(
            recipients=[post.author], kind="youth_post_promoted",
            title=_("Your post “%(title)s” is now in the European youth area") % {"title": post.title},
            url=post.get_absolute_url(), actor=actor,
        )
    return True


@transaction.atomic
def withdraw_promotion(*, actor, post: YouthPost) -> bool:
    permissions.check_coordinate(actor, post.panel)
    return bool(
        YouthPost.all_objects.filter(pk=post.pk, promoted_at__isnull=False).update(promoted_at=None, promoted_by=None)
    )


# --- Comments ------------------------------------------------------------------------------

@transaction.atomic
def add_comment(*, actor, post: YouthPost, body: str):
    permissions.check_comment(actor, post)
    comment = YouthComment(post=post, author=actor, body=body, body_html=render_markdown(body))
    held = moderation_services.submit_content(actor=actor, instance=comment, text=body)
    comment.save()
    if held:
        _tell_coordinators_of_waiting(post.panel, actor=actor, title=post.title)
    else:
        announce_comment(comment)
    return comment, held


def announce_comment(comment: YouthComment) -> None:
    """Tell the post's author, if they may still see the post."""
    post = comment.post
    author = post.author
    if author is None or author.pk == comment.author_id:
        return
    permissions.forget_cached_access(author)
    if not permissions.can_view_post(author, post):
        return
    notify(
        recipients=[author], kind="youth_comment_on_post",
        title=_("New comment on your post “%(title)s”") % {"title": post.title},
        url=comment.get_absolute_url(), actor=comment.author,
    )


@transaction.atomic
def delete_comment(*, actor, comment: YouthComment) -> bool:
    permissions.check_delete_comment(actor, comment)
    deleted = YouthComment.all_objects.filter(pk=comment.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())
    if deleted:
        moderation_services.withdraw_items_for(comment, actor=actor)
    return bool(deleted)


# --- Resources -----------------------------------------------------------------------------

@transaction.atomic
def add_resource(*, actor, panel: YouthPanel, title: str, url: str = "", file=None, description: str = "",
                 language: str = "", age_range: str = "") -> YouthResource:
    """`file` is a `meetings.files.CleanFile` (checked by content, metadata stripped)."""
    permissions.check_coordinate(actor, panel)
    if not url and file is None:
        raise ValidationError(_("Please give a link, a file, or both."))
    resource = YouthResource(
        panel=panel, title=title.strip(), url=url, description=description,
        description_html=render_markdown(description), language=language.strip(), age_range=age_range,
        added_by=actor,
    )
    if file is not None:
        resource.file.save(f"resource{file.extension}", ContentFile(file.content), save=False)
        resource.file_name, resource.file_kind = file.original_name, file.kind
    resource.save()
    return resource


@transaction.atomic
def set_resource_pinned(*, actor, resource: YouthResource, pinned: bool) -> bool:
    permissions.check_coordinate(actor, resource.panel)
    return bool(YouthResource.objects.filter(pk=resource.pk).exclude(is_pinned=pinned).update(is_pinned=pinned))


@transaction.atomic
def remove_resource(*, actor, resource: YouthResource) -> None:
    permissions.check_coordinate(actor, resource.panel)
    resource.delete()
    if resource.file:
        stored = resource.file
        transaction.on_commit(lambda: stored.delete(save=False), robust=True)


# --- Following youth work -----------------------------------------------------------------

@transaction.atomic
def set_following_youth_work(*, actor, follow: bool) -> bool:
    permissions.check_follow_youth_work(actor)
    if follow:
        changed = YouthFollower.objects.get_or_create(user=actor)[1]
    else:
        changed = bool(YouthFollower.objects.filter(user=actor).delete()[0])
    permissions.forget_cached_access(actor)
    european = YouthPanel.objects.filter(is_european=True).first()
    if changed and european is not None:
        sync_discussion_access(user=actor, panel=european)
    return changed


# --- Panel membership ------------------------------------------------------------------------

# A panellist's place in a panel, in use or waiting for a parent's authorisation.
_PLACED = (PanelMembership.Status.ACTIVE, PanelMembership.Status.AWAITING_AUTHORISATION)


def _check_parental_authorisation(panel: YouthPanel, *, birth_year, recorded: bool) -> None:
    """Below the country's age of digital consent (GDPR art. 8), or of unknown age, a
    panellist joins only with a parent's authorisation recorded by the coordinator."""
    code = panel.country.code
    if not recorded and needs_parental_authorisation(birth_year=birth_year, country_code=code):
        raise ValidationError(
            _("Young people under %(age)d in %(country)s (or of unknown age) need a parent's or guardian's "
              "authorisation: please record it before inviting.")
            % {"age": digital_consent_age(code), "country": panel.country.name}
        )


def _check_consent_record(*, authorised_by: str, expires_on) -> None:
    if not authorised_by.strip():
        raise ValidationError(_("Please say which parent or guardian gave the authorisation."))
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError(_("The authorisation must still be valid tomorrow: please check the date."))


@transaction.atomic
def invite_panellist(*, actor, panel: YouthPanel, email: str, organisation: Organisation, birth_year=None,
                     parental_authorisation: bool = False, parental_authorisation_note: str = "",
                     authorised_by: str = "", authorisation_expires_on=None) -> PanelMembership:
    """An invitation to the panel: community's single-use, expiring invitation to an
    organisation of the panel's country as a youth panellist, plus the panel place it leads to
    (active once the coordinator approves the person who accepted). A parent's authorisation
    is recorded with who gave it, who recorded it and when, and until when it holds."""
    permissions.check_coordinate(actor, panel)
    if panel.is_european or organisation.country_id != panel.country_id:
        raise ValidationError(_("Invite panellists into an organisation of the panel's country."))
    _check_parental_authorisation(panel, birth_year=birth_year, recorded=parental_authorisation)
    if parental_authorisation:
        _check_consent_record(authorised_by=authorised_by, expires_on=authorisation_expires_on)
    invitation, _token = community_services.create_invitation(
        actor=actor, organisation=organisation, email=email, role=Role.YOUTH_PANELLIST
    )
    consent = {}
    if parental_authorisation:
        consent = {
            "authorised_by": authorised_by.strip(), "authorisation_expires_on": authorisation_expires_on,
            "authorisation_recorded_by": actor, "authorisation_recorded_at": timezone.now(),
            "parental_authorisation_note": parental_authorisation_note.strip(),
        }
    return PanelMembership.objects.create(
        panel=panel, invitation=invitation, invited_by=actor, birth_year=birth_year,
        parental_authorisation=parental_authorisation, **consent,
    )


@transaction.atomic
def place_admitted_panellist(user) -> PanelMembership | None:
    """The panel place of a panellist admitted by a person outside the panel invitation (an
    organisation admin's or network coordinator's approval, a community invitation, a role
    granted later): active only when their birth year shows they are at or above their
    country's age of digital consent; younger, or of unknown age, the place waits until the
    coordinator records a parent's authorisation (issue 9). Called when the panellist role is
    granted. A membership nobody decided (trusted set-up such as demo data) keeps the
    country default; the panel invitation decides for itself (`joined_by_panel_invitation`)."""
    if PanelMembership.objects.filter(Q(user=user) | Q(invitation__accepted_by=user)).exists():
        return None
    membership = (
        Membership.objects.filter(user=user, status=Membership.Status.APPROVED, decided_by__isnull=False)
        .select_related("organisation", "decided_by").first()
    )
    if membership is None:
        return None
    panel = YouthPanel.objects.filter(country_id=membership.organisation.country_id).select_related("country").first()
    if panel is None:
        return None
    place = PanelMembership(panel=panel, user=user, birth_year=user.birth_year)
    if needs_parental_authorisation(birth_year=user.birth_year, country_code=panel.country.code):
        place.status = PanelMembership.Status.AWAITING_AUTHORISATION
        place.save()
        # After commit: a panel invitation accepted in the same transaction takes the place
        # over, and its coordinators must not be asked for an authorisation they recorded.
        transaction.on_commit(lambda: _ask_coordinators_for_authorisation(place.pk), robust=True)
    else:
        place.status = PanelMembership.Status.ACTIVE
        place.approved_by, place.approved_at = membership.decided_by, timezone.now()
        place.save()
    permissions.forget_cached_access(user)
    return place


def _ask_coordinators_for_authorisation(place_id: int, *, because_of_birth_year: bool = False) -> None:
    place = (
        PanelMembership.objects.filter(pk=place_id, status=PanelMembership.Status.AWAITING_AUTHORISATION)
        .select_related("panel", "user").first()
    )
    if place is None:
        return
    if because_of_birth_year:
        title = _("%(name)s gave a birth year under the age of digital consent: please record a parent's "
                  "authorisation for %(space)s")
    else:
        title = _("%(name)s joined %(space)s: please record a parent's authorisation")
    notify(
        recipients=list(selectors.coordinators_of(place.panel)), kind="youth_authorisation_needed",
        title=title % {"name": place.user.display_name, "space": place.panel.name},
        url=reverse("youth_panels:dashboard", args=[place.panel.slug]),
    )


# --- Birth year (the member's own, given on their profile: community.services) ---------------
# Rules (issue 5, safeguarding):
# - a year that would lift the parent's-authorisation requirement that the year known before
#   imposes (unknown counts as below the consent age) waits for the panel's coordinators, who
#   confirm or decline it on the dashboard; until then nothing changes;
# - any other change applies at once (community logs its direction); a panellist it shows
#   under the consent age without a recorded authorisation loses the youth area until a
#   coordinator records one, is told so, and the coordinators are asked.

_LIVE = (*_PLACED, PanelMembership.Status.INVITED)


def _consent_place_of(user) -> tuple[YouthPanel | None, PanelMembership | None]:
    """The panel whose country's consent age applies to `user`, and their live place in it
    (None for a panellist of the country default, see permissions.panellist_standing)."""
    rows = list(
        PanelMembership.objects.filter(Q(user=user) | Q(invitation__accepted_by=user))
        .select_related("panel__country")
    )
    live = next((row for row in rows if row.status in _LIVE), None)
    if live is not None:
        return live.panel, live
    if rows:
        return None, None
    membership = user.approved_membership
    if membership is None:
        return None, None
    panel = YouthPanel.objects.filter(country_id=membership.organisation.country_id).select_related("country").first()
    return panel, None


def _known_year(user, place: PanelMembership | None):
    """The panellist's own year, else the one their coordinator gave at invitation."""
    if user.birth_year is not None:
        return user.birth_year
    return place.birth_year if place is not None else None


def hold_birth_year_for_coordinator(user, *, requested) -> str:
    if not user.is_youth_panellist:
        return ""
    panel, place = _consent_place_of(user)
    if panel is None or panel.is_european:
        return ""
    code = panel.country.code
    lifts = needs_parental_authorisation(birth_year=_known_year(user, place), country_code=code) and not (
        needs_parental_authorisation(birth_year=requested, country_code=code)
    )
    if not lifts:
        return ""
    BirthYearChange.objects.update_or_create(
        user=user, status=BirthYearChange.Status.WAITING,
        defaults={"panel": panel, "previous_year": user.birth_year, "requested_year": requested,
                  "requested_at": timezone.now()},
    )
    notify(
        recipients=list(selectors.coordinators_of(panel)), kind="youth_birth_year_to_check",
        title=_("%(name)s changed their birth year: please check it") % {"name": user.display_name},
        url=reverse("youth_panels:dashboard", args=[panel.slug]), actor=user,
    )
    log_security_event("birth_year_change_held", user=user, actor=user, panel=panel.slug)
    return _("Thank you! Your youth coordinator will check the year you gave before it counts, because with it "
             "you would no longer need a parent's or guardian's OK to take part. Until then, nothing changes.")


def reconsider_panel_place(user, *, previous, actor) -> list[str]:
    """After the birth year changed: a panellist now under the consent age without a recorded
    authorisation waits for one; a waiting panellist whose year a coordinator of the panel
    confirmed at or above it is welcomed. A later answer replaces a change still waiting."""
    if not user.is_youth_panellist:
        return []
    BirthYearChange.objects.filter(user=user, status=BirthYearChange.Status.WAITING).update(
        status=BirthYearChange.Status.WITHDRAWN
    )
    panel, place = _consent_place_of(user)
    if panel is None or panel.is_european:
        return []
    needed = needs_parental_authorisation(birth_year=_known_year(user, place), country_code=panel.country.code)
    if place is None:
        if not needed:
            return []
        place = PanelMembership.objects.create(
            panel=panel, user=user, birth_year=user.birth_year, status=PanelMembership.Status.AWAITING_AUTHORISATION
        )
    elif place.status == PanelMembership.Status.ACTIVE:
        if not needed or place.parental_authorisation:
            return []
        PanelMembership.objects.filter(pk=place.pk).update(status=PanelMembership.Status.AWAITING_AUTHORISATION)
    elif place.status == PanelMembership.Status.AWAITING_AUTHORISATION:
        if not needed and permissions.can_coordinate(actor, panel):
            _welcome_without_authorisation(actor=actor, place=place, panellist=user)
        return []
    else:
        # Invited: the coordinator's approval checks the year (approve_panellist).
        return []
    permissions.forget_cached_access(user)
    leave_all_discussions(user)
    transaction.on_commit(
        lambda: _ask_coordinators_for_authorisation(place.pk, because_of_birth_year=True), robust=True
    )
    return [_("Because of your age, the law in %(country)s says a parent or guardian must agree before you take "
              "part in the youth panel. A youth coordinator needs to record their OK; until then the youth area "
              "is closed to you. We have told your coordinators.") % {"country": panel.country.name}]


def _welcome_without_authorisation(*, actor, place: PanelMembership, panellist) -> None:
    PanelMembership.objects.filter(pk=place.pk).update(
        status=PanelMembership.Status.ACTIVE, approved_by=actor, approved_at=timezone.now()
    )
    _open_panel_to(panellist, panel=place.panel, actor=actor)


def _open_panel_to(panellist, *, panel: YouthPanel, actor) -> None:
    """Their place has just become active: the space and its discussions open, and they are told."""
    permissions.forget_cached_access(panellist)
    sync_discussion_access(user=panellist, panel=panel)
    notify(
        recipients=[panellist], kind="youth_panel_joined",
        title=_("Welcome to %(space)s!") % {"space": panel.name}, url=panel.get_absolute_url(), actor=actor,
    )


def birth_year_waiting_notice(user) -> str:
    if not BirthYearChange.objects.filter(user=user, status=BirthYearChange.Status.WAITING).exists():
        return ""
    return _("Your youth coordinator is checking the birth year you gave. Until they have, the earlier answer "
             "counts.")


@transaction.atomic
def confirm_birth_year(*, actor, change: BirthYearChange) -> bool:
    """The coordinator confirms the panellist's own year: it counts from now on (a place that
    waited only because of the age opens, and the panellist is welcomed)."""
    permissions.check_coordinate(actor, change.panel)
    if not _decide_birth_year(actor=actor, change=change, status=BirthYearChange.Status.CONFIRMED):
        return False
    panellist = User.objects.select_for_update().get(pk=change.user_id)
    community_services.apply_birth_year(actor=actor, user=panellist, birth_year=change.requested_year)
    notify(
        recipients=[panellist], kind="youth_birth_year_checked",
        title=_("Your youth coordinator confirmed your birth year"), url=reverse("profile_edit"), actor=actor,
    )
    return True


@transaction.atomic
def decline_birth_year(*, actor, change: BirthYearChange) -> bool:
    """The coordinator keeps the earlier year (or, none, the assumption of the consent age)."""
    permissions.check_coordinate(actor, change.panel)
    if not _decide_birth_year(actor=actor, change=change, status=BirthYearChange.Status.DECLINED):
        return False
    notify(
        recipients=[change.user], kind="youth_birth_year_checked",
        title=_("Your youth coordinator kept your earlier birth year. If it is wrong, please talk to them."),
        url=reverse("profile_edit"), actor=actor,
    )
    return True


def _decide_birth_year(*, actor, change: BirthYearChange, status: str) -> bool:
    decided = BirthYearChange.objects.filter(pk=change.pk, status=BirthYearChange.Status.WAITING).update(
        status=status, decided_by=actor, decided_at=timezone.now()
    )
    if decided:
        log_security_event("birth_year_change_decided", user=change.user, actor=actor, outcome=status,
                           panel=change.panel.slug)
    return bool(decided)


def joined_by_panel_invitation(invitation) -> None:
    """The person accepted a panel invitation: that invitation's place decides (it waits for
    the coordinator, with the authorisation recorded at invitation), not the place made when
    the role was granted a moment earlier in the same acceptance."""
    if invitation.accepted_by_id is None or not PanelMembership.objects.filter(invitation=invitation).exists():
        return
    PanelMembership.objects.filter(
        user_id=invitation.accepted_by_id, invitation__isnull=True,
        status__in=[PanelMembership.Status.AWAITING_AUTHORISATION, PanelMembership.Status.ACTIVE],
    ).update(
        status=PanelMembership.Status.REMOVED, removed_at=timezone.now(),
        removal_reason=_("Joined through the panel's invitation"),
    )
    permissions.forget_cached_access(invitation.accepted_by)


@transaction.atomic
def authorise_waiting_panellist(*, actor, membership: PanelMembership, authorised_by: str, expires_on=None,
                                note: str = "") -> bool:
    """The coordinator records the parent's authorisation of a panellist whose place waits for
    it: the place becomes active and the panellist is welcomed."""
    permissions.check_coordinate(actor, membership.panel)
    _check_consent_record(authorised_by=authorised_by, expires_on=expires_on)
    now = timezone.now()
    activated = PanelMembership.objects.filter(
        pk=membership.pk, status=PanelMembership.Status.AWAITING_AUTHORISATION
    ).update(
        status=PanelMembership.Status.ACTIVE, parental_authorisation=True, authorised_by=authorised_by.strip(),
        authorisation_expires_on=expires_on, parental_authorisation_note=note.strip(),
        authorisation_recorded_by=actor, authorisation_recorded_at=now, approved_by=actor, approved_at=now,
    )
    if not activated:
        return False
    _open_panel_to(membership.user, panel=membership.panel, actor=actor)
    return True


@transaction.atomic
def renew_parental_authorisation(*, actor, membership: PanelMembership, authorised_by: str, expires_on=None,
                                 note: str = "") -> PanelMembership:
    """A new authorisation for an active panellist (typically after the old one expired)."""
    permissions.check_coordinate(actor, membership.panel)
    if membership.status != PanelMembership.Status.ACTIVE:
        raise ValidationError(_("Only a current panellist's authorisation can be renewed."))
    _check_consent_record(authorised_by=authorised_by, expires_on=expires_on)
    membership.parental_authorisation = True
    membership.authorised_by = authorised_by.strip()
    membership.authorisation_expires_on = expires_on
    membership.parental_authorisation_note = note.strip()
    membership.authorisation_recorded_by, membership.authorisation_recorded_at = actor, timezone.now()
    membership.save(update_fields=[
        "parental_authorisation", "authorised_by", "authorisation_expires_on", "parental_authorisation_note",
        "authorisation_recorded_by", "authorisation_recorded_at",
    ])
    permissions.forget_cached_access(membership.user)
    return membership


@transaction.atomic
def withdraw_parental_authorisation(*, actor, panel: YouthPanel, panellist) -> bool:
    """A parent or guardian withdrew their authorisation: the panellist leaves the panel, their
    account is deactivated (every session ends) and their youth content is deleted. The consent
    record stays, marked withdrawn, without the content."""
    permissions.check_coordinate(actor, panel)
    if not selectors.removable_panellists_of(panel).filter(pk=panellist.pk).exists():
        return False
    now = timezone.now()
    reason = _("Parental authorisation withdrawn")
    updated = PanelMembership.objects.filter(user=panellist, status__in=_PLACED).update(
        status=PanelMembership.Status.REMOVED, removed_by=actor, removed_at=now, removal_reason=reason,
        authorisation_withdrawn_at=now,
    )
    if not updated:
        # A panellist of the country default: the row is the record of the withdrawal.
        PanelMembership.objects.create(
            panel=panel, user=panellist, status=PanelMembership.Status.REMOVED, removed_by=actor, removed_at=now,
            removal_reason=reason, authorisation_withdrawn_at=now,
        )
    delete_youth_content(panellist)
    leave_all_discussions(panellist)
    User.objects.filter(pk=panellist.pk).update(is_active=False)
    transaction.on_commit(lambda: community_services.end_all_sessions(panellist), robust=True)
    disconnect_user(panellist.pk)
    permissions.forget_cached_access(panellist)
    log_security_event("youth_authorisation_withdrawn", user=panellist, actor=actor, panel=panel.slug)
    return True


@transaction.atomic
def resend_invitation(*, actor, membership: PanelMembership) -> PanelMembership:
    """A fresh link (the old one stops working): same panel, organisation and authorisation."""
    permissions.check_coordinate(actor, membership.panel)
    old = membership.invitation
    if membership.status != PanelMembership.Status.INVITED or old is None or old.accepted_at is not None:
        raise ValidationError(_("Only an invitation nobody has accepted yet can be sent again."))
    if old.revoked_at is None:
        community_services.revoke_invitation(actor=actor, invitation=old)
    invitation, _token = community_services.create_invitation(
        actor=actor, organisation=old.organisation, email=old.email, role=old.role
    )
    membership.invitation = invitation
    membership.created_at = timezone.now()
    membership.save(update_fields=["invitation", "created_at"])
    return membership


@transaction.atomic
def cancel_invitation(*, actor, membership: PanelMembership) -> bool:
    permissions.check_coordinate(actor, membership.panel)
    if membership.status != PanelMembership.Status.INVITED:
        return False
    if membership.invitation is not None and membership.invitation.accepted_at is None:
        community_services.revoke_invitation(actor=actor, invitation=membership.invitation)
    membership.status = PanelMembership.Status.REMOVED
    membership.removed_by, membership.removed_at = actor, timezone.now()
    membership.save(update_fields=["status", "removed_by", "removed_at"])
    return True


@transaction.atomic
def approve_panellist(*, actor, membership: PanelMembership) -> bool:
    """The coordinator confirms the person who accepted the invitation joins the panel."""
    permissions.check_coordinate(actor, membership.panel)
    locked = (
        PanelMembership.objects.select_for_update(of=("self",)).select_related("invitation", "panel")
        .get(pk=membership.pk)
    )
    if locked.status != PanelMembership.Status.INVITED:
        return False
    invitation = locked.invitation
    if invitation is None or invitation.accepted_by_id is None:
        raise ValidationError(_("Nobody has accepted this invitation yet."))
    panellist = invitation.accepted_by
    # The age the person gave on their own profile counts too.
    _check_parental_authorisation(
        locked.panel, birth_year=panellist.birth_year or locked.birth_year,
        recorded=locked.parental_authorisation and not locked.authorisation_expired,
    )
    locked.user = panellist
    locked.status = PanelMembership.Status.ACTIVE
    locked.approved_by, locked.approved_at = actor, timezone.now()
    try:
        with transaction.atomic():
            locked.save(update_fields=["user", "status", "approved_by", "approved_at"])
    except IntegrityError:
        raise ValidationError(_("This person already belongs to a youth panel.")) from None
    _open_panel_to(panellist, panel=locked.panel, actor=actor)
    return True


@transaction.atomic
def remove_panellist(*, actor, panel: YouthPanel, panellist, reason: str = "") -> bool:
    """The panellist leaves the panel (and so the youth area); their organisation membership
    is the organisation's business."""
    permissions.check_coordinate(actor, panel)
    if not selectors.removable_panellists_of(panel).filter(pk=panellist.pk).exists():
        return False
    now = timezone.now()
    updated = PanelMembership.objects.filter(user=panellist, status__in=_PLACED).update(
        status=PanelMembership.Status.REMOVED, removed_by=actor, removed_at=now, removal_reason=reason.strip()
    )
    if not updated:
        # A panellist of the country default: the row records the removal.
        PanelMembership.objects.create(
            panel=panel, user=panellist, status=PanelMembership.Status.REMOVED, removed_by=actor, removed_at=now,
            removal_reason=reason.strip(), approved_at=None,
        )
    permissions.forget_cached_access(panellist)
    leave_all_discussions(panellist)
    notify(
        recipients=[panellist], kind="youth_panel_left",
        title=_("You are no longer a member of %(space)s") % {"space": panel.name}, body=reason.strip(),
        actor=actor,
    )
    return True



# --- Discussions: one unlisted forum of the forums engine per space ------------------------------
# The forum's audience is two groups per space, kept in step with the youth area's own rule
# (permissions.youth_access): participants read and post, coordinators also moderate; in the
# European area staff who follow youth work read.

def _group(panel: YouthPanel, part: str) -> Group:
    return Group.objects.get_or_create(name=f"youth:{panel.slug}:{part}")[0]


@transaction.atomic
def discussion_forum_for(panel: YouthPanel):
    """The space's forum, created with its audience the first time it is needed."""
    if panel.discussion_forum_id is not None:
        return panel.discussion_forum
    panel = YouthPanel.objects.select_for_update().get(pk=panel.pk)
    if panel.discussion_forum_id is not None:
        return panel.discussion_forum
    forum = forum_services.create_forum(
        actor=None, name=_("Discussions: %(space)s") % {"space": panel.name}, slug=f"youth-{panel.slug}",
        description=panel.introduction, is_listed=False,
        composer_notice=_("Be kind. Never share your address, phone number, school or other contact details."),
    )
    forum_services.grant_forum_access(forum=forum, to=_group(panel, "participants"), can_post=True)
    # Moderating a space's discussions is part of coordinating it (forums has no public
    # service for a code-made moderator grant; see the report).
    assign_perm("forums.moderate_forum", _group(panel, "coordinators"), forum)
    if panel.is_european:
        forum_services.grant_forum_access(forum=forum, to=_group(panel, "followers"), can_post=False)
    panel.discussion_forum = forum
    panel.save(update_fields=["discussion_forum"])
    # Everyone already in the space gets the forum at once (later arrivals: sync_discussion_access).
    coordinators = selectors.coordinators_of(panel)
    _group(panel, "coordinators").user_set.add(*coordinators)
    participants = selectors.viewers_of_space(panel).exclude(pk__in=YouthFollower.objects.values("user_id"))
    _group(panel, "participants").user_set.add(*participants)
    if panel.is_european:
        _group(panel, "followers").user_set.add(*User.objects.filter(youth_follow__isnull=False))
    return forum


def sync_discussion_access(*, user, panel: YouthPanel) -> bool:
    """Put `user` in (or out of) the space forum's groups to match what the youth area allows.
    Called when they open the space and when they join or leave; cheap when nothing changes
    (group names are already read with the user's roles)."""
    wanted = set()
    if permissions.can_coordinate(user, panel):
        wanted = {"participants", "coordinators"}
    elif permissions.can_participate(user, panel):
        wanted = {"participants"}
    elif panel.is_european and permissions.youth_access(user).is_follower and permissions.can_view_space(user, panel):
        # Network moderators read every space too, but reach its forum as moderators of forums.
        wanted = {"followers"}
    parts = ("participants", "coordinators", "followers")
    current = {part for part in parts if f"youth:{panel.slug}:{part}" in user.role_names}
    if wanted == current:
        return False
    discussion_forum_for(panel)
    for part in current - wanted:
        user.groups.remove(_group(panel, part))
    for part in wanted - current:
        user.groups.add(_group(panel, part))
    user.__dict__.pop("role_names", None)
    forum_permissions.forget_cached_access(user)
    return True


def resync_discussion_access(user) -> int:
    """Every space with discussions, in or out, after something outside the youth area changed
    (a role granted or revoked, a parent's authorisation expired). Returns how many spaces
    changed for `user`."""
    user.__dict__.pop("role_names", None)
    permissions.forget_cached_access(user)
    panels = YouthPanel.objects.filter(discussion_forum__isnull=False).select_related("country", "discussion_forum")
    return sum(sync_discussion_access(user=user, panel=panel) for panel in panels)


def resync_everyone_in_discussions() -> int:
    """Take away discussion access that the youth area no longer allows (daily job)."""
    people = User.objects.filter(groups__name__startswith="youth:").distinct()
    return sum(resync_discussion_access(person) for person in people)


def leave_all_discussions(user) -> None:
    """A removed panellist loses every youth forum at once."""
    user.groups.remove(*Group.objects.filter(name__startswith="youth:"))
    user.__dict__.pop("role_names", None)
