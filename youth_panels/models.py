"""The youth area: one space per national youth panel plus the European youth area.

Who may see a space is decided in ONE place, `youth_panels.permissions.can_view_space`; every
list, detail page, search and notification fan-out goes through it (or its query twin in
`selectors`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from community.storage import PrivateStorage
from moderation.models import ModeratedContent

private_storage = PrivateStorage("youth")


def _private_storage():
    return private_storage


class YouthPanel(models.Model):
    """A national youth panel's space, or (country empty) the European youth area."""

    country = models.OneToOneField(
        "community.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="youth_panel"
    )
    is_european = models.BooleanField(default=False, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=40, unique=True)
    introduction = models.TextField(blank=True, max_length=2000)
    # The space's discussions live in an unlisted forum of the forums engine.
    discussion_forum = models.OneToOneField(
        "forums.Forum", on_delete=models.SET_NULL, null=True, blank=True, related_name="youth_panel"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("country__name").asc(nulls_first=True)]
        permissions = [("moderate_youthpanel", "Can coordinate and moderate the youth panel's space")]
        constraints = [
            # One European area, and it is the only panel without a country.
            models.UniqueConstraint(
                fields=["is_european"], condition=Q(is_european=True), name="youth_one_european_area"
            ),
            models.CheckConstraint(
                condition=Q(is_european=True, country__isnull=True) | Q(is_european=False, country__isnull=False),
                name="youth_panel_country_unless_european",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("youth_panels:space", args=[self.slug])


class YouthFollower(models.Model):
    """A staff member who opted in to follow youth work: reads the European youth area."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="youth_follow")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} follows youth work"


class PanelMembership(models.Model):
    """A panellist's place in a national panel, from the coordinator's invitation to removal.

    A panellist without any row belongs to the panel of their organisation's country (people
    admitted before panel invitations existed, or by trusted set-up such as demo data); a row
    decides otherwise: invited (waiting for the coordinator's approval), active, waiting for a
    parent's authorisation (admitted outside the panel invitation while younger than the
    country's digital-consent age, or of unknown age), or removed.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited, waiting for approval")
        AWAITING_AUTHORISATION = "awaiting", _("Waiting for a parent's authorisation")
        ACTIVE = "active", _("Active")
        REMOVED = "removed", _("Removed")

    panel = models.ForeignKey(YouthPanel, on_delete=models.CASCADE, related_name="memberships")
    # Empty until the invitation is accepted and the coordinator approves the person who accepted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="panel_memberships"
    )
    invitation = models.OneToOneField(
        "community.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="panel_membership"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    # Given by the coordinator at invitation (year only: data minimisation); decides with the
    # country's age of digital consent whether a parent's authorisation is needed.
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    parental_authorisation = models.BooleanField(
        _("parental authorisation recorded"),
        default=False,
        help_text=_("Tick when a parent or guardian has authorised a panellist below the digital-consent age."),
    )
    parental_authorisation_note = models.CharField(max_length=300, blank=True)
    # The consent record (GDPR art. 8): who authorised, who recorded it and when, until when it
    # holds, and its withdrawal. An expired authorisation closes the youth area until renewed.
    authorised_by = models.CharField(
        _("parent or guardian who authorised"), max_length=200, blank=True,
        help_text=_("Name and relation, e.g. “Maria P., mother”."),
    )
    authorisation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    authorisation_recorded_at = models.DateTimeField(null=True, blank=True)
    authorisation_expires_on = models.DateField(_("authorisation valid until"), null=True, blank=True)
    authorisation_withdrawn_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["invited", "awaiting", "active"]),
                name="panel_membership_one_live",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(user__isnull=False), name="panel_membership_active_has_user"
            ),
        ]
        indexes = [models.Index(fields=["panel", "status"], name="panel_membership_panel_idx")]

    def __str__(self):
        return f"{self.user or self.invitation} in {self.panel} ({self.status})"

    @property
    def authorisation_expired(self) -> bool:
        return self.authorisation_expires_on is not None and self.authorisation_expires_on < timezone.localdate()


class BirthYearChange(models.Model):
    """A panellist's own birth year that would lift the parent's-authorisation requirement the
    year known before (or, unknown, our assumption) imposes: it counts only once a coordinator
    of their panel confirms it. The row stays as the record of who decided (safeguarding)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a coordinator")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Kept the earlier year")
        WITHDRAWN = "withdrawn", _("Replaced by the panellist's later answer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="birth_year_changes")
    panel = models.ForeignKey(YouthPanel, on_delete=models.CASCADE, related_name="birth_year_changes")
    previous_year = models.PositiveSmallIntegerField(null=True, blank=True)
    requested_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="waiting"), name="birth_year_one_waiting"),
        ]
        indexes = [models.Index(fields=["panel", "status"], name="birth_year_change_panel_idx")]

    def __str__(self):
        return f"{self.user}: {self.previous_year} -> {self.requested_year} ({self.status})"


def _image_path(instance, filename):
    return (
        f"posts/{timezone.now():%Y/%m}/{instance.author_id or 0}-{timezone.now():%d%H%M%S%f}"
        f".{filename.rsplit('.', 1)[-1]}"
    )


class YouthPost(ModeratedContent):
    """A youth blog post, written in the author's national space (or by a coordinator in the
    European area). Promotion shows an approved national post in the European area too."""

    panel = models.ForeignKey(YouthPanel, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="youth_posts"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("post"), max_length=20000)
    body_html = models.TextField(editable=False)
    image = models.ImageField(_("image"), upload_to=_image_path, storage=_private_storage, blank=True)
    image_alt = models.CharField(
        _("image description"), max_length=200, blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    tags = models.ManyToManyField("forums.Tag", blank=True, related_name="youth_posts")
    promoted_at = models.DateTimeField(null=True, blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["panel", "-created_at"], name="youth_post_panel_latest_idx"),
            models.Index(
                fields=["-promoted_at"], name="youth_post_promoted_idx", condition=Q(promoted_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("youth_panels:post", args=[self.pk])

    @property
    def is_promoted(self) -> bool:
        return self.promoted_at is not None

    @property
    def review_html(self) -> str:
        """What a coordinator reviews in the moderation queue: the sanitised text and the
        image (served by the permission-checked image view), so no image is approved unseen."""
        if not self.image or self.pk is None:
            return self.body_html
        image = format_html(
            '<p><img src="{}" alt="{}"></p>',
            reverse("youth_panels:post_image", args=[self.pk]), self.image_alt,
        )
        return mark_safe(image + self.body_html)  # noqa: S308 (both parts are escaped or sanitised)


class YouthComment(ModeratedContent):
    post = models.ForeignKey(YouthPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="youth_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="youth_comment_order_idx")]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"

    def get_absolute_url(self):
        return reverse("youth_panels:post", args=[self.post_id]) + f"#comment-{self.pk}"


def _resource_path(instance, filename):
    # A random name: nothing of the uploader's file name reaches the disk.
    return f"resources/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class YouthResource(models.Model):
    """A learning resource a coordinator pins to a space: a link, a checked file, or both."""

    class AgeRange(models.TextChoices):
        ALL = "", _("All ages")
        UNDER_13 = "u13", _("Under 13")
        TEENS_13_15 = "13-15", _("13 to 15")
        TEENS_16_18 = "16-18", _("16 to 18")
        ADULTS = "18+", _("18 and over")

    panel = models.ForeignKey(YouthPanel, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Checked and cleaned by meetings.files (type by content, metadata stripped), kept in
    # private storage and served by a view that checks the viewer may see the space.
    file = models.FileField(_("file"), upload_to=_resource_path, storage=_private_storage, blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    file_kind = models.CharField(max_length=10, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=40, blank=True)
    age_range = models.CharField(_("age range"), max_length=5, choices=AgeRange.choices, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_pinned", "-created_at", "-id"]
        indexes = [models.Index(fields=["panel", "-is_pinned", "-created_at"], name="youth_resource_panel_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="youth_resource_link_or_file"),
        ]

    def __str__(self):
        return self.title
