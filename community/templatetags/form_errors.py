"""The error summary at the top of a rejected form (templates/includes/form.html)."""

from django import template

register = template.Library()


@register.filter
def fields_in_error(form) -> list:
    """The visible fields of `form` that have errors, in the form's order."""
    return [field for field in form.visible_fields() if field.errors]
