import uuid
from io import BytesIO

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from community.fields import ShortListChoiceField
from community.models import Country, Role, Service
from community.widgets import PlainHiddenInput, PlainSelect, PlainTextarea
from moderation.models import Flag

from .models import Forum, Tag, TrackingLevel
from .permissions import ForumAudience

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, > quote, - list, `code`, [link](https://…). "
                  "Mention someone with @display-name.")
# Safe mode shows links as defanged text, so the help does not invite the author to write one.
SAFE_MODE_MARKDOWN_HELP = _("Markdown: **bold**, *italic*, > quote, - list, `code`. Links are shown as "
                            "defanged text and images are not shown. Mention someone with @display-name.")
COVER_MAX_BYTES = 2 * 1024 * 1024
COVER_MAX_SIDE = 4000
COVER_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class TagChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Tag.objects.all(), required=False, label=_("Tags"), **kwargs)


class _OneTimeSubmission(forms.Form):
    """A token made when the composer is shown: sending the same form twice creates one object."""

    submission_token = forms.UUIDField(required=False, widget=PlainHiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())


class _ForumComposer(forms.Form):
    """A form whose `body` is posted in a forum: its Markdown help follows the forum's safe mode."""

    def __init__(self, *args, safe_mode=False, **kwargs):
        super().__init__(*args, **kwargs)
        if safe_mode:
            self.fields["body"].help_text = SAFE_MODE_MARKDOWN_HELP


class TopicForm(_ForumComposer):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Opening post"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
                           help_text=MARKDOWN_HELP)
    tags = TagChoiceField()


class ReplyForm(_OneTimeSubmission, _ForumComposer):
    body = forms.CharField(label=_("Your reply"), widget=PlainTextarea(attrs={"rows": 6}), max_length=20000,
                           help_text=MARKDOWN_HELP)
    # Which post is quoted: re-checked by the service (same topic, readable by the author).
    quote = forms.IntegerField(required=False, widget=PlainHiddenInput)


class EditPostForm(_ForumComposer):
    """The opening post's form also carries its topic's title and tags."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
                           help_text=MARKDOWN_HELP)
    tags = TagChoiceField()

    def __init__(self, *args, is_opening_post=False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_opening_post:
            self.fields["title"].required = True
        else:
            del self.fields["title"]
            del self.fields["tags"]


class TrackingForm(forms.Form):
    level = forms.ChoiceField(label=_("Notifications"), choices=TrackingLevel.choices, widget=PlainSelect)


class BlogTrackingForm(TrackingForm):
    """An article gets comments, not posts or replies: the same levels, told in its words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (TrackingLevel.WATCHING, _("Watching: every new comment")),
            (TrackingLevel.NORMAL, _("Normal: only when you are mentioned")),
            (TrackingLevel.MUTED, TrackingLevel.MUTED.label),
        ]


class MoveTopicForm(forms.Form):
    forum = forms.ModelChoiceField(label=_("Move to"), queryset=Forum.objects.none())

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class FlagForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong?"), choices=Flag.Category.choices,
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything moderators should know (optional)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DraftForm(forms.Form):
    key = forms.CharField(max_length=60)
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(max_length=20000, required=False, strip=False)


class TopicFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, widget=PlainSelect, choices=[
        ("latest", _("Latest")), ("unread", _("Unread")), ("watched", _("Watched"))])
    tag = ShortListChoiceField(label=_("Tag"), queryset=Tag.objects.all(), required=False, to_field_name="slug",
                               empty_label=_("All tags"), widget=PlainSelect)
    country = ShortListChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False,
                                   to_field_name="code", empty_label=_("All countries"), widget=PlainSelect)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200)
    forum = ShortListChoiceField(label=_("Forum"), queryset=Forum.objects.none(), required=False,
                                 to_field_name="slug", empty_label=_("All forums"), widget=PlainSelect)
    tag = ShortListChoiceField(label=_("Tag"), queryset=Tag.objects.all(), required=False, to_field_name="slug",
                               empty_label=_("All tags"), widget=PlainSelect)
    author = forms.CharField(label=_("Author"), max_length=80, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def _clean_cover(upload):
    """Accept JPEG, PNG or WebP up to 2 MB and 4000 px a side; re-encode it so no metadata
    (camera, GPS position) from the original file is ever served."""
    if upload.size > COVER_MAX_BYTES:
        raise forms.ValidationError(_("The image is larger than 2 MB. Please choose a smaller one."))
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image_format not in COVER_FORMATS:
                raise forms.ValidationError(_("Please upload a JPEG, PNG or WebP image."))
            if max(image.size) > COVER_MAX_SIDE:
                raise forms.ValidationError(_("The image is larger than 4000 pixels on a side."))
            image.load()
            clean = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") and image_format != "JPEG" else "RGB")
            output = BytesIO()
            clean.save(output, format=image_format, quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise forms.ValidationError(_("This file is not an image we can read.")) from None
    extension = COVER_FORMATS[image_format]
    return SimpleUploadedFile(f"cover.{extension}", output.getvalue(), content_type=f"image/{extension}".replace(
        "jpg", "jpeg"))


class BlogPostForm(_OneTimeSubmission):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Article"), widget=forms.Textarea(attrs={"rows": 16}), max_length=50000,
                           help_text=MARKDOWN_HELP)
    tags = TagChoiceField()
    cover_image = forms.FileField(label=_("Cover image (optional)"), required=False,
                                  help_text=_("JPEG, PNG or WebP, up to 2 MB."),
                                  widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    cover_alt = forms.CharField(label=_("Cover image description"), max_length=200, required=False,
                                help_text=_("What the image shows, for people who cannot see it."))
    remove_cover = forms.BooleanField(label=_("Remove the current cover image"), required=False)

    def __init__(self, *args, has_cover=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_cover:
            del self.fields["remove_cover"]

    def clean_cover_image(self):
        upload = self.cleaned_data.get("cover_image")
        return _clean_cover(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover_image") and not (cleaned.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Please describe the cover image for people who cannot see it."))
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
                           help_text=MARKDOWN_HELP)


class ForumSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    safe_mode = forms.BooleanField(
        label=_("Safe mode"), required=False,
        help_text=_("Links are shown defanged and not clickable and images never render, in every post, "
                    "including those already written."))
    composer_notice = forms.CharField(label=_("Reminder above the composer"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    position = forms.IntegerField(label=_("Position on the forums page"), min_value=0, max_value=32767,
                                  initial=100)


class ForumForm(ForumSettingsForm):
    """A community forum's settings and its audience: who reads, posts and moderates, by role
    and by service."""

    reader_roles = forms.MultipleChoiceField(
        label=_("Roles who may read"), required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    poster_roles = forms.MultipleChoiceField(
        label=_("Roles who may read and post"), required=False, choices=Role.choices,
        widget=forms.CheckboxSelectMultiple)
    moderator_roles = forms.MultipleChoiceField(
        label=_("Roles who moderate"), required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("They read, post and moderate. Network coordinators and moderators moderate every forum."))
    read_services = forms.ModelMultipleChoiceField(
        label=_("Staff of these services may read"), required=False, queryset=Service.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    post_services = forms.ModelMultipleChoiceField(
        label=_("Staff of these services may read and post"), required=False, queryset=Service.objects.all(),
        widget=forms.CheckboxSelectMultiple)

    field_order = ["name", "description", "reader_roles", "poster_roles", "moderator_roles", "read_services",
                   "post_services", "safe_mode", "composer_notice", "position"]

    @staticmethod
    def initial_for(forum: Forum, audience: ForumAudience) -> dict:
        return {
            "name": forum.name, "description": forum.description, "safe_mode": forum.safe_mode,
            "composer_notice": forum.composer_notice, "position": forum.position,
            "reader_roles": sorted(audience.reader_roles), "poster_roles": sorted(audience.poster_roles),
            "moderator_roles": sorted(audience.moderator_roles),
            "read_services": list(Service.objects.filter(code__in=audience.read_services)),
            "post_services": list(Service.objects.filter(code__in=audience.post_services)),
        }

    def clean(self):
        cleaned = super().clean()
        if not self.audience().has_readers:
            raise forms.ValidationError(_("Choose who may read the forum: at least one role or service."))
        return cleaned

    def audience(self) -> ForumAudience:
        data = self.cleaned_data
        return ForumAudience.of(
            reader_roles=data.get("reader_roles", ()), poster_roles=data.get("poster_roles", ()),
            moderator_roles=data.get("moderator_roles", ()),
            read_services=[service.code for service in data.get("read_services", ())],
            post_services=[service.code for service in data.get("post_services", ())],
        )


class NewForumForm(ForumForm):
    """A new community forum, with its address."""

    slug = forms.SlugField(label=_("Address"), max_length=80,
                           help_text=_("Letters, numbers and hyphens: the forum lives at /forums/f/<address>/."))

    field_order = ["name", "slug", *ForumForm.field_order[1:]]
