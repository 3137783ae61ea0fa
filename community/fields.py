"""Form fields shared by the apps."""

from django import forms
from django.forms.models import ModelChoiceIterator


class _ShortListIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ShortListChoiceField(forms.ModelChoiceField):
    """A choice of one row from a short list: tags, countries, forums, meeting series.

    Django reads a ModelChoiceField's options with `QuerySet.iterator()`, made for long lists:
    on PostgreSQL it opens a server-side cursor, three round trips where one query does. The
    list filters and the search form render such selects on every view."""

    iterator = _ShortListIterator
