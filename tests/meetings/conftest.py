from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.models import Role, Service
from meetings import services
from meetings.models import Meeting, MeetingSeries
from tests.factories import make_member, make_organisation

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def awareness_member(db):
    """Works in an awareness centre only: not in the helpline series' audience."""
    return make_member(organisation=make_organisation(country_code="IE", services_codes=("awareness",)),
                       services_codes=("awareness",), display_name="Aoife")


@pytest.fixture
def helpline_series(network_coordinator):
    series = MeetingSeries(title="Helpline early-warning meeting", weekday=MeetingSeries.Weekday.FRIDAY,
                           local_time=datetime(2026, 1, 1, 11, 0).time(), time_zone="Europe/Brussels",
                           default_join_url="https://meet.example.org/helpline-ew")
    return services.save_series(actor=network_coordinator, series=series, audience_roles=[],
                                audience_services=Service.objects.filter(code=Service.HELPLINE))


@pytest.fixture
def youth_series(network_coordinator):
    series = MeetingSeries(title="Youth coordinators meeting", kind=MeetingSeries.Kind.COORDINATION)
    return services.save_series(actor=network_coordinator, series=series,
                                audience_roles=[Role.YOUTH_COORDINATOR], audience_services=[])


def make_meeting(series, *, actor, starts_at=None, title=None, join_url="https://meet.example.org/secret-room"):
    starts_at = starts_at or (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    meeting = Meeting(series=series, title=title or series.title, starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=1), time_zone=series.time_zone, join_url=join_url)
    return services.save_meeting(actor=actor, meeting=meeting)


@pytest.fixture
def helpline_meeting(helpline_series, network_coordinator):
    return make_meeting(helpline_series, actor=network_coordinator)
