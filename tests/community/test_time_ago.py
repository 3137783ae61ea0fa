"""Times as people say them: "just now", then "5 minutes ago"; "less than a minute" of waiting."""

from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone

from community.time_ago import time_ago, time_since


def test_under_a_minute_is_just_now_and_later_counts_the_time():
    now = timezone.now()

    assert time_ago(now - timedelta(seconds=59), now) == "just now"
    # Django keeps a number and its unit together with a no-break space.
    assert time_ago(now - timedelta(minutes=5), now) == "5\xa0minutes ago"
    assert time_ago(now - timedelta(days=2, hours=3), now) == "2\xa0days, 3\xa0hours ago"


def test_a_wait_under_a_minute_is_less_than_a_minute_not_zero_minutes():
    now = timezone.now()

    assert time_since(now - timedelta(seconds=10), now) == "less than a minute"
    assert time_since(now - timedelta(hours=2), now) == "2\xa0hours"


def test_the_template_filters_say_the_same_and_nothing_without_a_moment():
    template = Template("{% load time_ago %}[{{ moment|ago }}|{{ moment|waited }}]")

    assert template.render(Context({"moment": timezone.now()})) == "[just now|less than a minute]"
    assert template.render(Context({"moment": None})) == "[|]"
