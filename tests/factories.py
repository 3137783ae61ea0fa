"""Test data built through the services, so roles, permissions and side effects are real."""

import itertools

from allauth.account.models import EmailAddress

from community import roles, services
from community.models import Country, Organisation, Role, Service, User

_counter = itertools.count(1)


def make_user(*, email=None, display_name=None, password="a-Long-test-password-1", verified=True, **fields) -> User:
    n = next(_counter)
    email = email or f"person{n}@example.org"
    user = User.objects.create_user(email=email, password=password, display_name=display_name or f"Person {n}",
                                    **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_organisation(*, country_code="GR", name=None, services_codes=("helpline",), **fields) -> Organisation:
    n = next(_counter)
    country = Country.objects.get(code=country_code)
    organisation = Organisation.objects.create(
        name=name or f"Organisation {n}", country=country, sic=getattr(country, "sic", None), **fields
    )
    organisation.services.set(Service.objects.filter(code__in=services_codes))
    return organisation


def make_member(*, organisation=None, role=Role.MEMBER, services_codes=("helpline",), extra_roles=(),
                org_admin=False, **user_fields) -> User:
    """An approved member of `organisation` (a new one when omitted)."""
    organisation = organisation or make_organisation()
    user = make_user(**user_fields)
    services.admit_member(user=user, organisation=organisation, role=role,
                          services=Service.objects.filter(code__in=services_codes))
    for extra in extra_roles:
        roles.grant_role(user, extra)
    if org_admin:
        roles.make_org_admin(user, organisation)
        # Organisation admins must use two-factor authentication (issue 9).
        give_totp(user)
    return User.objects.get(pk=user.pk)


def give_totp(user) -> None:
    """Roles that require two-factor authentication need an authenticator to use the site."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
