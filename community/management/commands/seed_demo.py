"""Demo data for a local run: organisations in several SICs, one person per role, pending requests.

Idempotent: running it again changes nothing that exists. Refuses to run with DEBUG off unless
--force, so production never gets known passwords.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community import roles, services
from community.demo import run_demo_loaders
from community.models import Country, Membership, Organisation, Role, Service, User
from community.permissions import requires_mfa

DEMO_PASSWORD = "demo-Community-2026"
# A fixed TOTP secret for the demo accounts whose role requires two-factor authentication.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ORGANISATIONS = [
    # (country code, name, services, website)
    ("GR", "Hellenic Helpline for Children Online", ["helpline", "youth"], "https://example.org/gr-helpline"),
    ("GR", "Greek Awareness Centre", ["awareness", "youth"], "https://example.org/gr-awareness"),
    ("GR", "Greek Hotline for Illegal Content", ["hotline"], "https://example.org/gr-hotline"),
    ("IE", "Irish Awareness Centre", ["awareness"], "https://example.org/ie-awareness"),
    ("IE", "Irish Online Safety Helpline", ["helpline"], "https://example.org/ie-helpline"),
    ("IE", "Irish Internet Hotline", ["hotline"], "https://example.org/ie-hotline"),
    ("BE", "Belgian Safer Internet Helpline", ["helpline", "awareness"], "https://example.org/be"),
    ("AT", "Austrian Youth Panel Association", ["youth"], "https://example.org/at-youth"),
    ("PL", "Polish Safer Internet Helpline", ["helpline", "hotline"], "https://example.org/pl"),
    ("EE", "Estonian Awareness Centre", ["awareness"], "https://example.org/ee"),
]
HELPLINE_PHONES = {"Hellenic Helpline for Children Online": "+30 210 000 0000",
                   "Irish Online Safety Helpline": "+353 1 000 0000"}

# (email, display name, first, last, organisation, membership role, services, extra roles, org admin)
PEOPLE = [
    ("coordinator@demo.sic.community", "Nadia (coordination team)", "Nadia", "Peeters",
     "Belgian Safer Internet Helpline", Role.MEMBER, ["awareness"], [Role.NETWORK_COORDINATOR], False),
    ("moderator@demo.sic.community", "Marco (moderator)", "Marco", "Rossi",
     "Belgian Safer Internet Helpline", Role.MEMBER, ["helpline"], [Role.MODERATOR], False),
    ("orgadmin@demo.sic.community", "Eleni", "Eleni", "Papadopoulou",
     "Hellenic Helpline for Children Online", Role.MEMBER, ["helpline"], [], True),
    ("helpline@demo.sic.community", "Giorgos", "Giorgos", "Nikolaou",
     "Hellenic Helpline for Children Online", Role.MEMBER, ["helpline"], [], False),
    ("awareness@demo.sic.community", "Aoife", "Aoife", "Byrne",
     "Irish Awareness Centre", Role.MEMBER, ["awareness"], [], True),
    ("hotline@demo.sic.community", "Seán (hotline analyst)", "Seán", "Murphy",
     "Irish Internet Hotline", Role.MEMBER, ["hotline"], [], False),
    ("youthcoord@demo.sic.community", "Katerina (youth coordinator)", "Katerina", "Georgiou",
     "Greek Awareness Centre", Role.YOUTH_COORDINATOR, ["youth", "awareness"], [], False),
    ("panellist@demo.sic.community", "Alex", "Alexandros", "Dimitriou",
     "Greek Awareness Centre", Role.YOUTH_PANELLIST, ["youth"], [], False),
    ("panellist.at@demo.sic.community", "Lena", "Lena", "Huber",
     "Austrian Youth Panel Association", Role.YOUTH_PANELLIST, ["youth"], [], False),
]

PENDING = [
    ("pending.gr@demo.sic.community", "Dimitra", "Hellenic Helpline for Children Online", ["helpline"]),
    ("pending.ie@demo.sic.community", "Ciarán", "Irish Awareness Centre", ["awareness"]),
]


class Command(BaseCommand):
    help = "Load demo organisations, one person per role and a few pending membership requests."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never in production).")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG off: it creates accounts with a known password. "
                               "Use --force on a throw-away database.")
        organisations = {name: self._organisation(code, name, codes, website)
                         for code, name, codes, website in ORGANISATIONS}
        for email, display, first, last, org_name, role, codes, extra_roles, is_admin in PEOPLE:
            user = self._user(email, display, first, last, birth_year=2010 if role == Role.YOUTH_PANELLIST else None)
            organisation = organisations[org_name]
            if not user.memberships.filter(status=Membership.Status.APPROVED).exists():
                services.admit_member(user=user, organisation=organisation, role=role,
                                      services=Service.objects.filter(code__in=codes))
            for extra in extra_roles:
                roles.grant_role(user, extra)
            if is_admin:
                roles.make_org_admin(user, organisation)
            user = User.objects.get(pk=user.pk)
            if requires_mfa(user) and not (
                Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)
        for email, display, org_name, codes in PENDING:
            user = self._user(email, display, "", "")
            if not user.memberships.exists():
                services.request_membership(user=user, organisation=organisations[org_name],
                                            services=Service.objects.filter(code__in=codes))
        for name in run_demo_loaders():
            self.stdout.write(f"Loaded demo {name}.")
        self._report()

    def _organisation(self, code, name, codes, website):
        country = Country.objects.get(code=code)
        organisation, created = Organisation.objects.get_or_create(
            country=country, name=name,
            defaults={"website": website, "sic": getattr(country, "sic", None),
                      "helpline_phone": HELPLINE_PHONES.get(name, "")},
        )
        if created:
            organisation.services.set(Service.objects.filter(code__in=codes))
        return organisation

    def _user(self, email, display, first, last, birth_year=None):
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": display, "first_name": first, "last_name": last,
                                   "birth_year": birth_year},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _report(self):
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account uses the password: " + DEMO_PASSWORD))
        for email, display, *_rest in PEOPLE:
            self.stdout.write(f"  {email:40} {display}")
        for email, display, *_rest in PENDING:
            self.stdout.write(f"  {email:40} {display} (membership pending)")
        self.stdout.write(
            "Coordinators, moderators and hotline staff must use two-factor authentication. Their demo accounts "
            f"share the TOTP secret {DEMO_TOTP_SECRET}: add it to an authenticator app to sign in."
        )
