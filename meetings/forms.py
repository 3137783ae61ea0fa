import uuid
from datetime import UTC, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.fields import ShortListChoiceField
from community.models import Country, Role

from . import files
from .anonymisation import personal_data_warnings
from .models import (
    ActionItem,
    CaseStudy,
    EmergingIssue,
    Meeting,
    MeetingRecord,
    MeetingSeries,
    NetworkDate,
    Rsvp,
    Topic,
    time_zone_choices,
)
from .services import aware_in_zone

AUDIENCE_ROLE_CHOICES = [(role.value, role.label) for role in Role]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read on the organiser's clock, returned naive: the zone is another field.
    (Django would otherwise interpret it in the server's zone and reject times that zone skips.)"""

    def to_python(self, value):
        with timezone.override(UTC):
            parsed = super().to_python(value)
        return parsed.replace(tzinfo=None) if parsed else parsed


class SeriesForm(forms.ModelForm):
    audience_roles = forms.MultipleChoiceField(
        label=_("For people with the role"), choices=AUDIENCE_ROLE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MeetingSeries
        fields = ["title", "kind", "description", "audience_services", "weekday", "local_time",
                  "duration_minutes", "time_zone", "default_join_url"]
        widgets = {"audience_services": forms.CheckboxSelectMultiple, "local_time": TimeInput}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("audience_roles") and not cleaned.get("audience_services"):
            raise ValidationError(_("Choose who the meetings are for: at least one role or service."))
        return cleaned


class ScheduleForm(forms.Form):
    first_date = forms.DateField(label=_("From"), widget=DateInput)
    count = forms.IntegerField(label=_("How many meetings"), min_value=1, max_value=52, initial=4)


class MeetingForm(forms.ModelForm):
    """Times are entered as the organiser's wall-clock time in the chosen zone."""

    starts_local = WallClockDateTimeField(label=_("Starts (organiser's local time)"), widget=DateTimeLocalInput,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=5, max_value=24 * 60, initial=60)

    class Meta:
        model = Meeting
        fields = ["title", "time_zone", "join_url", "location", "agenda_source"]

    field_order = ["title", "starts_local", "duration_minutes", "time_zone", "join_url", "location",
                   "agenda_source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["starts_local"] = self.instance.local_start.replace(tzinfo=None)
            self.initial["duration_minutes"] = int(
                (self.instance.ends_at - self.instance.starts_at).total_seconds() // 60)

    def clean(self):
        cleaned = super().clean()
        naive, zone = cleaned.get("starts_local"), cleaned.get("time_zone")
        if naive and zone and cleaned.get("duration_minutes"):
            try:
                starts_at = aware_in_zone(naive, zone)
            except ValidationError as error:
                self.add_error("starts_local", error)
                return cleaned
            self.instance.starts_at = starts_at
            self.instance.ends_at = starts_at + timedelta(minutes=cleaned["duration_minutes"])
        return cleaned


class RsvpForm(forms.Form):
    response = forms.ChoiceField(label=_("Will you attend?"), choices=Rsvp.Response.choices,
                                 widget=forms.RadioSelect)


class EmergingIssueForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple,
                                            label=_("Topics"))

    class Meta:
        model = EmergingIssue
        fields = ["title", "description_source", "topics", "country", "platforms", "may_share_outside_network"]


class AgendaForm(forms.Form):
    """One position box per emerging issue: 1, 2, 3… in the order to discuss; empty: not taken."""

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.issues = list(issues)
        for issue in self.issues:
            self.fields[f"issue_{issue.pk}"] = forms.IntegerField(
                label=issue.title, required=False, min_value=1, max_value=999, initial=issue.agenda_position,
                help_text=_("From %(author)s, %(country)s") % {"author": issue.author_name,
                                                                 "country": issue.country.name},
            )

    def positions(self) -> dict[int, int | None]:
        return {issue.pk: self.cleaned_data.get(f"issue_{issue.pk}") for issue in self.issues}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Zero or more files, each checked and cleaned by meetings.files; the field's value is a
    list of files.CleanFile."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files=5, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(uploads) > self.max_files:
            raise ValidationError(_("Attach at most %(max)s files.") % {"max": self.max_files})
        errors, cleaned = [], []
        for upload in uploads:
            try:
                cleaned.append(files.check_and_clean(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class RecordForm(forms.ModelForm):
    document = CheckedFilesField(label=_("Report document"), max_files=3,
                                 help_text=_("PDF, DOCX, ODT, PNG or JPEG. Optional if you write the report."))

    class Meta:
        model = MeetingRecord
        fields = ["report_source", "recording_url", "recording_available_until", "attendees", "emerging_issues",
                  "case_studies"]
        widgets = {
            "recording_available_until": DateInput,
            "attendees": forms.CheckboxSelectMultiple,
            "emerging_issues": forms.CheckboxSelectMultiple,
            "case_studies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, audience, issues, case_studies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = audience
        self.fields["emerging_issues"].queryset = issues
        self.fields["case_studies"].queryset = case_studies


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput}

    def __init__(self, *args, audience, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = audience
        self.fields["owner"].required = False


class NetworkDateForm(forms.ModelForm):
    class Meta:
        model = NetworkDate
        fields = ["kind", "title", "date", "description", "url"]
        widgets = {"date": DateInput}


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Your time zone"), required=False, choices=[("", _("Not set: show the organiser's time only"))]
        + time_zone_choices(),
        help_text=_("Meeting times are shown in the organiser's time zone and in yours."),
    )


class CaseStudyForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple,
                                            label=_("Topics"))
    attachments = CheckedFilesField(
        label=_("Files"),
        help_text=_("Optional. PDF, DOCX, ODT, PNG or JPEG, up to 5 files. Author names, companies and "
                    "photo data (EXIF) are removed from the stored copies."),
    )
    confirm_names_removed = forms.BooleanField(label=_("Names, nicknames and usernames are removed or changed."))
    confirm_contacts_removed = forms.BooleanField(
        label=_("Email addresses, phone numbers, addresses and social media handles are removed."))
    confirm_places_removed = forms.BooleanField(
        label=_("Schools, towns and other details that could identify the young person are removed or "
                "generalised."))
    confirm_files_checked = forms.BooleanField(
        label=_("Screenshots and files show nothing that identifies anyone (or there are none)."))
    acknowledge_warnings = forms.BooleanField(
        label=_("I have checked the warnings above: what remains does not identify anyone."), required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = CaseStudy
        fields = ["title", "summary", "narrative_source", "topics", "age_band", "contact_channel", "outcome",
                  "lessons_learned", "hotline_only", "meeting"]

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].required = False
        self.fields["meeting"].label_from_instance = (
            lambda meeting: f"{meeting.title} — {meeting.local_start:%d %b %Y}")
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        self.warnings: list[str] = []

    def clean(self):
        cleaned = super().clean()
        text = "\n".join(str(cleaned.get(name) or "") for name in
                         ["title", "summary", "narrative_source", "outcome", "lessons_learned"])
        self.warnings = personal_data_warnings(text)
        if self.warnings and not cleaned.get("acknowledge_warnings"):
            self.add_error("acknowledge_warnings", _("Please look at the warnings and confirm, or edit the text."))
        return cleaned


class CaseStudyDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Publish to the network")),
                                          ("reject", _("Do not publish"))], widget=forms.RadioSelect,
                                 label=_("Decision"))
    reason = forms.CharField(label=_("Reason (sent to the author)"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, max_length=2000)


class UploadWindowForm(forms.Form):
    is_open = forms.BooleanField(label=_("Case study uploads are open"), required=False)
    closes_on = forms.DateField(label=_("Uploads close after"), required=False, widget=DateInput,
                                help_text=_("Optional: the last day of uploads. Members are reminded in their "
                                            "weekly update."))
    closed_message = forms.CharField(
        label=_("Message while closed"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000,
        help_text=_("Say when uploads will open."),
    )


class TrendFilterForm(forms.Form):
    country = ShortListChoiceField(queryset=Country.objects.all(), required=False, label=_("Country"),
                                   empty_label=_("All countries"))
    series = ShortListChoiceField(queryset=None, required=False, label=_("Meeting series"),
                                  empty_label=_("All series"))
    include = forms.ChoiceField(label=_("Count"), required=False, choices=[
        ("all", _("Emerging issues and case studies")), ("issues", _("Emerging issues only"))])

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


class OrganiserForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Member of the audience"), queryset=None,
        help_text=_("Only people who may see the series can organise it."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
        self.fields["person"].label_from_instance = lambda user: user.display_name
