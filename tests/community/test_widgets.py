import re

import pytest
from django import forms

from community.widgets import PlainSelect


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All <tags>"), ("a&b", 'Grooming "online"'), ("x", "Sextortion")],
                              required=False)
    grouped = forms.ChoiceField(choices=[("Platforms", [("roblox", "Roblox"), ("kick", "Kick")]), ("other", "Other")])


def render(widget_class, data):
    form = Choices(data)
    form.fields["plain"].widget = widget_class(attrs={"class": "filter", "data-empty": ""})
    form.fields["grouped"].widget = widget_class()
    form.fields["plain"].widget.choices = form.fields["plain"].choices
    form.fields["grouped"].widget.choices = form.fields["grouped"].choices
    form.is_valid()
    # Whitespace between tags (Django's option template ends in a line break) is not markup.
    return tuple(re.sub(r">\s+<", "><", str(form[name])) for name in ("plain", "grouped"))


@pytest.mark.parametrize("data", [{}, {"plain": "a&b", "grouped": "kick"}, {"plain": "nonsense", "grouped": "x"}])
def test_plain_select_writes_what_djangos_select_writes(data):
    plain, grouped = render(PlainSelect, data)
    assert (plain, grouped) == render(forms.Select, data)
    assert 'aria-invalid="true"' in grouped or not data or data.get("grouped") == "kick"


def test_plain_select_escapes_labels_values_and_attributes():
    plain, _ = render(PlainSelect, {"plain": "a&b"})
    assert '<option value="a&amp;b" selected>Grooming &quot;online&quot;</option>' in plain
    assert "All &lt;tags&gt;" in plain and "<tags>" not in plain
