"""`ShortListChoiceField` offers what Django's ModelChoiceField offers, read with one plain query."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.fields import ShortListChoiceField
from community.models import Country


def _country_form(field_class):
    class CountryFilter(forms.Form):
        country = field_class(queryset=Country.objects.order_by("name"), required=False, to_field_name="code",
                              empty_label="All countries")

    return CountryFilter


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"country": "IE"}, {"country": "nowhere"}])
def test_the_short_list_offers_and_checks_what_a_model_choice_field_does(data):
    short, django = _country_form(ShortListChoiceField)(data), _country_form(forms.ModelChoiceField)(data)
    assert short.is_valid() == django.is_valid()
    assert short.errors == django.errors
    assert str(short["country"]) == str(django["country"])
    assert "All countries" in str(short["country"]) and ">Ireland<" in str(short["country"])


@pytest.mark.django_db
def test_the_options_are_read_without_a_server_side_cursor():
    with CaptureQueriesContext(connection) as queries:
        str(_country_form(ShortListChoiceField)({})["country"])
    assert len(queries) == 1
    # Django's own field opens a named cursor on PostgreSQL (DECLARE, then FETCH and CLOSE).
    assert not queries[0]["sql"].startswith("DECLARE")
