from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import Delivery


class EmailState(models.TextChoices):
    NONE = "", _("Not emailed")
    # Stored with the notification; sent after the response by the background sender (a
    # process that stops first leaves it to `resend_failed_emails`).
    QUEUED = "queued", _("Being emailed at once")
    SENT = "sent", _("Emailed at once")
    # The mail server refused or did not answer: sent again by `resend_failed_emails`.
    RETRY = "retry", _("Email at once failed; being sent again")
    DIGEST_PENDING = "digest", _("Waiting for the weekly digest")
    DIGESTED = "digested", _("Sent in a weekly digest")


class Notification(models.Model):
    """One notification for one recipient. The stored row is the truth; any live push is a hint."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Declared by the app that sends it (e.g. "membership_request", "mention"): see kinds.py.
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # The actor's name is copied so the notification stays readable if the account goes.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.NONE, blank=True
    )
    # When the immediate email was queued to be sent: the hourly cap counts these.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-id"], name="notification_latest_idx"),
            models.Index(
                fields=["recipient", "emailed_at"],
                name="notification_emailed_idx",
                condition=Q(emailed_at__isnull=False),
            ),
            models.Index(
                fields=["recipient"],
                name="notification_digest_idx",
                condition=Q(email_state="digest"),
            ),
            models.Index(
                fields=["created_at"],
                name="notification_email_retry_idx",
                condition=Q(email_state="retry"),
            ),
            models.Index(
                fields=["created_at"],
                name="notification_email_queued_idx",
                condition=Q(email_state="queued"),
            ),
        ]
        verbose_name = _("notification")

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A member's choice for one kind. No row means the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=50)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_preference_delivery"
            ),
        ]
        verbose_name = _("notification preference")

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class EmailSettings(models.Model):
    """Per-member email switches that are not tied to one kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_email_settings",
    )
    weekly_digest = models.BooleanField(_("send me the weekly digest"), default=True)

    class Meta:
        verbose_name = _("notification email settings")
        verbose_name_plural = _("notification email settings")

    def __str__(self):
        return f"{self.user_id}: digest {'on' if self.weekly_digest else 'off'}"


class DigestDelivery(models.Model):
    """One weekly digest sent to one member; the unique period makes send_digests idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period_start"], name="digest_once_per_period"),
        ]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")

    def __str__(self):
        return f"digest {self.period_start} → {self.user_id}"
