import re

import pytest
from django import forms

from community.widgets import PlainHiddenInput, PlainSelect, PlainTextarea


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


class Composer(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20)
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)


def render_composer(textarea, hidden, *, data=None, initial=None):
    form = Composer(data, initial=initial)
    form.fields["body"].widget = textarea(attrs={"rows": 6, "maxlength": "20"})
    form.fields["quote"].widget = hidden()
    form.fields["token"].widget = hidden(attrs={"data-kind": 'one "time"'})
    form.is_valid()
    return tuple(str(form[name]) for name in ("body", "quote", "token"))


@pytest.mark.parametrize("data,initial", [
    (None, None),
    (None, {"body": "> quoted <b>bold</b> & 'more'", "quote": 12, "token": "6f1c0bd8-5f5a-4a0e-9d5d-0d2e8c3a1b2c"}),
    ({"body": "x" * 30, "quote": "not a number", "token": '"><script>alert(1)</script>'}, None),
    ({"body": "", "quote": "", "token": ""}, None),
])
def test_plain_textarea_and_hidden_input_write_what_djangos_widgets_write(data, initial):
    plain = render_composer(PlainTextarea, PlainHiddenInput, data=data, initial=initial)
    assert plain == render_composer(forms.Textarea, forms.HiddenInput, data=data, initial=initial)
    assert "<script>" not in "".join(plain) and "<b>" not in plain[0]
