from django import forms
from django.utils.translation import gettext_lazy as _

from .consent import check_birth_year
from .models import Country, Invitation, Organisation, Role, Service, User


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"), max_length=80,
        help_text=_("How other members will see you. Young people: a first name or nickname is best."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class OrganisationSearchForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), required=False, to_field_name="code", empty_label=_("All countries"),
        label=_("Country"),
    )
    q = forms.CharField(required=False, label=_("Organisation name"), max_length=100)


class MembershipRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Your role"),
        choices=[(Role.MEMBER.value, _("Staff member")), (Role.YOUTH_COORDINATOR.value, _("Youth coordinator"))],
        initial=Role.MEMBER,
        help_text=_("Youth panellists join through an invitation from their youth coordinator."),
    )
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Services you work in"),
    )
    job_title = forms.CharField(max_length=120, required=False, label=_("Job title"))
    motivation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False,
        label=_("A note for your organisation's admins"),
    )


class OrganisationRequestForm(MembershipRequestForm):
    name = forms.CharField(max_length=200, label=_("Organisation name"))
    country = forms.ModelChoiceField(queryset=Country.objects.all(), label=_("Country"))
    website = forms.URLField(required=False, label=_("Website"), assume_scheme="https")
    field_order = ["name", "country", "website"]


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("Reason (shown to the applicant)"),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("Reason"))
    until = forms.DateTimeField(
        required=False, label=_("Until (leave empty for an open-ended suspension)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "organisation", "role"]

    def __init__(self, *args, organisations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]


class BirthYearForm(forms.Form):
    """The birth year is not saved with the rest of the profile: `services.set_own_birth_year`
    decides whether it applies at once or waits for a coordinator."""

    birth_year = forms.IntegerField(
        label=_("Birth year (optional)"), required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        help_text=_("Only the year, never your birthday. We ask because young people get extra protection here: "
                    "under 18, your profile stays private, and below the age set by your country's law a parent "
                    "or guardian must agree before you join a youth panel. Other members never see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].initial = self.instance.birth_year

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None:
            check_birth_year(year)
        return year


class ProfileForm(BirthYearForm, forms.ModelForm):
    # Only fields a member may set on themselves: never roles, status or organisation.
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "languages", "bio",
                  "show_surname", "show_email", "show_in_directory"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class YouthProfileForm(BirthYearForm, forms.ModelForm):
    """Panellists are minors: no surname field, no way to expose their email."""

    class Meta:
        model = User
        fields = ["display_name", "languages", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "website", "description", "services", "helpline_phone", "helpline_url"]
        widgets = {"services": forms.CheckboxSelectMultiple}

