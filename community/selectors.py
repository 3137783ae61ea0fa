from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from guardian.shortcuts import get_objects_for_user

from .models import Country, Invitation, Membership, Organisation, Role, Service

User = get_user_model()


def active_organisations(*, country_code: str = "", query: str = ""):
    organisations = Organisation.objects.filter(status=Organisation.Status.ACTIVE).select_related("country")
    if country_code:
        organisations = organisations.filter(country__code=country_code.upper())
    if query:
        organisations = organisations.filter(name__icontains=query)
    return organisations.prefetch_related("services")


def countries_with_organisations():
    return Country.objects.filter(organisations__status=Organisation.Status.ACTIVE).distinct()


def organisations_user_decides(user):
    """Organisations whose membership requests `user` may decide."""
    if user.has_perm("community.approve_membership"):
        return Organisation.objects.all()
    return get_objects_for_user(
        user, "community.approve_membership", klass=Organisation, accept_global_perms=False
    )


def pending_memberships_for(user):
    """The membership requests the viewer may decide, oldest first."""
    return (
        Membership.objects.filter(
            status=Membership.Status.PENDING,
            organisation__status=Organisation.Status.ACTIVE,
            organisation__in=organisations_user_decides(user),
        )
        .exclude(user=user)
        .select_related("user", "organisation__country")
        .prefetch_related("services")
        .order_by("created_at")
    )


def requested_organisations():
    return (
        Organisation.objects.filter(status=Organisation.Status.REQUESTED)
        .select_related("country", "requested_by")
        .prefetch_related("services")
        .order_by("created_at")
    )


def latest_membership_of(user) -> Membership | None:
    return user.memberships.select_related("organisation__country").order_by("-created_at").first()


def _directory_people(viewer):
    people = User.objects.filter(
        is_active=True, suspended_at__isnull=True, memberships__status=Membership.Status.APPROVED
    )
    if viewer.has_role(Role.NETWORK_COORDINATOR) or viewer.has_role(Role.MODERATOR):
        return people
    listed = Q(show_in_directory=True) & ~Q(groups__name=Role.YOUTH_PANELLIST)
    if viewer.has_role(Role.YOUTH_COORDINATOR):
        # Youth coordinators also see the panellists of their own country.
        own_country = viewer.approved_membership.organisation.country_id
        listed |= Q(groups__name=Role.YOUTH_PANELLIST, memberships__organisation__country_id=own_country)
    return people.filter(listed | Q(pk=viewer.pk))


def member_directory(*, viewer, country_code: str = "", service_code: str = "", query: str = ""):
    people = _directory_people(viewer)
    approved = Membership.objects.filter(status=Membership.Status.APPROVED)
    if country_code:
        approved = approved.filter(organisation__country__code=country_code.upper())
    if service_code:
        approved = approved.filter(services__code=service_code)
    people = people.filter(pk__in=approved.values("user_id"))
    if query:
        people = people.filter(display_name__icontains=query)
    return (
        people.distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.APPROVED)
                .select_related("organisation__country")
                .prefetch_related("services"),
                to_attr="approved_memberships",
            ),
            "groups",
        )
        .order_by("display_name", "pk")
    )


def organisation_with_members(*, organisation_id: int):
    return (
        Organisation.objects.select_related("country", "sic")
        .prefetch_related("services")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.APPROVED)))
        .get(pk=organisation_id)
    )


def approved_memberships_of(organisation):
    return (
        organisation.memberships.filter(status=Membership.Status.APPROVED)
        .select_related("user")
        .prefetch_related("services", "user__groups")
        .order_by("user__display_name")
    )


def invitations_sent_by(user):
    invitations = Invitation.objects.select_related("organisation__country", "invited_by")
    if not user.has_role(Role.NETWORK_COORDINATOR):
        invitations = invitations.filter(invited_by=user)
    return invitations.order_by("-created_at")


def all_services():
    return Service.objects.all()
