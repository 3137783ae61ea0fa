"""Form widgets whose HTML is put together in Python.

Django renders a <select> through one template for the select and one more per option: the
search form and the list filters (15 tags, 30-odd countries) spent more time on option
templates than on their queries. `PlainSelect` produces the same markup as `forms.Select`
(tests/community/test_widgets.py compares them) from the same context, escaping every name,
value and label. `PlainTextarea` and `PlainHiddenInput` do the same for the reply composer
under every topic page, where their three templates took longer than the page's tags query.
"""

from html import escape

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(str(group_name))}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                    f'{escape(str(option["label"]))}</option>'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class PlainTextarea(forms.Textarea):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        value = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(
            f'<textarea name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>\n{value}</textarea>'
        )


class PlainHiddenInput(forms.HiddenInput):
    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
            f'{_attributes(widget["attrs"])}>'
        )
