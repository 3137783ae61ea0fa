from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forums.models import Tag
from meetings import files as meeting_files

from . import images
from .models import YouthResource

MARKDOWN_HELP = _("You can use Markdown: **bold**, *italic*, - lists, [link](https://…). "
                  "Please do not share phone numbers, addresses or other contact details.")


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000,
                           help_text=MARKDOWN_HELP)
    image = forms.FileField(
        label=_("Image (optional)"), required=False,
        help_text=_("PNG or JPEG, up to 5 MB. Location and camera details are removed before it is stored."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    image_alt = forms.CharField(
        label=_("Image description"), max_length=200, required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean_image(self):
        uploaded = self.cleaned_data.get("image")
        if not uploaded:
            return None
        try:
            return images.clean_image(uploaded)
        except ValidationError as error:
            # Browsers never re-fill a file input: say so, everything typed stays.
            raise ValidationError(
                [*error.messages, _("Your title and text are kept; please choose the image again.")]
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Please describe the image in a few words."))
        return cleaned


class EditPostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000,
                           help_text=MARKDOWN_HELP)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           help_text=MARKDOWN_HELP)


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("File (optional)"), required=False,
        help_text=_("PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG. Author names and other "
                    "metadata are removed before it is stored."),
    )

    class Meta:
        model = YouthResource
        fields = ["title", "url", "upload", "description", "language", "age_range", "is_pinned"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if not uploaded:
            return None
        checked = meeting_files.check_and_clean(uploaded)
        if checked.hold_reasons:
            # Nobody reviews resource files before young people open them: refuse instead of holding.
            raise ValidationError(
                _("This PDF contains scripts, launch actions or embedded files, which are not shared with young "
                  "people. Please save it as a plain PDF and upload it again.")
            )
        return checked

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("upload") and not self.has_error("upload") \
                and not self.has_error("url"):
            raise ValidationError(_("Please give a link, a file, or both."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the young person"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    birth_year = forms.IntegerField(
        label=_("Birth year (optional)"), required=False, min_value=1990, max_value=2030,
        help_text=_("Only the year. Without it, a parent's authorisation is needed."),
    )
    parental_authorisation = forms.BooleanField(
        label=_("A parent or guardian has authorised this panellist"), required=False,
        help_text=_("Required by law for panellists below your country's age of digital consent."),
    )
    authorised_by = forms.CharField(
        label=_("Parent or guardian who authorised"), max_length=200, required=False,
        help_text=_("Name and relation, e.g. “Maria P., mother”."),
    )
    authorisation_expires_on = forms.DateField(
        label=_("Authorisation valid until (optional)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    parental_authorisation_note = forms.CharField(
        label=_("How the authorisation was recorded (optional)"), max_length=300, required=False
    )

    def __init__(self, *args, organisations, default_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if default_organisation is not None:
            self.fields["organisation"].initial = default_organisation.pk


class RenewAuthorisationForm(forms.Form):
    authorised_by = forms.CharField(
        label=_("Parent or guardian who authorised"), max_length=200,
        help_text=_("Name and relation, e.g. “Maria P., mother”."),
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("How the authorisation was recorded (optional)"), max_length=300, required=False)


class RemovePanellistForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the panellist reads it)"), max_length=300, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search youth posts"), max_length=200, required=False)
