"""State changes of the community app: onboarding, membership decisions, invitations, sanctions.

Each service checks its permission first, runs in one transaction, and schedules anything that
leaves the process (notifications push, email) with transaction.on_commit.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import events as notification_events
from notifications.services import notify

from . import permissions, roles
from .consent import check_birth_year
from .erasure import is_minor
from .models import Invitation, Membership, Organisation, Role, Service
from .security import log_security_event

User = get_user_model()


def _email_on_commit(recipients, subject: str, body: str) -> None:
    messages = [
        (settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        for person in recipients
        if person.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True), robust=True)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def membership_deciders(organisation: Organisation):
    """Who is told about a new request: that organisation's admins and the network coordinators."""
    admin_ids = roles.org_admins_of(organisation).values("pk")
    return User.objects.filter(
        Q(groups__name=Role.NETWORK_COORDINATOR) | Q(pk__in=admin_ids), is_active=True
    ).distinct()


def live_membership(user) -> Membership | None:
    return user.memberships.filter(status__in=[Membership.Status.PENDING, Membership.Status.APPROVED]).first()


def apply_privacy_defaults(user, role: str) -> None:
    """Minors get high-privacy defaults: nothing identifying is shown to other members."""
    if role == Role.YOUTH_PANELLIST:
        make_profile_private(user)


def make_profile_private(user) -> None:
    user.show_surname = False
    user.show_email = False
    user.show_in_directory = False
    user.save(update_fields=["show_surname", "show_email", "show_in_directory"])


@transaction.atomic
def request_membership(
    *, user, organisation: Organisation, role: str = Role.MEMBER, services=(), job_title: str = "", motivation: str = ""
) -> Membership:
    if role not in (Role.MEMBER, Role.YOUTH_COORDINATOR):
        # Youth panellists join by invitation from their coordinator only.
        raise PermissionDenied(_("This role is given by invitation only."))
    if live_membership(user) is not None:
        raise ValidationError(_("You already belong to an organisation or have a request waiting."))
    if not organisation.is_active and organisation.requested_by_id != user.pk:
        raise ValidationError(_("This organisation is not open for requests."))
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, job_title=job_title, motivation=motivation
    )
    membership.services.set(services)
    if organisation.is_active:
        _tell_deciders_of_request(membership)
    return membership


def _tell_deciders_of_request(membership: Membership) -> None:
    deciders = list(membership_deciders(membership.organisation))
    url = reverse("membership_requests")
    title = _("%(name)s asks to join %(organisation)s") % {
        "name": membership.user.display_name,
        "organisation": membership.organisation.name,
    }
    notify(recipients=deciders, kind="membership_request", title=title, url=url, actor=membership.user,
           body=_("Please review the request on the Membership requests page."))


@transaction.atomic
def request_organisation(*, user, name: str, country, website: str = "", services=(), role: str = Role.MEMBER,
                         job_title: str = "", motivation: str = "") -> Membership:
    """A newcomer's organisation is missing: request it, with the newcomer's membership waiting on it."""
    if live_membership(user) is not None:
        raise ValidationError(_("You already belong to an organisation or have a request waiting."))
    if Organisation.objects.filter(country=country, name__iexact=name).exists():
        raise ValidationError(_("An organisation with this name already exists in %(country)s.") % {"country": country})
    organisation = Organisation.objects.create(
        name=name, country=country, website=website, status=Organisation.Status.REQUESTED, requested_by=user,
        sic=getattr(country, "sic", None),
    )
    organisation.services.set(services)
    membership = request_membership(
        user=user, organisation=organisation, role=role, services=services, job_title=job_title, motivation=motivation
    )
    coordinators = list(User.objects.filter(groups__name=Role.NETWORK_COORDINATOR, is_active=True))
    title = _("New organisation requested: %(name)s (%(country)s)") % {"name": name, "country": country.name}
    notify(recipients=coordinators, kind="organisation_request", title=title, url=reverse("organisation_requests"),
           actor=user, body=_("Review it on the organisation requests page."))
    return membership


@transaction.atomic
def approve_organisation(*, actor, organisation: Organisation) -> bool:
    permissions.check_decide_organisations(actor)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.REQUESTED:
        return False
    organisation.status = Organisation.Status.ACTIVE
    organisation.save(update_fields=["status"])
    for membership in organisation.memberships.filter(status=Membership.Status.PENDING).select_related("user"):
        _tell_deciders_of_request(membership)
    return True


@transaction.atomic
def decline_organisation(*, actor, organisation: Organisation, reason: str) -> bool:
    permissions.check_decide_organisations(actor)
    if not reason.strip():
        raise ValidationError(_("Please give a reason: the person who asked will read it."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.REQUESTED:
        return False
    organisation.status = Organisation.Status.DECLINED
    organisation.save(update_fields=["status"])
    for membership in organisation.memberships.filter(status=Membership.Status.PENDING).select_related("user"):
        _close_request(membership, actor=actor, status=Membership.Status.REJECTED, reason=reason)
    return True


def _lock_pending(membership: Membership) -> Membership | None:
    """Row lock so two deciders cannot both decide the same request."""
    return (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .filter(pk=membership.pk, status=Membership.Status.PENDING)
        .first()
    )


@transaction.atomic
def approve_membership(*, actor, membership: Membership) -> bool:
    permissions.check_decide_membership(actor, membership)
    locked = _lock_pending(membership)
    if locked is None:
        return False
    locked.status = Membership.Status.APPROVED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = ""
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _grant_membership_roles(locked)
    title = _("Welcome! Your membership of %(organisation)s is approved") % {"organisation": locked.organisation.name}
    notify(recipients=[locked.user], kind="membership_decision", title=title, url=reverse("dashboard"), actor=actor,
           body=_("You can now use SIC Community."))
    return True


def _grant_membership_roles(membership: Membership) -> None:
    roles.grant_role(membership.user, membership.role)
    apply_privacy_defaults(membership.user, membership.role)


def admit_member(*, user, organisation: Organisation, role: str, services=(), decided_by=None,
                 job_title: str = "") -> Membership:
    """Create an approved membership directly: for invitations and trusted set-up (demo data)."""
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, status=Membership.Status.APPROVED,
        decided_by=decided_by, decided_at=timezone.now(), job_title=job_title,
    )
    membership.services.set(services)
    _grant_membership_roles(membership)
    return membership


def _close_request(membership: Membership, *, actor, status: str, reason: str) -> None:
    membership.status = status
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.decision_reason = reason
    membership.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    title = _("Your request to join %(organisation)s was not approved") % {"organisation": membership.organisation.name}
    notify(recipients=[membership.user], kind="membership_decision", title=title,
           body=reason,
           url=reverse("onboarding_waiting"), actor=actor)


@transaction.atomic
def reject_membership(*, actor, membership: Membership, reason: str) -> bool:
    permissions.check_decide_membership(actor, membership)
    if not reason.strip():
        raise ValidationError(_("Please give a reason: the applicant will read it."))
    locked = _lock_pending(membership)
    if locked is None:
        return False
    _close_request(locked, actor=actor, status=Membership.Status.REJECTED, reason=reason.strip())
    return True


@transaction.atomic
def remove_member(*, actor, membership: Membership, reason: str = "") -> bool:
    permissions.check_manage_members(actor, membership.organisation)
    if membership.user_id == actor.pk:
        raise PermissionDenied(_("You cannot remove yourself."))
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.status != Membership.Status.APPROVED:
        return False
    membership.status = Membership.Status.REMOVED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.decision_reason = reason
    membership.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    roles.unmake_org_admin(membership.user, membership.organisation)
    roles.revoke_role(membership.user, membership.role)
    notify(recipients=[membership.user], kind="membership_decision",
           title=_("You were removed from %(organisation)s") % {"organisation": membership.organisation.name},
           body=reason, actor=actor)
    return True


@transaction.atomic
def grant_org_admin(*, actor, membership: Membership) -> bool:
    permissions.check_manage_members(actor, membership.organisation)
    if membership.status != Membership.Status.APPROVED:
        raise ValidationError(_("Only approved members can become organisation admins."))
    if membership.role == Role.YOUTH_PANELLIST:
        raise ValidationError(_("Youth panellists cannot be organisation admins."))
    if roles.is_org_admin_of(membership.user, membership.organisation):
        return False
    roles.make_org_admin(membership.user, membership.organisation)
    notify(recipients=[membership.user], kind="role_change",
           title=_("You are now an admin of %(organisation)s") % {"organisation": membership.organisation.name},
           url=reverse("organisation_members", args=[membership.organisation_id]), actor=actor)
    return True


@transaction.atomic
def revoke_org_admin(*, actor, membership: Membership) -> bool:
    permissions.check_manage_members(actor, membership.organisation)
    if not roles.is_org_admin_of(membership.user, membership.organisation):
        return False
    roles.unmake_org_admin(membership.user, membership.organisation)
    return True


def end_all_sessions(user) -> None:
    """Log the user out everywhere. Every login is tracked by allauth.usersessions; the
    members-only middleware refuses a suspended user's request even before this runs."""
    from allauth.usersessions.models import UserSession

    for user_session in UserSession.objects.filter(user=user):
        user_session.end()


@transaction.atomic
def suspend_member(*, actor, user, reason: str, until=None) -> bool:
    permissions.check_suspend(actor, user)
    if not reason.strip():
        raise ValidationError(_("Please give a reason: the member will read it."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_suspended:
        return False
    user.suspended_at = timezone.now()
    user.suspended_until = until
    user.suspension_reason = reason.strip()
    user.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    transaction.on_commit(lambda: end_all_sessions(user), robust=True)
    notification_events.disconnect_user(user.pk)
    return True


@transaction.atomic
def lift_suspension(*, actor, user) -> bool:
    permissions.check_suspend(actor, user)
    updated = User.objects.filter(pk=user.pk, suspended_at__isnull=False).update(
        suspended_at=None, suspended_until=None, suspension_reason=""
    )
    return bool(updated)


def _hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
@transaction.atomic
def create_invitation(*, actor, organisation: Organisation, email: str, role: str) -> tuple[Invitation, str]:
    """Returns the invitation and the raw token; only its hash is stored.

    One open invitation per address and organisation: a double-clicked "Send" must not mail
    two links, and two live links for one person make revoking one meaningless.
    """
    permissions.check_invite(actor, organisation, role)
    email = email.strip().lower()
    # Serialises concurrent invitations to the same organisation so the check below holds.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    open_invitation = (
        Invitation.objects.filter(organisation=organisation, email=email, accepted_at=None, revoked_at=None,
                                  expires_at__gt=timezone.now())
        .first()
    )
    if open_invitation is not None:
        raise ValidationError(
            _("%(email)s already has an open invitation to %(organisation)s (valid until %(date)s). "
              "Revoke it first if you want to send a new link.")
            % {"email": email, "organisation": organisation.name,
               "date": timezone.localtime(open_invitation.expires_at).strftime("%d %b %Y")}
        )
    raw_token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=_hash_token(raw_token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = _absolute(reverse("invitation_accept", args=[raw_token]))
    body = _(
        "%(inviter)s invites you to join %(organisation)s on SIC Community.\n\n"
        "Accept the invitation (valid for %(days)d days, single use): %(link)s\n\n"
        "Sign up with this email address (%(email)s) if you have no account yet."
    ) % {"inviter": actor.display_name, "organisation": organisation.name,
         "days": settings.INVITATION_VALID_DAYS, "link": link, "email": invitation.email}
    recipient = User(email=invitation.email)
    _email_on_commit([recipient], _("Your invitation to SIC Community"), body)
    return invitation, raw_token


def find_invitation(raw_token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=_hash_token(raw_token)).first()


@transaction.atomic
def accept_invitation(*, user, raw_token: str) -> Membership:
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("organisation", "invited_by")
        .filter(token_hash=_hash_token(raw_token)).first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask the person who invited you for a new one."))
    if not user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists():
        raise ValidationError(
            _("This invitation was sent to a different email address. Sign in with the address it was sent to.")
        )
    if live_membership(user) is not None:
        raise ValidationError(_("You already belong to an organisation or have a request waiting."))
    # An invitation is issued by someone entitled to approve: the membership starts approved.
    membership = admit_member(
        user=user, organisation=invitation.organisation, role=invitation.role, decided_by=invitation.invited_by
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by is not None:
        notify(recipients=[invitation.invited_by], kind="invitation_accepted",
               title=_("%(name)s accepted your invitation") % {"name": user.display_name}, actor=user)
    return membership


@transaction.atomic
def revoke_invitation(*, actor, invitation: Invitation) -> bool:
    permissions.check_invite(actor, invitation.organisation, invitation.role)
    return bool(
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


@transaction.atomic
def update_profile(*, user, form) -> list[str]:
    """Saves the profile form; returns what the member must be told about their birth year."""
    form.save()
    return set_own_birth_year(actor=user, birth_year=form.cleaned_data["birth_year"])


# --- Birth year ------------------------------------------------------------------------
# The year (never the date: data minimisation) decides the minor's privacy defaults here and,
# in feature apps, rules such as a parent's authorisation below the digital-consent age. A
# member gives it on their profile; a change that would lift a protection must not take
# effect on the member's word alone, so feature apps may hold it for a coordinator.


@dataclass(frozen=True)
class BirthYearRule:
    """A feature app's part in a birth-year change, registered in its `AppConfig.ready()`
    (community imports no feature app).

    - `holds(user, requested=year)`: "" to let the change through, else the sentence telling
      the member it waits for someone to confirm (the app records and announces the request);
    - `applied(user, previous=year, actor=person)`: after the year changed; returns sentences
      for the member;
    - `waiting(user)`: the sentence shown on the profile while a held change waits, or "".
    """

    holds: Callable[..., str]
    applied: Callable[..., list[str]]
    waiting: Callable[..., str]


_birth_year_rules: list[BirthYearRule] = []


def register_birth_year_rule(rule: BirthYearRule) -> None:
    if rule not in _birth_year_rules:
        _birth_year_rules.append(rule)


def birth_year_waiting_notices(user) -> list[str]:
    return [notice for rule in _birth_year_rules if (notice := rule.waiting(user))]


def _direction(previous, new) -> str:
    if previous is None:
        return "given"
    if new is None:
        return "removed"
    return "older" if new < previous else "younger"


@transaction.atomic
def set_own_birth_year(*, actor, birth_year) -> list[str]:
    """The member gives, changes or removes their own birth year. A change a registered rule
    holds waits for a coordinator and changes nothing yet; any other change applies at once."""
    if birth_year is not None:
        check_birth_year(birth_year)
    user = User.objects.select_for_update().get(pk=actor.pk)
    if birth_year == user.birth_year:
        return []
    for rule in _birth_year_rules:
        notice = rule.holds(user, requested=birth_year)
        if notice:
            return [notice]
    notices = apply_birth_year(actor=actor, user=user, birth_year=birth_year)
    actor.birth_year = birth_year
    return notices


@transaction.atomic
def apply_birth_year(*, actor, user, birth_year) -> list[str]:
    """Store the year and re-evaluate what depends on it: the member's own change, or one a
    feature app's coordinator confirmed (that app checked the coordinator's permission).
    Every change is written to the security log with its direction (not the year itself), so
    a safeguarding lead can see who made a minor older, and when."""
    previous, was_minor = user.birth_year, is_minor(user)
    User.objects.filter(pk=user.pk).update(birth_year=birth_year)
    user.birth_year = birth_year
    notices = []
    if is_minor(user) and not was_minor:
        make_profile_private(user)
        notices.append(_("As you are under 18, your profile is now private: other members see only your display "
                         "name, not your surname or email address, and you are not listed in the member directory."))
    log_security_event("birth_year_changed", user=user, actor=actor, change=_direction(previous, birth_year),
                       minor=is_minor(user))
    for rule in _birth_year_rules:
        notices += rule.applied(user, previous=previous, actor=actor)
    return notices


@transaction.atomic
def request_account_deletion(*, user) -> bool:
    if user.deletion_requested_at is not None:
        return False
    user.deletion_requested_at = timezone.now()
    user.save(update_fields=["deletion_requested_at"])
    coordinators = list(User.objects.filter(groups__name=Role.NETWORK_COORDINATOR, is_active=True))
    notify(recipients=coordinators, kind="deletion_request",
           title=_("%(name)s asked for their account to be deleted") % {"name": user.display_name}, actor=user)
    return True


def default_services_for(organisation: Organisation):
    return Service.objects.filter(organisations=organisation)
