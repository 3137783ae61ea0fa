"""Preset reasons moderators pick from; authors read them (translated where a translation
exists), followed by the moderator's own words."""

from django.utils.translation import gettext_lazy as _

REJECTION_REASONS = {
    "personal_information": (
        _("Personal details"),
        _(
            "Your post included personal details, like a phone number, an address or a username on "
            "another app. To keep everyone safe we don't publish those. You're welcome to post it "
            "again without them."
        ),
    ),
    "unkind": (
        _("Could hurt someone"),
        _(
            "Some of what you wrote could hurt or upset someone. Everyone here should feel safe. "
            "Please have another go with kinder words."
        ),
    ),
    "off_topic": (
        _("Not the right place"),
        _("This doesn't fit this space. Try another forum or space where it belongs."),
    ),
    "harmful": (
        _("Harmful or illegal content"),
        _(
            "This content could be harmful or break the law, so it can't be published here. If "
            "something worries you, you can always talk to your national helpline."
        ),
    ),
    "spam": (
        _("Advertising or spam"),
        _("This looks like advertising or repeated content, which we don't publish."),
    ),
    "duplicate": (
        _("Already posted"),
        _("The same thing has already been posted. Join the existing conversation instead."),
    ),
    "other": (_("Other reason"), _("A moderator decided not to publish this.")),
}


def reason_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _text) in REJECTION_REASONS.items()]


def reason_text_for(code: str) -> str:
    entry = REJECTION_REASONS.get(code)
    return str(entry[1]) if entry else ""
