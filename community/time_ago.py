"""How long ago something happened, as members read it: "just now", then "5 minutes ago"; and
how long something has been waiting: "less than a minute", then "5 minutes"."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

# Under a minute Django's timesince says "0 minutes", which reads like a bug.
JUST_NOW = timedelta(minutes=1)


def time_ago(moment: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now - moment < JUST_NOW:
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment, now)}


def time_since(moment: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now - moment < JUST_NOW:
        return gettext("less than a minute")
    return timesince(moment, now)
