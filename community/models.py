from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles map one-to-one onto Django groups of the same label (see roles.py)."""

    MEMBER = "member", _("Member (SIC staff)")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    YOUTH_COORDINATOR = "youth_coordinator", _("Youth coordinator")
    YOUTH_PANELLIST = "youth_panellist", _("Youth panellist")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    MODERATOR = "moderator", _("Moderator")


# Roles a person can hold *within* an organisation, requested at sign-up or given by an
# invitation. Org admin, network coordinator and moderator are granted afterwards.
ORGANISATION_ROLES = (Role.MEMBER, Role.YOUTH_COORDINATOR, Role.YOUTH_PANELLIST)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. Email is the login identifier; there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("How other members see you. Youth panellists: a first name or nickname."),
    )
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("For example: English, Greek")
    )
    bio = models.TextField(_("about you"), max_length=2000, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    # Privacy: what members other than coordinators may see. Youth panellists get all of
    # them off by default (see services.apply_privacy_defaults).
    show_surname = models.BooleanField(_("show my surname to members"), default=True)
    show_email = models.BooleanField(_("show my email address to members"), default=False)
    show_in_directory = models.BooleanField(_("list me in the member directory"), default=True)

    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    deletion_requested_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.display_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles (group names), read once per request."""
        if not self.pk:
            return frozenset()
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("groups")
        if prefetched is not None:
            return frozenset(group.name for group in prefetched)
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()

    @cached_property
    def approved_membership(self):
        if not self.pk:
            return None
        return (
            self.memberships.filter(status=Membership.Status.APPROVED)
            .select_related("organisation__country")
            .prefetch_related("services")
            .first()
        )

    @property
    def is_approved_member(self) -> bool:
        """May use the platform: an approved membership and not suspended."""
        return self.is_active and not self.is_suspended and self.approved_membership is not None

    @property
    def is_youth_panellist(self) -> bool:
        return self.has_role(Role.YOUTH_PANELLIST)

    @property
    def is_network_coordinator(self) -> bool:
        return self.has_role(Role.NETWORK_COORDINATOR)

    @cached_property
    def service_codes(self) -> frozenset[str]:
        membership = self.approved_membership
        if membership is None:
            return frozenset()
        return frozenset(service.code for service in membership.services.all())

    @property
    def is_hotline_staff(self) -> bool:
        return Service.HOTLINE in self.service_codes


class Country(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    is_sic_plus = models.BooleanField(
        _("SIC+ country"), default=False, help_text=_("Beyond the European network.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class SaferInternetCentre(models.Model):
    """The national SIC record. People never join it: they join its organisations."""

    country = models.OneToOneField(Country, on_delete=models.PROTECT, related_name="sic")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("Safer Internet Centre")

    def __str__(self):
        return self.name


class Service(models.Model):
    """One of the four strands of a SIC's work."""

    AWARENESS = "awareness"
    HELPLINE = "helpline"
    HOTLINE = "hotline"
    YOUTH = "youth"
    CODES = [
        (AWARENESS, _("Awareness centre")),
        (HELPLINE, _("Helpline")),
        (HOTLINE, _("Hotline")),
        (YOUTH, _("Youth participation")),
    ]

    code = models.CharField(max_length=20, unique=True, choices=CODES)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested, awaiting a coordinator")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")

    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organisations")
    sic = models.ForeignKey(
        SaferInternetCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The SIC this organisation is part of, if any."),
    )
    services = models.ManyToManyField(Service, blank=True, related_name="organisations")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    helpline_phone = models.CharField(max_length=40, blank=True)
    helpline_url = models.URLField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="organisation_unique_name_per_country")
        ]
        permissions = [
            ("approve_membership", "Can approve membership requests"),
            ("manage_members", "Can remove members and grant organisation admin"),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Membership(models.Model):
    """A person's link to their organisation. Rejected requests stay as history."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        max_length=30,
        choices=[(role.value, role.label) for role in ORGANISATION_ROLES],
        default=Role.MEMBER,
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="memberships", help_text=_("The services you work in.")
    )
    job_title = models.CharField(max_length=120, blank=True)
    motivation = models.TextField(
        blank=True, max_length=1000, help_text=_("Anything that helps your organisation recognise you.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # A person belongs to one organisation: at most one live membership at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "approved"]),
                name="membership_one_live_per_user",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.status})"


class Invitation(models.Model):
    """A single-use, expiring invitation to join an organisation in a given role."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=30, choices=[(role.value, role.label) for role in ORGANISATION_ROLES])
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="sent_invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
