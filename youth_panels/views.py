"""Pages of the youth area. Every page resolves its object through a selector that applies
`permissions.visible_panel_ids` (404 otherwise) and renders `youth_panels/base.html`, which
carries the "Need help now?" link to the viewer's national helpline."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.consent import digital_consent_age
from community.models import Service
from forums import selectors as forum_selectors
from meetings import files as meeting_files
from meetings import selectors as meeting_selectors
from moderation.services import helpline_for

from . import forms, permissions, selectors, services
from .models import BirthYearChange, PanelMembership, YouthComment, YouthPanel, YouthPost

POSTS_PER_PAGE = 20


def _render(request, template, context, status=200):
    context = {"helpline": helpline_for(request.user), **context}
    return render(request, template, context, status=status)


def _form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def index(request):
    user = request.user
    access = permissions.youth_access(user)
    return _render(request, "youth_panels/index.html", {
        "spaces": list(selectors.spaces_for(user=user)),
        "access": access,
        "authorisation_expired": user.is_youth_panellist and selectors.has_expired_authorisation(user),
        "can_follow": permissions.can_follow_youth_work(user),
        "search_form": forms.SearchForm(),
        "comments_under_posts_gone": selectors.own_comments_under_posts_gone(user=user),
    })


@require_POST
def follow(request):
    follow_it = request.POST.get("follow") == "1"
    services.set_following_youth_work(actor=request.user, follow=follow_it)
    if follow_it:
        messages.success(request, _("You now follow youth work: the European youth area is open to you."))
    else:
        messages.success(request, _("You no longer follow youth work."))
    return redirect("youth_panels:index")


def _upcoming_youth_meetings(user):
    """The meetings app's upcoming meetings the viewer may see, kept to series for people in
    youth participation (youth webinars, the youth coordinators' meeting)."""
    return list(
        meeting_selectors.upcoming_meetings(user=user)
        .filter(series__audience_services__code=Service.YOUTH, status="scheduled")
        .distinct()[:5]
    )


def space(request, slug):
    user = request.user
    panel = selectors.space_for(user=user, slug=slug)
    services.sync_discussion_access(user=user, panel=panel)
    page = Paginator(selectors.posts_in_space(user=user, panel=panel), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    forum = panel.discussion_forum
    topics = list(forum_selectors.topics_for(user, forum=forum)[:5]) if forum is not None else []
    return _render(request, "youth_panels/space.html", {
        "panel": panel,
        "page": page,
        "resources": list(selectors.resources_in(panel=panel)),
        "topics": topics,
        "forum": forum,
        "meetings": _upcoming_youth_meetings(user),
        "can_write": permissions.can_write_post(user, panel),
        "can_coordinate": permissions.can_coordinate(user, panel),
        "can_participate": permissions.can_participate(user, panel),
    })


def post_new(request, slug):
    user = request.user
    panel = selectors.space_for(user=user, slug=slug)
    permissions.check_write_post(user, panel)
    form = forms.PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post, held = services.create_post(
                actor=user, panel=panel, title=data["title"], body=data["body"], tags=data["tags"],
                image=data["image"], image_alt=data["image_alt"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot post here at the moment."))
        else:
            if held:
                for reason in held:
                    messages.info(request, reason)
                messages.success(request, _("Thank you! Your post is waiting for a coordinator, usually within a day."))
            else:
                messages.success(request, _("Your post is published."))
            return redirect(post)
    return _render(request, "youth_panels/post_form.html", {"panel": panel, "form": form})


def post_detail(request, post_id):
    user = request.user
    post = selectors.post_for(user=user, post_id=post_id)
    can_comment = permissions.can_comment(user, post)
    form = forms.CommentForm(request.POST or None) if can_comment else None
    if request.method == "POST":
        permissions.check_comment(user, post)
        if form.is_valid():
            try:
                comment, held = services.add_comment(actor=user, post=post, body=form.cleaned_data["body"])
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You cannot comment here at the moment."))
            else:
                if held:
                    for reason in held:
                        messages.info(request, reason)
                    messages.success(request, _("Thank you! Your comment is waiting for a coordinator."))
                else:
                    messages.success(request, _("Your comment is published."))
                return redirect(comment)
    return _render(request, "youth_panels/post_detail.html", {
        "post": post,
        "comments": list(selectors.comments_for(user=user, post=post)),
        "form": form,
        "can_delete": permissions.can_delete_post(user, post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_promote": permissions.can_promote_post(user, post) and not post.is_promoted,
        "can_withdraw_promotion": post.is_promoted and permissions.can_coordinate(user, post.panel),
        "can_coordinate": permissions.can_coordinate(user, post.panel),
        "post_content_type_id": ContentType.objects.get_for_model(YouthPost).pk,
        "comment_content_type_id": ContentType.objects.get_for_model(YouthComment).pk,
    })


def post_edit(request, post_id):
    post = selectors.post_for(user=request.user, post_id=post_id)
    permissions.check_edit_post(request.user, post)
    form = forms.EditPostForm(request.POST or None, initial={"title": post.title, "body": post.body})
    if request.method == "POST" and form.is_valid():
        was_published = post.moderation_state == "approved"
        try:
            held = services.edit_post(actor=request.user, post=post, title=form.cleaned_data["title"],
                                      body=form.cleaned_data["body"])
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("This post can no longer be edited."))
        else:
            for reason in held:
                messages.info(request, reason)
            if held:
                messages.success(
                    request,
                    _("Your changes are waiting for a coordinator; until then the post stays "
                      "as it was.") if was_published else _("Your new version is waiting for a coordinator."),
                )
            elif not was_published and post.moderation_state == "approved":
                messages.success(request, _("Thank you! Nothing holds your post any more: it is published."))
            else:
                messages.success(request, _("Your post is updated."))
            return redirect(post)
    return _render(request, "youth_panels/post_form.html", {"panel": post.panel, "form": form, "editing": post})


def post_image(request, post_id):
    post = selectors.post_for(user=request.user, post_id=post_id)
    if not post.image:
        raise Http404
    response = FileResponse(post.image.open("rb"), content_type="image/png" if post.image.name.endswith(".png")
                            else "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def post_delete(request, post_id):
    post = selectors.post_for(user=request.user, post_id=post_id)
    permissions.check_delete_post(request.user, post)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        messages.success(request, _("The post is deleted."))
        return redirect(post.panel)
    return _render(request, "youth_panels/confirm_delete.html", {
        "object": post, "kind": _("post"), "cancel_url": post.get_absolute_url()})


@require_POST
def post_promote(request, post_id):
    post = selectors.post_for(user=request.user, post_id=post_id)
    if request.POST.get("withdraw") == "1":
        services.withdraw_promotion(actor=request.user, post=post)
        messages.success(request, _("The post is no longer shown in the European youth area."))
    elif services.promote_post(actor=request.user, post=post):
        messages.success(request, _("The post is now shown in the European youth area. Its author has been told."))
    return redirect(post)


def comment_delete(request, comment_id):
    comment = selectors.comment_to_delete(user=request.user, comment_id=comment_id)
    # An author deleting a comment under a post they can no longer open goes back to the
    # youth area, which lists such comments, never to the post.
    sees_post = permissions.can_view_post(request.user, comment.post)
    if request.method == "POST":
        services.delete_comment(actor=request.user, comment=comment)
        messages.success(request, _("The comment is deleted."))
        return redirect(comment.post if sees_post else "youth_panels:index")
    return _render(request, "youth_panels/confirm_delete.html", {
        "object": comment, "kind": _("comment"),
        "cancel_url": comment.get_absolute_url() if sees_post else reverse("youth_panels:index")})


def search(request):
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.search_posts(user=request.user, query=query), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _render(request, "youth_panels/search.html", {
        "form": form, "query": query, "page": page, "query_string": urlencode({"q": query})})


# --- Resources -------------------------------------------------------------------------------

def resource_new(request, slug):
    panel = selectors.space_for(user=request.user, slug=slug)
    permissions.check_coordinate(request.user, panel)
    form = forms.ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = services.add_resource(
            actor=request.user, panel=panel, title=data["title"], url=data["url"], file=data["upload"],
            description=data["description"], language=data["language"], age_range=data["age_range"],
        )
        if not data["is_pinned"]:
            services.set_resource_pinned(actor=request.user, resource=resource, pinned=False)
        messages.success(request, _("The resource is added to the space."))
        return redirect(panel)
    return _render(request, "youth_panels/resource_form.html", {"panel": panel, "form": form})


def resource_file(request, resource_id):
    resource = selectors.resource_for(user=request.user, resource_id=resource_id)
    if not resource.file:
        raise Http404
    response = FileResponse(resource.file.open("rb"), as_attachment=True, filename=resource.file_name,
                            content_type=meeting_files.CONTENT_TYPES[resource.file_kind])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def resource_action(request, resource_id):
    resource = selectors.resource_for(user=request.user, resource_id=resource_id)
    action = request.POST.get("action")
    if action == "remove":
        services.remove_resource(actor=request.user, resource=resource)
        messages.success(request, _("The resource is removed."))
    elif action in ("pin", "unpin"):
        services.set_resource_pinned(actor=request.user, resource=resource, pinned=action == "pin")
    else:
        raise Http404
    return redirect(resource.panel)


# --- Coordinator dashboard --------------------------------------------------------------------

def dashboard(request, slug):
    user = request.user
    panel = selectors.space_for(user=user, slug=slug)
    permissions.check_coordinate(user, panel)
    consent_age = digital_consent_age(panel.country.code) if panel.country else None
    organisations = selectors.inviting_organisations(panel=panel)
    own = user.approved_membership.organisation
    invite_form = forms.InviteForm(
        request.POST or None, organisations=organisations,
        default_organisation=own if own.country_id == panel.country_id else None,
    )
    if request.method == "POST" and not panel.is_european and invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            services.invite_panellist(
                actor=user, panel=panel, email=data["email"], organisation=data["organisation"],
                birth_year=data["birth_year"], parental_authorisation=data["parental_authorisation"],
                parental_authorisation_note=data["parental_authorisation_note"],
                authorised_by=data["authorised_by"], authorisation_expires_on=data["authorisation_expires_on"],
            )
        except (ValidationError, PermissionDenied) as error:
            invite_form.add_error(None, error.messages[0] if isinstance(error, ValidationError)
                                  else _("You may not invite into this organisation."))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("youth_panels:dashboard", slug=panel.slug)
    pending = selectors.pending_items_for(panel=panel)
    return _render(request, "youth_panels/dashboard.html", {
        "panel": panel,
        "pending_items": list(pending[:20]),
        "pending_count": pending.count(),
        "members": list(selectors.panel_members_for_dashboard(panel=panel)),
        "invitations": list(selectors.invitations_of(panel=panel)),
        # One form per person, each with its own field ids.
        "expired_authorisations": [
            (place, forms.RenewAuthorisationForm(prefix=f"renew-{place.pk}"))
            for place in selectors.expired_authorisations(panel=panel)
        ],
        "awaiting_authorisations": [
            (place, forms.RenewAuthorisationForm(prefix=f"authorise-{place.pk}"))
            for place in selectors.awaiting_authorisations(panel=panel)
        ],
        "birth_years": list(selectors.birth_years_to_check(panel=panel)),
        "activity": selectors.recent_activity(panel=panel),
        "monthly": selectors.monthly_counts(panel=panel),
        "invite_form": invite_form if not panel.is_european else None,
        "remove_form": forms.RemovePanellistForm(),
        "consent_age": consent_age,
    })


@require_POST
def invitation_action(request, membership_id):
    membership = get_object_or_404(PanelMembership.objects.select_related("panel", "invitation"), pk=membership_id)
    permissions.check_coordinate(request.user, membership.panel)
    action = request.POST.get("action")
    try:
        if action == "approve":
            if services.approve_panellist(actor=request.user, membership=membership):
                messages.success(request, _("Welcome sent: the panellist can now use the space."))
        elif action == "resend":
            services.resend_invitation(actor=request.user, membership=membership)
            messages.success(request, _("A new invitation link is on its way; the old one no longer works."))
        elif action == "cancel":
            services.cancel_invitation(actor=request.user, membership=membership)
            messages.success(request, _("The invitation is cancelled."))
        elif action == "renew":
            form = forms.RenewAuthorisationForm(request.POST, prefix=f"renew-{membership.pk}")
            if not form.is_valid():
                raise ValidationError(_("Please say who authorised, and give a valid date if there is one."))
            services.renew_parental_authorisation(
                actor=request.user, membership=membership, authorised_by=form.cleaned_data["authorised_by"],
                expires_on=form.cleaned_data["expires_on"], note=form.cleaned_data["note"],
            )
            messages.success(request, _("The new authorisation is recorded: the panellist can use the space again."))
        elif action == "authorise":
            form = forms.RenewAuthorisationForm(request.POST, prefix=f"authorise-{membership.pk}")
            if not form.is_valid():
                raise ValidationError(_("Please say who authorised, and give a valid date if there is one."))
            if services.authorise_waiting_panellist(
                actor=request.user, membership=membership, authorised_by=form.cleaned_data["authorised_by"],
                expires_on=form.cleaned_data["expires_on"], note=form.cleaned_data["note"],
            ):
                messages.success(request, _("The authorisation is recorded: the panellist is welcomed to the space."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("youth_panels:dashboard", slug=membership.panel.slug)


@require_POST
def birth_year_check(request, change_id):
    change = get_object_or_404(BirthYearChange.objects.select_related("panel__country", "user"), pk=change_id)
    permissions.check_coordinate(request.user, change.panel)
    action = request.POST.get("action")
    name = change.user.display_name
    if action == "confirm":
        if services.confirm_birth_year(actor=request.user, change=change):
            messages.success(request, _("%(name)s's birth year is confirmed.") % {"name": name})
    elif action == "decline":
        if services.decline_birth_year(actor=request.user, change=change):
            messages.success(request, _("%(name)s's earlier birth year stays.") % {"name": name})
    else:
        raise Http404
    return redirect("youth_panels:dashboard", slug=change.panel.slug)


@require_POST
def member_remove(request, slug, user_id):
    panel = get_object_or_404(YouthPanel, slug=slug)
    permissions.check_coordinate(request.user, panel)
    panellist = get_object_or_404(selectors.removable_panellists_of(panel), pk=user_id)
    if request.POST.get("authorisation_withdrawn") == "1":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Please tick the box to confirm the withdrawal: it cannot be undone."))
        elif services.withdraw_parental_authorisation(actor=request.user, panel=panel, panellist=panellist):
            messages.success(request, _("The withdrawal is recorded: %(name)s's account is deactivated and their "
                                        "youth posts and comments are deleted.") % {"name": panellist.display_name})
        return redirect("youth_panels:dashboard", slug=panel.slug)
    form = forms.RemovePanellistForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if services.remove_panellist(actor=request.user, panel=panel, panellist=panellist, reason=reason):
        messages.success(request, _("%(name)s is no longer a member of the panel.") % {"name": panellist.display_name})
    return redirect("youth_panels:dashboard", slug=panel.slug)
