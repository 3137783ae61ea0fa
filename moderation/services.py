"""State changes of moderation: submitting content, decisions, flags, appeals, deadlines,
sanctions, settings and safeguarding concerns.

Each service checks permission first, runs in one transaction, writes exactly one audit
entry per moderation action in that transaction, and notifies through
`notifications.services.notify` (pushed on commit).
"""

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from community import services as community_services
from community.models import Organisation, Role, Service
from community.security import log_security_event
from notifications.events import publish_to_users
from notifications.services import notify

from . import permissions, rules
from .models import (
    ESCALATION_HOURS,
    REVIEW_HOURS,
    WORD_LIST_LANGUAGES,
    AuditEntry,
    BlockedPhrase,
    ConcernEvent,
    Flag,
    ModerationItem,
    ModerationPolicy,
    ModerationSettings,
    ModerationState,
    SafeguardingConcern,
    Sanction,
)
from .reasons import REJECTION_REASONS, reason_text_for
from .registry import (
    NO_SPACE,
    TRUSTED_ROLES,
    Audience,
    ModeratedModel,
    PolicyMode,
    Space,
    can_moderate_space,
    registration_for,
    registration_for_content_type_id,
    registrations,
)
from .selectors import network_moderators, pending_counts_after_change

User = get_user_model()

# Hosts whose links never hold content: the network's own sites. Organisations' websites are
# added from the database; MODERATION_KNOWN_HOSTS in settings replaces this list.
DEFAULT_KNOWN_HOSTS = (
    "betterinternetforkids.europa.eu",
    "europa.eu",
    "insafe.org",
    "inhope.org",
    "saferinternetday.org",
    "116111.eu",
    "coe.int",
    "unicef.org",
    "wikipedia.org",
)
CONCERN_RESPONSE_HOURS = 24
MAX_SILENCE_DAYS = 365


# --- Small helpers ----------------------------------------------------------------------------
def _name(user) -> str:
    if user is None:
        return _("System")
    return (user.display_name or user.email)[:80]


def _audit(*, actor, action, item=None, obj=None, space: Space = NO_SPACE, subject=None, reason="",
           object_label="") -> AuditEntry:
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    if item is not None:
        content_type = content_type or ContentType.objects.get_for_id(item.content_type_id)
        space = item.space if space is NO_SPACE else space
        object_label = object_label or item.title
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=_name(actor),
        action=action,
        content_type=content_type,
        object_id=(obj.pk if obj is not None else (item.object_id if item is not None else None)),
        object_label=object_label[:200],
        item=item,
        space_kind=space.kind,
        space_id=space.pk,
        space_label=space.label[:200],
        subject=subject,
        subject_name=_name(subject) if subject is not None else "",
        reason=reason,
    )


def _push_queue_counts(*changed_items: ModerationItem) -> None:
    """After the commit, tell every moderator whose queue changed their new pending count (the
    header badge). Counted after the commit so it shows what the next page load would; a
    failure only costs the live update (robust: logged, never raised into the request)."""
    changed = [(item.content_type_id, item.space_kind, item.space_id) for item in changed_items]

    def push() -> None:
        items = [ModerationItem(content_type_id=ct, space_kind=kind, space_id=pk) for ct, kind, pk in changed]
        counts = pending_counts_after_change(items)
        publish_to_users("moderation_queue", {user_id: {"count": count} for user_id, count in counts.items()})

    transaction.on_commit(push, robust=True)


def _spoken_languages(user) -> list[str]:
    """User.languages is free text: "Greek, English", "el; en"."""
    return [spoken.strip().casefold() for spoken in (user.languages or "").replace(";", ",").split(",")]


def language_of(user) -> str | None:
    """The first of the user's languages we have a translation for."""
    names = {str(name).casefold(): code for code, name in settings.LANGUAGES}
    for spoken in _spoken_languages(user):
        code = names.get(spoken)
        if code and translation.check_for_language(code):
            return code
    return None


# "el", "el-GR", "Greek" and "Ελληνικά" all name the Greek word list.
_WORD_LIST_NAMES = {
    str(name).casefold(): code
    for code, english_name in WORD_LIST_LANGUAGES
    for name in (code, english_name, LANG_INFO.get(code, {}).get("name_local", code))
}


def word_list_languages_of(user) -> set[str]:
    """The word lists for what `user` writes: those of the languages they speak, plus English,
    the network's common language. Empty when none of their languages is recognised (then
    every list applies)."""
    spoken = set()
    for name in _spoken_languages(user):
        code = _WORD_LIST_NAMES.get(name) or _WORD_LIST_NAMES.get(name.replace("_", "-").split("-")[0])
        if code:
            spoken.add(code)
    return spoken | {"en"} if spoken else set()


def _moderators_of(registration: ModeratedModel | None, space: Space) -> list:
    people = list(registration.moderators_of(space)) if registration is not None and space.kind else []
    return people or list(network_moderators())


def _known_hosts() -> set[str]:
    hosts = {host.lower() for host in getattr(settings, "MODERATION_KNOWN_HOSTS", DEFAULT_KNOWN_HOSTS)}
    hosts |= {host.lstrip(".").lower() for host in settings.ALLOWED_HOSTS if host and "*" not in host}
    websites = Organisation.objects.filter(status=Organisation.Status.ACTIVE).exclude(website="")
    for website in websites.values_list("website", flat=True):
        host = rules.host_of(website)
        if host:
            hosts.add(host.removeprefix("www."))
    return hosts


# --- Policies and automatic holds ---------------------------------------------------------------
def audience_of(user) -> str:
    return Audience.YOUTH_PANELLIST if user.is_youth_panellist else Audience.STAFF


def policy_for(*, registration: ModeratedModel | None, space: Space, audience: str) -> str:
    """A policy for this space, else for the content type, else the registered default."""
    if registration is None:
        return PolicyMode.PRE_MODERATE if audience == Audience.YOUTH_PANELLIST else PolicyMode.TRUSTED
    content_type = ContentType.objects.get_for_model(registration.model)
    modes = dict(
        ModerationPolicy.objects.filter(
            content_type=content_type, audience=audience, space_key__in=[space.key, ""]
        ).values_list("space_key", "mode")
    )
    return modes.get(space.key) or modes.get("") or registration.default_policy.get(audience, PolicyMode.TRUSTED)


def _is_trusted_here(user, registration, space) -> bool:
    """Coordinators and moderators everywhere, and whoever moderates this space."""
    return bool(TRUSTED_ROLES & user.role_names) or can_moderate_space(user, registration, space)


def _approved_post_count(user, limit: int) -> int:
    total = 0
    for registration in registrations():
        if not registration.counts_as_post:
            continue
        total += (
            registration.model._base_manager
            .filter(**{registration.author_field: user}, moderation_state=ModerationState.APPROVED)[:limit]
            .count()
        )
        if total >= limit:
            break
    return total


def listed_phrases_for(languages: Collection[str]) -> list[str]:
    """The word lists of content in `languages` ("el", "pt-BR"...). When no language is
    known every list applies: members write in several languages, and a phrase missed in a
    youth space costs more than a post that waits for a moderator (held is not rejected)."""
    phrases = BlockedPhrase.objects.all()
    if languages:
        phrases = phrases.filter(
            language__in={language.replace("_", "-").split("-")[0].lower() for language in languages})
    return list(phrases.values_list("phrase", flat=True))


def content_holds(*, author, text: str, languages: Collection[str] | None = None) -> list[rules.Hold]:
    """What in the text itself calls for a moderator's look: contact details a youth panellist
    shares, a phrase on the review list."""
    holds = []
    if author.is_youth_panellist:
        holds.extend(rules.contact_data_holds(text, _known_hosts()))
    phrases = listed_phrases_for(word_list_languages_of(author) if languages is None else languages)
    if phrases and rules.find_listed_phrases(text, phrases):
        holds.append(rules.hold("words"))
    return holds


def automatic_holds(*, author, text: str, is_new: bool = True,
                    languages: Collection[str] | None = None) -> list[rules.Hold]:
    """The rules that hold content which would otherwise be published. "A new member's first
    posts" counts posts: it does not hold an edit of one. `languages`: the content's, when the
    feature app knows them; otherwise those its author speaks, plus English."""
    holds = content_holds(author=author, text=text, languages=languages)
    review_count = ModerationSettings.current().new_member_review_count
    if is_new and review_count and _approved_post_count(author, review_count) < review_count:
        holds.append(rules.hold("new_member"))
    return holds


@dataclass
class _Verdict:
    mode: str
    holds: list = field(default_factory=list)

    @property
    def is_held(self) -> bool:
        return self.mode == PolicyMode.PRE_MODERATE or bool(self.holds)

    @property
    def reason(self) -> str:
        return ModerationItem.Reason.AUTO_HOLD if self.holds else ModerationItem.Reason.PRE_MODERATION

    @property
    def hold_codes(self) -> list[str]:
        return [hold.code for hold in self.holds]

    def messages(self) -> list[str]:
        if self.holds:
            return [hold.message for hold in self.holds]
        if self.mode == PolicyMode.PRE_MODERATE:
            return [_("In this space a moderator reads every post before it appears, usually within a day.")]
        return []


def _judge(*, actor, registration, space: Space, text: str, is_new: bool,
           languages: Collection[str] | None) -> _Verdict:
    check_not_silenced(actor, space)
    if _is_trusted_here(actor, registration, space):
        return _Verdict(mode=PolicyMode.TRUSTED)
    mode = policy_for(registration=registration, space=space, audience=audience_of(actor))
    return _Verdict(mode=mode, holds=automatic_holds(author=actor, text=text, is_new=is_new, languages=languages))


# --- Sanctions: silencing is enforced where content is submitted ---------------------------------
def active_silence(user, space: Space) -> Sanction | None:
    if not space.kind:
        return None
    return (
        Sanction.objects.active()
        .filter(user=user, kind=Sanction.Kind.SILENCE, space_kind=space.kind, space_id=space.pk)
        .order_by("-ends_at")
        .first()
    )


def check_not_silenced(user, space: Space) -> None:
    silence = active_silence(user, space)
    if silence is not None:
        raise PermissionDenied(
            _("You can read but not post in %(space)s until %(end)s. Reason: %(reason)s")
            % {
                "space": silence.space_label or _("this space"),
                "end": formats.date_format(timezone.localtime(silence.ends_at), "DATETIME_FORMAT"),
                "reason": silence.reason,
            }
        )


# --- Submitting content ----------------------------------------------------------------------------
@dataclass
class _PendingSubmission:
    """What `submit_content` decided, written to the queue by `record_submission` once the
    caller has saved the instance (a new row has no id before)."""

    author: object
    kind: str
    reason: str
    hold_rules: list


# The moderation fields themselves are never part of an author's edit.
_NOT_EDITABLE = {"moderation_state", "submitted_at"}


def _jsonable(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _edited_fields(stored, instance) -> dict:
    """{attname: JSON value} of every concrete field `instance` changes against `stored`."""
    changes = {}
    for model_field in type(instance)._meta.concrete_fields:
        if model_field.primary_key or model_field.attname in _NOT_EDITABLE:
            continue
        new = getattr(instance, model_field.attname)
        if hasattr(new, "resolve_expression"):
            continue  # Computed by the database on save (search vectors, F() counters).
        if new != getattr(stored, model_field.attname):
            changes[model_field.attname] = _jsonable(new)
    return changes


def _mark_for_queue(instance, *, author, kind: str, reason: str, hold_rules=()) -> None:
    instance._moderation_submission = _PendingSubmission(
        author=author, kind=kind, reason=reason, hold_rules=list(hold_rules)
    )


@transaction.atomic
def submit_content(*, actor, instance, text: str = "") -> list[str]:
    """Decide the moderation state of content before it is saved: new content, or an edit.

    Raises PermissionDenied when the actor is silenced in the object's space, or the content
    was hidden by a moderator. Returns the reasons it waits for a moderator, as sentences for
    the author (empty: visible at once). The caller saves `instance` afterwards, in its own
    transaction; the queue entry is written on that save (`record_submission`).

    - New content: published, or held (pending) by the space's policy or an automatic hold.
    - An edit of approved content: when held, the changed fields are put back to the approved
      values on `instance`, so the caller's save keeps the approved version visible, and the
      edit waits in the queue as a revision; approving it publishes it.
    - An edit of content still waiting: published when nothing holds it any more and it was
      held on submission; otherwise it keeps waiting, and the queue shows the new version.
    - An edit of content a moderator did not publish: it is submitted again, for review.
    """
    registration = registration_for(instance)
    space = registration.space_of(instance) if registration else NO_SPACE
    if not text and registration is not None:
        text = registration.text_of(instance)
    stored = type(instance)._base_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    if stored is not None and stored.moderation_state == ModerationState.HIDDEN:
        raise PermissionDenied(_("A moderator has hidden this, so it can no longer be edited."))
    # Until first published, content counts as a new post (the new-member rule holds it).
    is_new = stored is None or stored.moderation_state != ModerationState.APPROVED
    languages = registration.languages_of(instance) if registration and registration.languages_of else None
    verdict = _judge(actor=actor, registration=registration, space=space, text=text, is_new=is_new,
                     languages=languages)
    if stored is None:
        return _submit_new(actor=actor, instance=instance, verdict=verdict)
    if stored.moderation_state == ModerationState.APPROVED:
        return _submit_edit(actor=actor, instance=instance, stored=stored, verdict=verdict,
                            registration=registration, space=space)
    if stored.moderation_state == ModerationState.REJECTED:
        return _submit_again(actor=actor, instance=instance, verdict=verdict)
    return _submit_waiting_edit(actor=actor, instance=instance, verdict=verdict)


def submit_revision(*, actor, instance, changes: dict, text: str = "") -> list[str]:
    """An edit given as {field name: new value}; the same rules as `submit_content`.

    Returns the reasons the edit waits. Either way the caller may save `instance`: a held
    edit of approved content has been taken off it and waits in the queue.
    """
    for name, value in changes.items():
        setattr(instance, name, value)
    return submit_content(actor=actor, instance=instance, text=text)


def _submit_new(*, actor, instance, verdict: _Verdict) -> list[str]:
    instance.submitted_at = timezone.now()
    if verdict.is_held:
        instance.moderation_state = ModerationState.PENDING
        _mark_for_queue(instance, author=actor, kind=ModerationItem.Kind.NEW, reason=verdict.reason,
                        hold_rules=verdict.hold_codes)
        return verdict.messages()
    instance.moderation_state = ModerationState.APPROVED
    if verdict.mode == PolicyMode.POST_MODERATE:
        _mark_for_queue(instance, author=actor, kind=ModerationItem.Kind.PUBLISHED,
                        reason=ModerationItem.Reason.POST_MODERATION)
    return []


def _submit_waiting_edit(*, actor, instance, verdict: _Verdict) -> list[str]:
    """Content held on submission that nothing holds any more (the author took out what held
    it, or may now publish directly) is published as new content would be. Content hidden
    by flags is not published by editing it, whoever edits it: moderators decide on the new
    version."""
    open_item = _open_item_for(instance)
    if (not verdict.is_held and open_item is not None and open_item.kind == ModerationItem.Kind.NEW
            and not open_item.flag_count):
        ModerationItem.objects.filter(pk=open_item.pk).update(status=ModerationItem.Status.WITHDRAWN)
        return _submit_new(actor=actor, instance=instance, verdict=verdict)
    return _hold_for_review(actor=actor, instance=instance, verdict=verdict, why=_(
        "This is still waiting for a moderator. They will see your new version, usually within a day."))


def _submit_again(*, actor, instance, verdict: _Verdict) -> list[str]:
    """A moderator did not publish the earlier version: the new one is reviewed first, even
    from an author who is otherwise trusted (editing must not undo a decision)."""
    instance.submitted_at = timezone.now()
    return _hold_for_review(actor=actor, instance=instance, verdict=verdict, why=_(
        "A moderator did not publish the earlier version, so they will read this one before it appears, "
        "usually within a day."))


def _hold_for_review(*, actor, instance, verdict: _Verdict, why: str) -> list[str]:
    """Held whatever the verdict; the author reads the rules that matched, else `why`."""
    instance.moderation_state = ModerationState.PENDING
    _mark_for_queue(instance, author=actor, kind=ModerationItem.Kind.NEW,
                    reason=verdict.reason if verdict.is_held else ModerationItem.Reason.PRE_MODERATION,
                    hold_rules=verdict.hold_codes)
    return verdict.messages() or [why]


def _submit_edit(*, actor, instance, stored, verdict: _Verdict, registration, space: Space) -> list[str]:
    changes = _edited_fields(stored, instance)
    if not changes:
        return []
    open_item = _open_item_for(instance)
    if not verdict.is_held:
        if open_item is not None and _is_waiting_edit(open_item):
            open_item = _supersede_waiting_edit(open_item)
        if open_item is not None or verdict.mode == PolicyMode.POST_MODERATE:
            # Moderators review what is visible now (post-moderation, flags): refreshed on save.
            _mark_for_queue(instance, author=actor, kind=ModerationItem.Kind.PUBLISHED,
                            reason=ModerationItem.Reason.POST_MODERATION)
        return []
    fields = {
        "kind": ModerationItem.Kind.REVISION,
        "reason": verdict.reason,
        "hold_rules": verdict.hold_codes,
        # The author edits the approved version, so the latest edit is the whole proposal.
        "proposed_changes": changes,
        "previous_text": registration.text_of(stored) if registration else "",
        **_snapshot(registration, instance),
    }
    if open_item is not None:
        # One open item per object: the edit takes over the waiting one (its flags stay
        # counted; an appeal about an earlier edit is replaced by this newer edit, and
        # `appeal_of` stays, so that decision cannot be appealed a second time).
        ModerationItem.objects.filter(pk=open_item.pk).update(**fields, appeal_text="", excluded_moderator=None)
        _push_queue_counts(open_item)
    else:
        _push_queue_counts(ModerationItem.objects.create(
            content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
            space_kind=space.kind, space_id=space.pk, space_label=space.label[:200],
            author=actor, author_name=_name(actor), **fields,
        ))
    for attname in changes:
        setattr(instance, attname, getattr(stored, attname))
    instance.moderation_state = ModerationState.APPROVED
    return verdict.messages()


def _is_waiting_edit(item: ModerationItem) -> bool:
    """A held edit, or an appeal about a refused edit: both would apply `proposed_changes`."""
    if item.kind == ModerationItem.Kind.APPEAL:
        item = item.appeal_of
    return item is not None and item.kind == ModerationItem.Kind.REVISION


def _supersede_waiting_edit(open_item: ModerationItem) -> ModerationItem | None:
    """A newer edit was published: approving the waiting edit (or the appeal about it) would
    put an outdated version back. Withdrawn; when members flagged the content, the item stays
    as a review of what is visible now. Returns the item still open, if any."""
    _push_queue_counts(open_item)
    if open_item.flag_count:
        ModerationItem.objects.filter(pk=open_item.pk).update(
            kind=ModerationItem.Kind.PUBLISHED, reason=ModerationItem.Reason.FLAGS, hold_rules=[],
            proposed_changes={}, previous_text="", appeal_text="", excluded_moderator=None,
        )
        return open_item
    ModerationItem.objects.filter(pk=open_item.pk).update(status=ModerationItem.Status.WITHDRAWN)
    return None


def record_submission(sender, instance, **kwargs) -> None:
    """post_save: write (or refresh) the queue entry that `submit_content` decided on."""
    submission = instance.__dict__.pop("_moderation_submission", None)
    if submission is None:
        return
    with transaction.atomic():
        _record(instance, submission)


def _record(instance, submission: _PendingSubmission) -> None:
    open_item = _open_item_for(instance)
    if open_item is None:
        _push_queue_counts(_open_item(instance, kind=submission.kind, reason=submission.reason,
                                      hold_rules=submission.hold_rules, author=submission.author))
        return
    # The content changed while an item waits: the queue shows the new version.
    fields = _snapshot(registration_for(instance), instance)
    if open_item.kind in (ModerationItem.Kind.NEW, ModerationItem.Kind.APPEAL):
        # The author's submission is reviewed as what it now is, with the rules it now
        # matches. A new version replaces an appealed one, for any moderator (`appeal_of`
        # stays: the earlier decision was appealed once).
        fields.update(kind=submission.kind, reason=submission.reason, hold_rules=submission.hold_rules,
                      appeal_text="", excluded_moderator=None)
        if open_item.excluded_moderator_id is not None:
            # The appealed decision's moderator may decide the new version: their count grows.
            _push_queue_counts(open_item)
    else:
        # Published content under review (post-moderation, flags): what the edit matches is added.
        fields["hold_rules"] = sorted(set(open_item.hold_rules) | set(submission.hold_rules))
    ModerationItem.objects.filter(pk=open_item.pk).update(**fields)


def _snapshot(registration, instance) -> dict:
    if registration is None:
        text = str(getattr(instance, "body", "") or "")
        return {"title": str(instance)[:200], "content_text": text, "content_html": linebreaks(escape(text)),
                "url": instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""}
    text = registration.text_of(instance)
    html = str(getattr(instance, registration.html_field, "") or "") if registration.html_field else ""
    return {
        "title": str(registration.title_of(instance))[:200],
        "content_text": text,
        "content_html": html or linebreaks(escape(text)),
        "url": registration.url_of(instance) if instance.pk else "",
    }


def _open_item(instance, *, kind, reason, hold_rules, author, **extra) -> ModerationItem:
    registration = registration_for(instance)
    space = registration.space_of(instance) if registration else NO_SPACE
    return ModerationItem.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        kind=kind,
        reason=reason,
        hold_rules=hold_rules,
        space_kind=space.kind,
        space_id=space.pk,
        space_label=space.label[:200],
        author=author,
        author_name=_name(author) if author is not None else "",
        **_snapshot(registration, instance),
        **extra,
    )


def _open_item_for(instance) -> ModerationItem | None:
    return ModerationItem.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
        status=ModerationItem.Status.OPEN,
    ).first()


@transaction.atomic
def withdraw_items_for(instance, *, actor=None) -> int:
    """The content was deleted: nothing about it is left to decide. With the `actor` who deleted
    it, each withdrawn entry is recorded in the audit log, so the log says why an item left the
    queue undecided. (Account erasure passes none: it keeps no new record of the erased
    content.)"""
    items = ModerationItem.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk,
        status=ModerationItem.Status.OPEN,
    )
    withdrawn = list(items)
    if withdrawn:
        ModerationItem.objects.filter(pk__in=[item.pk for item in withdrawn]).update(
            status=ModerationItem.Status.WITHDRAWN
        )
        if actor is not None:
            for item in withdrawn:
                _audit(actor=actor, action=AuditEntry.Action.WITHDRAWN, item=item, subject=item.author)
        _push_queue_counts(*withdrawn)
    return len(withdrawn)


# --- Decisions --------------------------------------------------------------------------------------
_DECISION_ACTIONS = {
    ModerationItem.Decision.APPROVED: AuditEntry.Action.APPROVED,
    ModerationItem.Decision.REJECTED: AuditEntry.Action.REJECTED,
    ModerationItem.Decision.HIDDEN: AuditEntry.Action.HIDDEN,
}


def _set_state(target, state: str) -> None:
    type(target)._base_manager.filter(pk=target.pk).update(moderation_state=state)
    target.moderation_state = state


def _publish(registration, target, *, first_time: bool) -> None:
    _set_state(target, ModerationState.APPROVED)
    if first_time and registration is not None and registration.on_published is not None:
        registration.on_published(target)


def _refuse(registration, target, state: str, *, first_time: bool) -> None:
    _set_state(target, state)
    if first_time and registration is not None and registration.on_refused is not None:
        registration.on_refused(target)


def _apply_changes(registration, target, changes: dict) -> None:
    fields = {model_field.attname: model_field for model_field in type(target)._meta.concrete_fields}
    update_fields = []
    for attname, value in changes.items():
        model_field = fields.get(attname)
        if model_field is None:
            continue  # The model changed since the edit was held.
        setattr(target, attname, None if value is None else model_field.to_python(value))
        update_fields.append(attname)
    if target.moderation_state != ModerationState.APPROVED:
        target.moderation_state = ModerationState.APPROVED
        update_fields.append("moderation_state")
    target.save(update_fields=update_fields)
    if registration is not None and registration.on_revised is not None:
        registration.on_revised(target)


def _apply_decision(item: ModerationItem, decision: str, registration, target) -> None:
    Kind, Decision = ModerationItem.Kind, ModerationItem.Decision
    if target is None:
        return
    original = item.appeal_of if item.kind == Kind.APPEAL else None
    # A decision about content submitted as new (or an appeal about one), not about an edit or
    # about published content under review: the feature app's hooks run for these only.
    about_new_content = item.kind == Kind.NEW or (original is not None and original.kind == Kind.NEW)
    if decision == Decision.HIDDEN:
        _refuse(registration, target, ModerationState.HIDDEN, first_time=about_new_content)
        return
    if item.kind == Kind.APPEAL and decision == Decision.REJECTED:
        return  # The appeal is dismissed: the original decision stands.
    if decision == Decision.APPROVED:
        if item.kind == Kind.REVISION:
            _apply_changes(registration, target, item.proposed_changes)
        elif original is not None and original.kind == Kind.REVISION:
            _apply_changes(registration, target, original.proposed_changes)
        else:
            _publish(registration, target,
                     first_time=about_new_content and target.moderation_state != ModerationState.APPROVED)
        return
    # Rejected. A refused edit leaves the published version as it is (and content hidden by
    # flags stays hidden: the flags are decided on their own, see `_keep_flags_waiting`).
    if item.kind == Kind.REVISION:
        return
    _refuse(registration, target, ModerationState.REJECTED, first_time=about_new_content)


def _tell_author(item: ModerationItem, decision: str, actor) -> None:
    author = item.author
    if author is None or author.pk == actor.pk:
        return
    with translation.override(language_of(author) or translation.get_language()):
        title_args = {"title": item.title or _("your post")}
        if item.kind == ModerationItem.Kind.APPEAL:
            title = (_("Your appeal about “%(title)s” was accepted") if decision == ModerationItem.Decision.APPROVED
                     else _("Your appeal about “%(title)s” was not accepted")) % title_args
        elif decision == ModerationItem.Decision.APPROVED:
            title = (_("Your edit of “%(title)s” is published") if item.kind == ModerationItem.Kind.REVISION
                     else _("“%(title)s” is published")) % title_args
        elif decision == ModerationItem.Decision.HIDDEN:
            title = _("“%(title)s” was hidden by a moderator") % title_args
        else:
            title = (_("Your edit of “%(title)s” was not published") if item.kind == ModerationItem.Kind.REVISION
                     else _("“%(title)s” was not published")) % title_args
        body = "\n\n".join(part for part in (reason_text_for(item.reason_code), item.reason_text) if part)
        if item.may_be_appealed:
            body += "\n\n" + _("If you think this is a mistake, you can ask another moderator to look again.")
    url = item.url if decision == ModerationItem.Decision.APPROVED else reverse("moderation:my_items")
    notify(recipients=[author], kind="moderation_decision", title=title, body=body.strip(), url=url, actor=actor)


def _keep_flags_waiting(item: ModerationItem, target) -> None:
    """Refusing an edit (or an appeal about one) decides nothing about the published version
    members flagged: their flags wait in a review of that version."""
    flags = Flag.objects.filter(
        content_type_id=item.content_type_id, object_id=item.object_id, resolved_at__isnull=True
    )
    count = flags.count()
    if not count or target is None:
        return
    review = _open_item(target, kind=ModerationItem.Kind.PUBLISHED, reason=ModerationItem.Reason.FLAGS,
                        hold_rules=[], author=item.author, flag_count=count)
    flags.update(item=review)


def _close_flags(item: ModerationItem, decision: str, actor) -> None:
    flags = Flag.objects.filter(
        content_type_id=item.content_type_id, object_id=item.object_id, resolved_at__isnull=True
    )
    flagger_ids = list(flags.values_list("flagged_by_id", flat=True))
    if not flagger_ids:
        return
    flags.update(resolved_at=timezone.now())
    if decision == ModerationItem.Decision.APPROVED and item.kind != ModerationItem.Kind.APPEAL:
        title = _("Thank you for your report. A moderator looked at it and decided the content can stay.")
    else:
        title = _("Thank you for your report. A moderator looked at it and took action.")
    notify(recipients=list(User.objects.filter(pk__in=flagger_ids)), kind="flag_outcome", title=title, actor=None)


def decide(*, actor, item: ModerationItem, decision: str, reason_code: str = "", reason_text: str = "") -> bool:
    """Approve, reject or hide one queue item. Returns False when it was already decided
    (another moderator got there first): exactly one decision, one audit entry."""
    decided = _decide(actor=actor, item=item, decision=decision, reason_code=reason_code, reason_text=reason_text)
    if decided:
        _push_queue_counts(item)
    return decided


@transaction.atomic
def _decide(*, actor, item: ModerationItem, decision: str, reason_code: str, reason_text: str) -> bool:
    permissions.check_decide_item(actor, item)
    if decision not in ModerationItem.Decision.values:
        raise ValidationError(_("Choose approve, reject or hide."))
    if reason_code and reason_code not in REJECTION_REASONS:
        raise ValidationError(_("Choose one of the reasons in the list."))
    reason_text = reason_text.strip()
    if decision != ModerationItem.Decision.APPROVED and not (reason_code or reason_text):
        raise ValidationError(_("Please choose a reason: the author will read it."))
    now = timezone.now()
    # The conditional update is the lock: of two moderators deciding at once, only one
    # changes a row; the other's UPDATE waits for the first to commit and then matches nothing.
    claimed = ModerationItem.objects.filter(pk=item.pk, status=ModerationItem.Status.OPEN).update(
        status=ModerationItem.Status.DECIDED, decision=decision, decided_by=actor, decided_by_name=_name(actor),
        decided_at=now, reason_code=reason_code, reason_text=reason_text,
    )
    if not claimed:
        return False
    item = ModerationItem.objects.select_related("author", "appeal_of").get(pk=item.pk)
    registration = registration_for_content_type_id(item.content_type_id)
    model = ContentType.objects.get_for_id(item.content_type_id).model_class()
    target = model._base_manager.select_for_update().filter(pk=item.object_id).first()
    _apply_decision(item, decision, registration, target)

    if item.kind == ModerationItem.Kind.APPEAL:
        action = AuditEntry.Action.APPEAL_UPHELD if decision == ModerationItem.Decision.APPROVED else (
            AuditEntry.Action.APPEAL_DISMISSED if decision == ModerationItem.Decision.REJECTED
            else AuditEntry.Action.HIDDEN
        )
    else:
        action = _DECISION_ACTIONS[decision]
    reason = "\n\n".join(part for part in (reason_code, reason_text) if part)
    _audit(actor=actor, action=action, item=item, subject=item.author, reason=reason)
    # Who decided what about whose content; never the content, nor the free-text reason
    # (it may quote the content). The claim above makes it one line per decision.
    log_security_event("moderation_decision", user=item.author, actor=actor, item=item.pk, decision=decision,
                       item_kind=item.kind, content_type=ContentType.objects.get_for_id(item.content_type_id).model,
                       space=item.space.key, preset_reason=reason_code)
    _tell_author(item, decision, actor)
    if decision == ModerationItem.Decision.REJECTED and _is_waiting_edit(item):
        _keep_flags_waiting(item, target)
    else:
        _close_flags(item, decision, actor)
    return True


def decide_many(*, actor, items, decision: str, reason_code: str = "", reason_text: str = "") -> int:
    """Bulk decision: each item is decided on its own, so one already taken is skipped. The
    moderators' counts are pushed once, for the whole batch."""
    decided = [
        item for item in items
        if permissions.can_decide_item(actor, item)
        and _decide(actor=actor, item=item, decision=decision, reason_code=reason_code, reason_text=reason_text)
    ]
    if decided:
        _push_queue_counts(*decided)
    return len(decided)


@transaction.atomic
def appeal(*, actor, item: ModerationItem, text: str) -> ModerationItem:
    """The author asks for another look, once; a different moderator decides."""
    item = ModerationItem.objects.select_for_update().get(pk=item.pk)
    if item.author_id != actor.pk:
        raise PermissionDenied
    if not item.may_be_appealed:
        raise ValidationError(_("Only a decision not to publish can be appealed."))
    if ModerationItem.objects.filter(appeal_of=item).exists():
        raise ValidationError(_("You have already appealed this decision. A moderator will answer."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Please tell the moderators why you think the decision should change."))
    try:
        with transaction.atomic():
            appeal_item = ModerationItem.objects.create(
                content_type_id=item.content_type_id, object_id=item.object_id,
                kind=ModerationItem.Kind.APPEAL, reason=ModerationItem.Reason.APPEAL,
                space_kind=item.space_kind, space_id=item.space_id, space_label=item.space_label,
                author=actor, author_name=_name(actor), title=item.title, url=item.url,
                content_html=item.content_html, content_text=item.content_text, previous_text=item.previous_text,
                appeal_of=item, appeal_text=text, excluded_moderator_id=item.decided_by_id,
            )
    except IntegrityError:
        raise ValidationError(_("This is already waiting for a moderator.")) from None
    _audit(actor=actor, action=AuditEntry.Action.APPEALED, item=appeal_item, subject=actor, reason=text)
    _push_queue_counts(appeal_item)
    registration = registration_for_content_type_id(item.content_type_id)
    moderators = [person for person in _moderators_of(registration, item.space) if person.pk != item.decided_by_id]
    if not moderators:
        moderators = [person for person in network_moderators() if person.pk != item.decided_by_id]
    notify(recipients=moderators, kind="moderation_appeal",
           title=_("An author appeals a decision about “%(title)s”") % {"title": item.title},
           url=reverse("moderation:item", args=[appeal_item.pk]), actor=None)
    return appeal_item


# --- Flags -------------------------------------------------------------------------------------------
@transaction.atomic
def flag_content(*, actor, target, category: str, note: str = "") -> Flag:
    """Record a member's flag on content they can see. Flags land in the queue of whoever
    moderates the content; enough distinct flags hide published content pending review."""
    registration = registration_for(target)
    if registration is not None and not registration.can_view(actor, target):
        raise Http404
    if category not in Flag.Category.values:
        raise ValidationError(_("Please choose what is wrong with this content."))
    if registration is not None and registration.author_id_of(target) == actor.pk:
        raise ValidationError(_("This is your own post: you can edit or delete it instead."))
    content_type = ContentType.objects.get_for_model(target)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                content_type=content_type, object_id=target.pk, flagged_by=actor, category=category,
                note=note.strip(),
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this. Thank you: moderators will look at it.")) from None

    item = _open_item_for(target)
    if item is None:
        author = registration.author_of(target) if registration is not None else None
        try:
            with transaction.atomic():
                item = _open_item(target, kind=ModerationItem.Kind.PUBLISHED, reason=ModerationItem.Reason.FLAGS,
                                  hold_rules=[], author=author, flag_count=1)
            _push_queue_counts(item)
        except IntegrityError:  # Another flag opened it a moment ago.
            item = _open_item_for(target)
            ModerationItem.objects.filter(pk=item.pk).update(flag_count=F("flag_count") + 1)
    else:
        ModerationItem.objects.filter(pk=item.pk).update(flag_count=F("flag_count") + 1)
    Flag.objects.filter(pk=flag.pk).update(item=item)
    flag.item = item

    open_flags = Flag.objects.filter(content_type=content_type, object_id=target.pk, resolved_at__isnull=True).count()
    if open_flags >= ModerationSettings.current().flag_threshold:
        # Waiting for review from now: the author is told when to expect a decision.
        hidden = type(target)._base_manager.filter(
            pk=target.pk, moderation_state=ModerationState.APPROVED
        ).update(moderation_state=ModerationState.PENDING, submitted_at=timezone.now())
        if hidden:
            target.moderation_state = ModerationState.PENDING
            _audit(actor=None, action=AuditEntry.Action.AUTO_HIDDEN, item=item, subject=item.author,
                   reason=_("%(count)d members flagged it") % {"count": open_flags})
    return flag


# --- Time limits -------------------------------------------------------------------------------------
def send_deadline_reminders(*, now=None) -> dict:
    """Remind after 24 hours, escalate after 72. Idempotent: each item is reminded and
    escalated once (a conditional update claims it), however often this runs."""
    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0, "concerns_escalated": 0}
    overdue = ModerationItem.objects.filter(status=ModerationItem.Status.OPEN)
    for item in overdue.filter(reminded_at__isnull=True, created_at__lte=now - timedelta(hours=REVIEW_HOURS)):
        with transaction.atomic():
            if not ModerationItem.objects.filter(pk=item.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            registration = registration_for_content_type_id(item.content_type_id)
            recipients = [
                p for p in _moderators_of(registration, item.space)
                if p.pk not in (item.author_id, item.excluded_moderator_id)
            ]
            notify(recipients=recipients, kind="moderation_reminder",
                   title=_("Waiting for more than a day: “%(title)s”") % {"title": item.title},
                   url=reverse("moderation:item", args=[item.pk]))
            counts["reminded"] += 1
    for item in overdue.filter(escalated_at__isnull=True, created_at__lte=now - timedelta(hours=ESCALATION_HOURS)):
        with transaction.atomic():
            if not ModerationItem.objects.filter(pk=item.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            recipients = [p for p in network_moderators() if p.pk not in (item.author_id, item.excluded_moderator_id)]
            notify(recipients=recipients, kind="moderation_escalation",
                   title=_("Escalated: “%(title)s” has waited more than three days") % {"title": item.title},
                   url=reverse("moderation:item", args=[item.pk]))
            _audit(actor=None, action=AuditEntry.Action.ESCALATED, item=item, subject=item.author,
                   reason=_("Waiting since %(since)s") % {"since": item.created_at.isoformat()})
            counts["escalated"] += 1
    late_concerns = SafeguardingConcern.objects.filter(
        status=SafeguardingConcern.Status.NEW, escalated_at__isnull=True,
        created_at__lte=now - timedelta(hours=CONCERN_RESPONSE_HOURS),
    )
    for concern in late_concerns:
        with transaction.atomic():
            if not SafeguardingConcern.objects.filter(
                pk=concern.pk, escalated_at__isnull=True
            ).update(escalated_at=now):
                continue
            ConcernEvent.objects.create(concern=concern, actor=None, actor_name=_name(None), action="escalated")
            notify(recipients=[p for p in network_safeguarding_leads() if p.pk != concern.about_user_id],
                   kind="safeguarding_concern",
                   title=_("A safeguarding concern has waited more than a day"),
                   url=reverse("moderation:concern", args=[concern.pk]))
            counts["concerns_escalated"] += 1
    return counts


# --- Sanctions --------------------------------------------------------------------------------------
@transaction.atomic
def silence_member(*, actor, member, space: Space, until, reason: str, registration=None) -> Sanction:
    """Read-only in one space until `until`. Moderators of that space or network moderators."""
    if not can_moderate_space(actor, registration, space) or member.pk == actor.pk:
        raise PermissionDenied(_("You do not moderate this space."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give a reason: the member will read it."))
    now = timezone.now()
    if until is None or until <= now:
        raise ValidationError(_("Choose an end date in the future."))
    if until > now + timedelta(days=MAX_SILENCE_DAYS):
        raise ValidationError(_("A silence lasts at most a year."))
    sanction = Sanction.objects.create(
        kind=Sanction.Kind.SILENCE, user=member, space_kind=space.kind, space_id=space.pk,
        space_label=space.label[:200], reason=reason, ends_at=until, created_by=actor, created_by_name=_name(actor),
    )
    _audit(actor=actor, action=AuditEntry.Action.SILENCED, space=space, subject=member,
           reason=f"{reason}\n\n" + _("Until %(end)s") % {"end": until.isoformat()})
    log_security_event("member_silenced", user=member, actor=actor, sanction=sanction.pk, space=space.key,
                       until=until.isoformat())
    with translation.override(language_of(member) or translation.get_language()):
        title = _("You can read but not post in %(space)s until %(end)s") % {
            "space": space.label, "end": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT"),
        }
    notify(recipients=[member], kind="sanction", title=title, body=reason, url=reverse("moderation:my_items"),
           actor=actor)
    return sanction


@transaction.atomic
def suspend_account(*, actor, member, reason: str, until=None) -> Sanction | None:
    """Network moderators only; the account part is community's `suspend_member`."""
    permissions.check_suspend_accounts(actor, member)
    if not community_services.suspend_member(actor=actor, user=member, reason=reason, until=until):
        return None
    sanction = Sanction.objects.create(
        kind=Sanction.Kind.SUSPENSION, user=member, reason=reason.strip(), ends_at=until, created_by=actor,
        created_by_name=_name(actor),
    )
    end = until.isoformat() if until else _("no end date")
    _audit(actor=actor, action=AuditEntry.Action.SUSPENDED, subject=member,
           reason=f"{reason.strip()}\n\n" + _("Until %(end)s") % {"end": end})
    return sanction


@transaction.atomic
def lift_sanction(*, actor, sanction: Sanction) -> bool:
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.kind == Sanction.Kind.SUSPENSION:
        permissions.check_suspend_accounts(actor, sanction.user)
        community_services.lift_suspension(actor=actor, user=sanction.user)
    elif not (permissions.can_suspend_accounts(actor) or sanction.created_by_id == actor.pk):
        raise PermissionDenied
    if not sanction.is_active:
        return False
    Sanction.objects.filter(pk=sanction.pk).update(lifted_at=timezone.now(), lifted_by=actor)
    log_security_event("sanction_lifted", user=sanction.user, actor=actor, sanction=sanction.pk,
                       sanction_kind=sanction.kind)
    _audit(actor=actor, action=AuditEntry.Action.SANCTION_LIFTED, space=sanction.space, subject=sanction.user,
           reason=sanction.get_kind_display())
    return True


# --- Settings: policies, thresholds, word lists -----------------------------------------------------
@transaction.atomic
def set_policy(*, actor, registration: ModeratedModel, audience: str, mode: str, space: Space | None = None) -> bool:
    permissions.check_manage_settings(actor)
    if audience not in Audience.values or mode not in PolicyMode.values:
        raise ValidationError(_("Choose an audience and a policy from the lists."))
    content_type = ContentType.objects.get_for_model(registration.model)
    space_key = space.key if space is not None and space.kind else ""
    current = ModerationPolicy.objects.filter(content_type=content_type, space_key=space_key, audience=audience).first()
    if current is not None and current.mode == mode:
        return False
    old_mode = current.mode if current else policy_for(
        registration=registration, space=space or NO_SPACE, audience=audience
    )
    ModerationPolicy.objects.update_or_create(
        content_type=content_type, space_key=space_key, audience=audience,
        defaults={"mode": mode, "updated_by": actor, "space_label": space.label if space else ""},
    )
    _audit(actor=actor, action=AuditEntry.Action.POLICY_CHANGED, space=space or NO_SPACE,
           object_label=str(registration.label),
           reason=f"{Audience(audience).label}: {PolicyMode(old_mode).name} → {PolicyMode(mode).name}")
    return True


def record_policy_change(*, actor, space: Space, what: str, change: str) -> AuditEntry:
    """A feature app changed a rule of one of its spaces that moderators answer for (who may
    read, post in or moderate a forum; its safe mode). The caller has checked the actor may
    make the change; the entry is written in the caller's transaction, like every audit row."""
    return _audit(actor=actor, action=AuditEntry.Action.POLICY_CHANGED, space=space, object_label=what,
                  reason=change)


@transaction.atomic
def update_settings(*, actor, flag_threshold: int, new_member_review_count: int) -> bool:
    permissions.check_manage_settings(actor)
    if flag_threshold < 1:
        raise ValidationError(_("At least one flag is needed to hide content."))
    current = ModerationSettings.current()
    if (current.flag_threshold, current.new_member_review_count) == (flag_threshold, new_member_review_count):
        return False
    reason = (
        f"flag_threshold: {current.flag_threshold} → {flag_threshold}; "
        f"new_member_review_count: {current.new_member_review_count} → {new_member_review_count}"
    )
    ModerationSettings.objects.filter(pk=current.pk).update(
        flag_threshold=flag_threshold, new_member_review_count=new_member_review_count, updated_by=actor,
        updated_at=timezone.now(),
    )
    _audit(actor=actor, action=AuditEntry.Action.SETTINGS_CHANGED, reason=reason)
    return True


@transaction.atomic
def add_blocked_phrase(*, actor, language: str, phrase: str) -> BlockedPhrase:
    permissions.check_manage_settings(actor)
    phrase = " ".join(phrase.split())
    if not phrase:
        raise ValidationError(_("Type the word or phrase to add."))
    try:
        with transaction.atomic():
            entry = BlockedPhrase.objects.create(language=language, phrase=phrase, added_by=actor)
    except IntegrityError:
        raise ValidationError(_("This is already on the list.")) from None
    _audit(actor=actor, action=AuditEntry.Action.WORD_ADDED, reason=f"{language}: {phrase}")
    return entry


@transaction.atomic
def remove_blocked_phrase(*, actor, entry: BlockedPhrase) -> bool:
    permissions.check_manage_settings(actor)
    deleted, _details = BlockedPhrase.objects.filter(pk=entry.pk).delete()
    if deleted:
        _audit(actor=actor, action=AuditEntry.Action.WORD_REMOVED, reason=f"{entry.language}: {entry.phrase}")
    return bool(deleted)


# --- Safeguarding concerns ---------------------------------------------------------------------------
def safeguarding_leads():
    return User.objects.filter(groups__name=permissions.SAFEGUARDING_LEAD, is_active=True, suspended_at__isnull=True)


def network_safeguarding_leads():
    return safeguarding_leads().filter(groups__name=Role.NETWORK_COORDINATOR).distinct()


def _country_of(user):
    membership = user.approved_membership if user is not None else None
    return membership.organisation.country if membership else None


def leads_for_country(country) -> list:
    from community.models import Membership

    national = list(
        safeguarding_leads().filter(
            memberships__status=Membership.Status.APPROVED, memberships__organisation__country=country
        ).distinct()
    ) if country is not None else []
    return national or list(network_safeguarding_leads())


def helpline_for(user) -> dict:
    """The national helpline of the user's country, shown at once to anyone raising a concern.
    116 111 is the European number for child helplines."""
    country = _country_of(user)
    organisation = None
    if country is not None:
        organisation = (
            Organisation.objects.filter(
                country=country, status=Organisation.Status.ACTIVE, services__code=Service.HELPLINE
            )
            .exclude(helpline_phone="", helpline_url="")
            .order_by("name")
            .first()
        )
    if organisation is None:
        return {"name": _("Your national child helpline"), "phone": "116 111", "url": "", "country": country}
    return {"name": organisation.name, "phone": organisation.helpline_phone, "url": organisation.helpline_url,
            "country": country}


@transaction.atomic
def raise_concern(
    *, actor, message: str, about_user=None, about_self: bool = False, page_url: str = ""
) -> SafeguardingConcern:
    if not permissions.can_raise_concern(actor):
        raise PermissionDenied
    message = message.strip()
    if not message:
        raise ValidationError(_("Please tell us a little about what worries you."))
    if about_user is not None and about_user.pk == actor.pk:
        about_user, about_self = None, True
    country = _country_of(about_user) or _country_of(actor)
    concern = SafeguardingConcern.objects.create(
        raised_by=actor, raised_by_name=_name(actor), about_self=about_self, about_user=about_user,
        about_name=_name(about_user) if about_user is not None else "", message=message,
        page_url=page_url[:500] if page_url.startswith("/") else "", country=country,
    )
    ConcernEvent.objects.create(concern=concern, actor=actor, actor_name=_name(actor), action="raised")
    leads = [lead for lead in leads_for_country(country) if lead.pk not in (actor.pk, getattr(about_user, "pk", None))]
    # The notification names nobody: what it is about is read on the confidential page.
    notify(recipients=leads, kind="safeguarding_concern", title=_("A new safeguarding concern needs a lead"),
           url=reverse("moderation:concern", args=[concern.pk]), actor=None)
    return concern


@transaction.atomic
def update_concern(*, actor, concern: SafeguardingConcern, status: str, note: str = "") -> bool:
    permissions.check_handle_concern(actor, concern)
    if status not in SafeguardingConcern.Status.values:
        raise ValidationError(_("Choose a status from the list."))
    note = note.strip()
    concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == status and not note:
        return False
    changes = {"status": status}
    if status == SafeguardingConcern.Status.CLOSED and concern.closed_at is None:
        changes["closed_at"] = timezone.now()
    SafeguardingConcern.objects.filter(pk=concern.pk).update(**changes)
    ConcernEvent.objects.create(
        concern=concern, actor=actor, actor_name=_name(actor),
        action=status if status != concern.status else "note", note=note,
    )
    return True


@transaction.atomic
def appoint_safeguarding_lead(*, actor, member) -> bool:
    from django.contrib.auth.models import Group

    permissions.check_manage_settings(actor)
    if member.is_youth_panellist or not member.is_approved_member:
        raise ValidationError(_("Safeguarding leads are approved staff members."))
    if member.has_role(permissions.SAFEGUARDING_LEAD):
        return False
    member.groups.add(Group.objects.get_or_create(name=permissions.SAFEGUARDING_LEAD)[0])
    member.__dict__.pop("role_names", None)
    _audit(actor=actor, action=AuditEntry.Action.LEAD_APPOINTED, subject=member)
    return True
