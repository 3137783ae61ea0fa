from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WORD_LIST_LANGUAGES, AuditEntry, Flag, ModerationItem, SafeguardingConcern
from .reasons import reason_choices
from .registry import Audience, PolicyMode
from .rules import RULE_LABELS

DECISION_CHOICES = [
    (ModerationItem.Decision.APPROVED, _("Approve")),
    (ModerationItem.Decision.REJECTED, _("Reject")),
    (ModerationItem.Decision.HIDDEN, _("Hide")),
]


class QueueFilterForm(forms.Form):
    space = forms.ChoiceField(label=_("Space"), required=False)
    content_type = forms.ChoiceField(label=_("Content type"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any reason"))] + list(ModerationItem.Reason.choices)
    )
    rule = forms.ChoiceField(
        label=_("Automatic hold rule"), required=False, choices=[("", _("Any rule"))] + list(RULE_LABELS.items())
    )

    def __init__(self, *args, spaces=(), content_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = [("", _("All spaces"))] + [(space.key, space.label) for space in spaces]
        self.fields["content_type"].choices = [("", _("All types"))] + list(content_types)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    reason_code = forms.ChoiceField(
        label=_("Reason (the author reads it)"), required=False, choices=[("", "—")] + reason_choices()
    )
    reason_text = forms.CharField(
        label=_("In your own words (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != ModerationItem.Decision.APPROVED and not (
            data.get("reason_code") or data.get("reason_text", "").strip()
        ):
            self.add_error("reason_code", _("Please choose a reason: the author will read it."))
        return data


class BulkDecisionForm(DecisionForm):
    items = forms.TypedMultipleChoiceField(label=_("Items"), coerce=int, choices=())

    def __init__(self, *args, item_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(pk, pk) for pk in item_ids]
        self.fields["items"].error_messages["required"] = _("Select at least one item.")


class SilenceForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Read-only until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    reason = forms.CharField(
        label=_("Reason (the member reads it)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("Choose an end date in the future."))
        return until


class SuspendForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Suspended until (empty: until lifted)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    reason = forms.CharField(
        label=_("Reason (the member reads it)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should a moderator look again?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong?"), choices=Flag.Category.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything moderators should know (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConcernForm(forms.Form):
    about_self = forms.BooleanField(label=_("I'm worried about myself"), required=False)
    message = forms.CharField(
        label=_("What worries you?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the safeguarding leads read this. The person you write about is not told who wrote it."),
    )


class ConcernUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SafeguardingConcern.Status.choices)
    note = forms.CharField(
        label=_("Note for the trail"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action"))] + list(AuditEntry.Action.choices)
    )
    actor = forms.CharField(label=_("Who"), required=False, max_length=80)
    space = forms.ChoiceField(label=_("Space"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = [("", _("All spaces"))] + [(space.key, space.label) for space in spaces]


class PolicyForm(forms.Form):
    content = forms.ChoiceField(label=_("Content type"))
    space = forms.ChoiceField(label=_("Space"), required=False)
    audience = forms.ChoiceField(label=_("Whose content"), choices=Audience.choices)
    mode = forms.ChoiceField(label=_("Policy"), choices=PolicyMode.choices)

    def __init__(self, *args, content_choices=(), space_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].choices = list(content_choices)
        self.fields["space"].choices = [("", _("Every space"))] + list(space_choices)


class ModerationSettingsForm(forms.Form):
    flag_threshold = forms.IntegerField(
        label=_("Flags from different members before published content is hidden"), min_value=1, max_value=50
    )
    new_member_review_count = forms.IntegerField(
        label=_("A new member's first posts held for review (0: off)"), min_value=0, max_value=20
    )


class PhraseForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=WORD_LIST_LANGUAGES, initial="en")
    phrase = forms.CharField(label=_("Word or phrase"), max_length=100)


class LeadForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the new safeguarding lead"))
