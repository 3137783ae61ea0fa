import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.selectors import notifications_for

from . import dashboard, permissions, selectors, services
from .adapters import PENDING_INVITATION_SESSION_KEY
from .export import personal_data_of
from .forms import (
    DecisionReasonForm,
    InvitationForm,
    MembershipRequestForm,
    OrganisationRequestForm,
    OrganisationSearchForm,
    ProfileForm,
    SuspendForm,
    YouthProfileForm,
)
from .models import Membership, Organisation, Service, User


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Dashboard ---------------------------------------------------------------------------

def dashboard_view(request):
    return render(request, "community/dashboard.html", {
        "panels": dashboard.panels_for(request),
        "latest_notifications": notifications_for(user=request.user)[:5],
        "pending_request_count": selectors.pending_memberships_for(request.user).count(),
    })


# --- Onboarding --------------------------------------------------------------------------

def onboarding_choose(request):
    if request.user.is_approved_member:
        return redirect("dashboard")
    if services.live_membership(request.user) is not None:
        return redirect("onboarding_waiting")
    search = OrganisationSearchForm(request.GET or None)
    organisations = selectors.active_organisations()
    if search.is_valid():
        country = search.cleaned_data["country"]
        organisations = selectors.active_organisations(
            country_code=country.code if country else "", query=search.cleaned_data["q"]
        )
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    return render(request, "community/onboarding_choose.html", {"search": search, "page": page})


def onboarding_join(request, organisation_id):
    organisation = get_object_or_404(selectors.active_organisations(), pk=organisation_id)
    if services.live_membership(request.user) is not None:
        return redirect("onboarding_waiting")
    form = MembershipRequestForm(
        request.POST or None, initial={"services": list(services.default_services_for(organisation))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(user=request.user, organisation=organisation, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Your request was sent to the admins of %(name)s.") % {
                "name": organisation.name})
            return redirect("onboarding_waiting")
    return render(request, "community/onboarding_join.html", {"organisation": organisation, "form": form})


def onboarding_request_organisation(request):
    if services.live_membership(request.user) is not None:
        return redirect("onboarding_waiting")
    form = OrganisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_organisation(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Thank you. The network coordinators will review your organisation."))
            return redirect("onboarding_waiting")
    return render(request, "community/onboarding_request_organisation.html", {"form": form})


def onboarding_waiting(request):
    if request.user.is_approved_member:
        return redirect("dashboard")
    membership = selectors.latest_membership_of(request.user)
    if membership is None:
        return redirect("onboarding_choose")
    return render(request, "community/onboarding_waiting.html", {"membership": membership})


# --- Membership decisions ----------------------------------------------------------------

def membership_requests(request, *, form_for=None, failed_form=None):
    requests_ = selectors.pending_memberships_for(request.user)
    return render(request, "community/membership_requests.html", {
        "membership_requests": requests_,
        "failed_for": form_for,
        "failed_form": failed_form,
        "can_decide_organisations": permissions.can_decide_organisations(request.user),
    })


def _decidable_membership(request, membership_id) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=membership_id)
    permissions.check_decide_membership(request.user, membership)
    return membership


@require_POST
def membership_approve(request, membership_id):
    membership = _decidable_membership(request, membership_id)
    if services.approve_membership(actor=request.user, membership=membership):
        messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.display_name})
    else:
        messages.info(request, _("This request was already decided."))
    return redirect("membership_requests")


@require_POST
def membership_reject(request, membership_id):
    membership = _decidable_membership(request, membership_id)
    form = DecisionReasonForm(request.POST)
    if not form.is_valid():
        return membership_requests(request, form_for=membership.pk, failed_form=form)
    if services.reject_membership(actor=request.user, membership=membership, reason=form.cleaned_data["reason"]):
        messages.success(request, _("The request was rejected and %(name)s was told why.") % {
            "name": membership.user.display_name})
    else:
        messages.info(request, _("This request was already decided."))
    return redirect("membership_requests")


def organisation_requests(request):
    permissions.check_decide_organisations(request.user)
    return render(request, "community/organisation_requests.html", {
        "organisations": selectors.requested_organisations()})


@require_POST
def organisation_request_decide(request, organisation_id):
    permissions.check_decide_organisations(request.user)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if request.POST.get("decision") == "approve":
        services.approve_organisation(actor=request.user, organisation=organisation)
        messages.success(request, _("%(name)s is now open for members.") % {"name": organisation.name})
    else:
        try:
            services.decline_organisation(actor=request.user, organisation=organisation,
                                          reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The organisation request was declined."))
    return redirect("organisation_requests")


# --- Organisations and members -------------------------------------------------------

def organisation_detail(request, organisation_id):
    try:
        organisation = selectors.organisation_with_members(organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None
    if not organisation.is_active and not permissions.can_decide_organisations(request.user):
        raise Http404
    return render(request, "community/organisation_detail.html", {
        "organisation": organisation,
        "can_manage": permissions.can_manage_members(request.user, organisation),
    })


def organisation_members(request, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    permissions.check_manage_members(request.user, organisation)
    memberships = list(selectors.approved_memberships_of(organisation))
    admin_ids = set(services.roles.org_admins_of(organisation).values_list("pk", flat=True))
    return render(request, "community/organisation_members.html", {
        "organisation": organisation, "memberships": memberships, "admin_ids": admin_ids})


@require_POST
def organisation_member_action(request, organisation_id, membership_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    permissions.check_manage_members(request.user, organisation)
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                   pk=membership_id, organisation=organisation)
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.remove_member(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
            messages.success(request, _("%(name)s was removed.") % {"name": membership.user.display_name})
        elif action == "grant_admin":
            services.grant_org_admin(actor=request.user, membership=membership)
            messages.success(request, _("%(name)s is now an organisation admin.") % {
                "name": membership.user.display_name})
        elif action == "revoke_admin":
            services.revoke_org_admin(actor=request.user, membership=membership)
            messages.success(request, _("%(name)s is no longer an organisation admin.") % {
                "name": membership.user.display_name})
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do that."))
    return redirect("organisation_members", organisation_id=organisation.pk)


def member_directory(request):
    country = request.GET.get("country", "")
    service = request.GET.get("service", "")
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.member_directory(viewer=request.user, country_code=country, service_code=service, query=query)
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(request, "community/member_directory.html", {
        "page": page,
        "countries": selectors.countries_with_organisations(),
        "services": Service.objects.all(),
        "selected_country": country, "selected_service": service, "query": query,
    })


def member_profile(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    visible = selectors.member_directory(viewer=request.user).filter(pk=person.pk).exists()
    if not visible:
        raise Http404
    return render(request, "community/member_profile.html", {
        "person": person,
        "membership": person.approved_membership,
        "sees_private": permissions.sees_private_details(request.user, person),
        "can_suspend": permissions.can_suspend(request.user, person),
    })


@require_POST
def member_suspend(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    permissions.check_suspend(request.user, person)
    form = SuspendForm(request.POST)
    if form.is_valid():
        services.suspend_member(actor=request.user, user=person, reason=form.cleaned_data["reason"],
                                until=form.cleaned_data["until"])
        messages.success(request, _("%(name)s is suspended and signed out.") % {"name": person.display_name})
    else:
        messages.error(request, _("Please give a reason for the suspension."))
    return redirect("member_profile", user_id=person.pk)


@require_POST
def member_unsuspend(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    permissions.check_suspend(request.user, person)
    services.lift_suspension(actor=request.user, user=person)
    messages.success(request, _("The suspension of %(name)s was lifted.") % {"name": person.display_name})
    return redirect("member_profile", user_id=person.pk)


# --- Invitations ---------------------------------------------------------------------

def invitation_list(request):
    if not permissions.can_invite(request.user):
        raise Http404
    organisations = [o for o in selectors.active_organisations() if permissions.invitable_roles(request.user, o)]
    roles = sorted({r for o in organisations for r in permissions.invitable_roles(request.user, o)})
    organisation_qs = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).select_related("country")
    form = InvitationForm(request.POST or None, organisations=organisation_qs, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.create_invitation(actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("role", _("You may not invite someone into this role at this organisation."))
        except ValidationError as exc:
            form.add_error("email", _error_text(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("invitation_list")
    return render(request, "community/invitation_list.html", {
        "form": form, "invitations": selectors.invitations_sent_by(request.user)[:50]})


@require_POST
def invitation_revoke(request, invitation_id):
    invitation = get_object_or_404(selectors.invitations_sent_by(request.user), pk=invitation_id)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was revoked."))
    return redirect("invitation_list")


def invitation_accept(request, token):
    invitation = services.find_invitation(token)
    if not request.user.is_authenticated:
        if invitation is not None and invitation.is_usable:
            request.session[PENDING_INVITATION_SESSION_KEY] = token
        return render(request, "community/invitation_landing.html", {"invitation": invitation})
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(user=request.user, raw_token=token)
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
            messages.success(request, _("Welcome to %(name)s!") % {"name": invitation.organisation.name})
            return redirect("dashboard")
    return render(request, "community/invitation_accept.html", {"invitation": invitation, "error": error})


# --- Profile and personal data ----------------------------------------------------------

def profile_edit(request):
    form_class = YouthProfileForm if request.user.is_youth_panellist else ProfileForm
    form = form_class(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        notices = services.update_profile(user=request.user, form=form)
        messages.success(request, _("Your profile was saved."))
        for notice in notices:
            messages.info(request, notice)
        return redirect("profile_edit")
    return render(request, "community/profile_edit.html", {
        "form": form, "birth_year_notices": services.birth_year_waiting_notices(request.user)})


def your_data(request):
    return render(request, "community/your_data.html", {})


def your_data_export(request):
    data = personal_data_of(request.user)
    response = HttpResponse(json.dumps(data, indent=2, default=str), content_type="application/json")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="sic-community-my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def your_data_delete_request(request):
    if services.request_account_deletion(user=request.user):
        messages.success(request, _("Your deletion request was sent. A coordinator will confirm it within 30 days."))
    else:
        messages.info(request, _("You have already asked for deletion."))
    return redirect("your_data")


# --- Public pages ----------------------------------------------------------------------

def legal_page(request, page):
    templates = {"privacy": "community/legal_privacy.html", "accessibility": "community/legal_accessibility.html",
                 "terms": "community/legal_terms.html"}
    if page not in templates:
        raise Http404
    return render(request, templates[page])


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
