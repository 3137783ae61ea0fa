"""Moderation: content states, the queue, flags, policies, word lists, sanctions, safeguarding
concerns and the append-only audit log."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import Audience, PolicyMode, Space, registration_for
from .rules import RULE_LABELS

# The languages of the network's countries, for the per-language word lists.
WORD_LIST_LANGUAGES = [
    ("bg", "Bulgarian"), ("cs", "Czech"), ("da", "Danish"), ("de", "German"), ("el", "Greek"),
    ("en", "English"), ("es", "Spanish"), ("et", "Estonian"), ("fi", "Finnish"), ("fr", "French"),
    ("ga", "Irish"), ("hr", "Croatian"), ("hu", "Hungarian"), ("is", "Icelandic"), ("it", "Italian"),
    ("lb", "Luxembourgish"), ("lt", "Lithuanian"), ("lv", "Latvian"), ("mt", "Maltese"),
    ("nl", "Dutch"), ("no", "Norwegian"), ("pl", "Polish"), ("pt", "Portuguese"), ("ro", "Romanian"),
    ("ru", "Russian"), ("sk", "Slovak"), ("sl", "Slovenian"), ("sr", "Serbian"), ("sv", "Swedish"),
]

# How long authors are told a review takes; the reminder fires at the same moment.
REVIEW_HOURS = 24
ESCALATION_HOURS = 72


class ModerationState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")
    HIDDEN = "hidden", _("Hidden")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation_state=ModerationState.APPROVED)

    def visible_to(self, user):
        """Approved content, plus the viewer's own pending and rejected items (labelled in
        templates). Moderators' "everything in my scope" is the feature selector's call.

        Start from `all_objects`: `objects` has already left the viewer's own items out."""
        visible = Q(moderation_state=ModerationState.APPROVED)
        registration = registration_for(self.model)
        if user is not None and user.is_authenticated and registration is not None:
            visible |= Q(
                **{registration.author_field: user},
                moderation_state__in=[ModerationState.PENDING, ModerationState.REJECTED],
            )
        return self.filter(visible)


class PublishedManager(models.Manager.from_queryset(ModeratedQuerySet)):
    """Approved rows only: what any member may be shown."""

    def get_queryset(self):
        return super().get_queryset().published()


class ModeratedContent(models.Model):
    """Mixin for any model whose rows go through moderation.

    Feature models inherit it and register with moderation.registry; moderation.services
    decides the state on submit and records every decision (ModerationItem, AuditEntry).
    """

    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.APPROVED, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    # `all_objects` is declared first, so it is Django's default manager: related managers
    # (`topic.posts`), model validation, ModelForms, the admin and dumpdata use it, and Django
    # warns that a filtering default manager makes them miss rows. Reverse relations therefore
    # return every state: pages show content through selectors, which filter.
    all_objects = ModeratedQuerySet.as_manager()
    objects = PublishedManager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.APPROVED

    @property
    def is_pending_review(self) -> bool:
        return self.moderation_state == ModerationState.PENDING

    @property
    def review_expected_by(self):
        """What authors are told: "a moderator will look at it by ..."."""
        if self.submitted_at is None:
            return None
        return self.submitted_at + timedelta(hours=REVIEW_HOURS)


class ModerationItem(models.Model):
    """One thing waiting for (or given) a moderator's decision: new content, an edit of
    approved content, published content under review (post-moderation, flags), or an appeal.

    What the queue shows (title, rendered HTML, texts for the diff, space, author) is copied
    here when the item is created, so the queue is one query whatever the content types.
    """

    class Kind(models.TextChoices):
        NEW = "new", _("New content")
        REVISION = "revision", _("Edit of published content")
        PUBLISHED = "published", _("Published content to review")
        APPEAL = "appeal", _("Appeal")

    class Reason(models.TextChoices):
        PRE_MODERATION = "pre_moderation", _("Pre-moderation")
        AUTO_HOLD = "auto_hold", _("Automatic hold")
        POST_MODERATION = "post_moderation", _("Post-moderation")
        FLAGS = "flags", _("Flags")
        APPEAL = "appeal", _("Appeal")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    hold_rules = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    space_kind = models.CharField(max_length=40, blank=True)
    space_id = models.PositiveBigIntegerField(null=True, blank=True)
    space_label = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=80, blank=True)
    title = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    content_html = models.TextField(blank=True)
    content_text = models.TextField(blank=True)
    previous_text = models.TextField(blank=True)
    proposed_changes = models.JSONField(default=dict, blank=True)
    flag_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=80, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason_code = models.CharField(max_length=30, blank=True)
    reason_text = models.TextField(blank=True, max_length=2000)

    appeal_of = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="appeal"
    )
    appeal_text = models.TextField(blank=True, max_length=2000)
    # An appeal goes to a different moderator than the one who decided.
    excluded_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="open"),
                name="moderation_one_open_item_per_object",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="moderation_queue_idx"),
            models.Index(fields=["status", "space_kind", "space_id"], name="moderation_queue_space_idx"),
            models.Index(fields=["content_type", "object_id"], name="moderation_item_target_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title or self.object_id}"

    @property
    def space(self) -> Space:
        return Space(kind=self.space_kind, pk=self.space_id, label=self.space_label)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def review_expected_by(self):
        return self.created_at + timedelta(hours=REVIEW_HOURS)

    @property
    def hold_rule_labels(self) -> list[str]:
        return [str(RULE_LABELS.get(code, code)) for code in self.hold_rules]

    @property
    def may_be_appealed(self) -> bool:
        return (
            self.status == self.Status.DECIDED
            and self.kind != self.Kind.APPEAL
            and self.decision in (self.Decision.REJECTED, self.Decision.HIDDEN)
        )


class Flag(models.Model):
    """A member's report that some content breaks the rules."""

    class Category(models.TextChoices):
        BULLYING = "bullying", _("Bullying or harassment")
        PERSONAL_INFORMATION = "personal_information", _("Personal information")
        ILLEGAL_OR_HARMFUL = "illegal_or_harmful", _("Illegal or harmful content")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Something else")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised")
    category = models.CharField(max_length=30, choices=Category.choices)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey(
        ModerationItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "flagged_by"], name="flag_once_per_member_per_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_category_display()} flag on {self.content_type.model} {self.object_id}"


class ModerationPolicy(models.Model):
    """Overrides the registered default policy for one content type, in one space or all."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    # Blank: every space of this content type.
    space_key = models.CharField(max_length=60, blank=True)
    space_label = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    mode = models.CharField(max_length=10, choices=PolicyMode.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("moderation policies")
        ordering = ["content_type", "space_key", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "space_key", "audience"], name="moderation_policy_once_per_scope"
            )
        ]

    def __str__(self):
        # get_for_id() reads the content types cache, so listing policies costs no query per row.
        model = ContentType.objects.get_for_id(self.content_type_id).model if self.content_type_id else "?"
        return f"{model} in {self.space_label or 'every space'} ({self.audience}): {self.mode}"


class ModerationSettings(models.Model):
    """Network-wide numbers network coordinators may change (one row, pk=1)."""

    flag_threshold = models.PositiveSmallIntegerField(
        _("flags before published content is hidden pending review"), default=3
    )
    # 0 turns the rule off. Counted over all registered content types.
    new_member_review_count = models.PositiveSmallIntegerField(
        _("number of a new member's first posts held for review"), default=0
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("moderation settings")

    def __str__(self):
        return "Moderation settings"

    @classmethod
    def current(cls) -> "ModerationSettings":
        return cls.objects.get_or_create(pk=1)[0]


class BlockedPhrase(models.Model):
    """A word or phrase that holds content for review, in one language's list."""

    language = models.CharField(_("language"), max_length=10, choices=WORD_LIST_LANGUAGES)
    phrase = models.CharField(_("word or phrase"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["language", "phrase"], name="blocked_phrase_once_per_language")
        ]

    def __str__(self):
        return f"{self.phrase} ({self.language})"


class SanctionQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=at).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )


class Sanction(models.Model):
    class Kind(models.TextChoices):
        SILENCE = "silence", _("Read-only in a space")
        SUSPENSION = "suspension", _("Account suspended")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    space_kind = models.CharField(max_length=40, blank=True)
    space_id = models.PositiveBigIntegerField(null=True, blank=True)
    space_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(max_length=2000)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=80, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "space_kind", "space_id"], name="sanction_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suspension") | Q(ends_at__isnull=False), name="silence_has_end_date"
            )
        ]

    def __str__(self):
        where = f" in {self.space_label}" if self.space_label else ""
        return f"{self.get_kind_display()}: {self.user_id}{where}"

    @property
    def space(self) -> Space:
        return Space(kind=self.space_kind, pk=self.space_id, label=self.space_label)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class AuditQuerySet(models.QuerySet):
    """Append-only: nothing in the app edits or deletes audit rows."""

    def update(self, **kwargs):
        raise TypeError("The moderation audit log is append-only.")

    def delete(self):
        raise TypeError("The moderation audit log is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")
        AUTO_HIDDEN = "auto_hidden", _("Hidden after flags")
        APPEALED = "appealed", _("Appeal lodged")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
        APPEAL_DISMISSED = "appeal_dismissed", _("Appeal dismissed")
        ESCALATED = "escalated", _("Escalated to network moderators")
        SILENCED = "silenced", _("Member silenced")
        SUSPENDED = "suspended", _("Account suspended")
        SANCTION_LIFTED = "sanction_lifted", _("Sanction lifted")
        POLICY_CHANGED = "policy_changed", _("Policy changed")
        SETTINGS_CHANGED = "settings_changed", _("Settings changed")
        WORD_ADDED = "word_added", _("Word added to list")
        WORD_REMOVED = "word_removed", _("Word removed from list")
        LEAD_APPOINTED = "lead_appointed", _("Safeguarding lead appointed")
        WITHDRAWN = "withdrawn", _("Withdrawn: deleted while waiting")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Null actor: the system (automatic hides, escalations). The name survives deletion.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=80)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    item = models.ForeignKey(ModerationItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    space_kind = models.CharField(max_length=40, blank=True)
    space_id = models.PositiveBigIntegerField(null=True, blank=True)
    space_label = models.CharField(max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_name = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The moderation audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation audit log is append-only.")


class SafeguardingConcern(models.Model):
    """"I'm worried about someone": confidential, seen by safeguarding leads only."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("Being handled")
        CLOSED = "closed", _("Closed")

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_by_name = models.CharField(max_length=80)
    about_self = models.BooleanField(default=False)
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_name = models.CharField(max_length=80, blank=True)
    message = models.TextField(max_length=5000)
    page_url = models.CharField(max_length=500, blank=True)
    # Whose leads handle it: the country of the person concerned (or of the reporter).
    country = models.ForeignKey("community.Country", on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when it waited too long as new and went to the network's leads (once).
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="concern_open_idx")]

    def __str__(self):
        return f"Concern {self.pk} ({self.get_status_display()})"


class ConcernEvent(models.Model):
    """The concern's own audit trail (kept apart from the moderation log: it is confidential)."""

    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=80)
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Concern {self.concern_id}: {self.actor_name} {self.action}"
