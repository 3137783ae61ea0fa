from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Delivery

FIELD_PREFIX = "kind__"


class PreferencesForm(forms.Form):
    """One choice per registered kind, offering only what this member may pick."""

    weekly_digest = forms.BooleanField(
        label=_("Send me the weekly digest"),
        required=False,
        help_text=_("One email a week with what waited for you, upcoming meetings and deadlines."),
    )

    def __init__(self, *args, rows, weekly_digest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Delivery.choices)
        self.rows = rows
        self.fields["weekly_digest"].initial = weekly_digest
        for row in rows:
            self.fields[FIELD_PREFIX + row.kind.key] = forms.ChoiceField(
                label=row.kind.label,
                help_text=row.kind.description,
                choices=[(value, labels[value]) for value in row.allowed],
                initial=row.delivery,
            )

    def kind_fields(self):
        return [self[FIELD_PREFIX + row.kind.key] for row in self.rows]

    def deliveries(self) -> dict[str, str]:
        return {row.kind.key: self.cleaned_data[FIELD_PREFIX + row.kind.key] for row in self.rows}
