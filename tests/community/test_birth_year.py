"""Members give their own birth year on their profile (issue 5): checked, explained, and every
change written to the security log; a year that shows a minor makes the profile private."""

import datetime
import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year
PROFILE = reverse("profile_edit")


def _profile_data(person, **changes):
    data = {"display_name": person.display_name, "first_name": person.first_name, "last_name": person.last_name,
            "languages": person.languages, "bio": person.bio, "show_surname": "on", "show_in_directory": "on",
            "birth_year": ""}
    data.update(changes)
    return data


@pytest.fixture
def security_log(caplog):
    """caplog for the `security` logger, which does not propagate to the root logger."""
    logger = logging.getLogger("security")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def _birth_year_events(security_log):
    events = [json.loads(record.getMessage()) for record in security_log.records if record.name == "security"]
    return [event for event in events if event["event"] == "birth_year_changed"]


def test_the_profile_asks_for_the_birth_year_and_says_why_in_plain_words(client_for, member):
    page = client_for(member).get(PROFILE).content.decode()
    assert "Birth year (optional)" in page
    assert "Only the year, never your birthday" in page
    assert "a parent or guardian must agree before you join a youth panel" in page


def test_a_member_gives_their_birth_year_and_the_change_is_logged_without_the_year(client_for, member, security_log):
    response = client_for(member).post(PROFILE, _profile_data(member, birth_year="1985"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.birth_year == 1985
    [event] = _birth_year_events(security_log)
    assert event["user_id"] == member.pk and event["actor_id"] == member.pk and event["change"] == "given"
    assert "1985" not in json.dumps(event)


@pytest.mark.parametrize(("year", "message"), [
    (THIS_YEAR + 1, "has not happened yet"),
    (THIS_YEAR - 3, "it should be a year between"),
    (THIS_YEAR - 120, "it should be a year between"),
])
def test_an_implausible_birth_year_is_refused_and_nothing_typed_is_lost(client_for, member, year, message):
    response = client_for(member).post(PROFILE, _profile_data(member, display_name="Giorgos P.", bio="Hello there",
                                                              birth_year=str(year)))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Giorgos P."' in page and "Hello there" in page and f'value="{year}"' in page
    member.refresh_from_db()
    assert member.birth_year is None and member.display_name == "Giorgos"


def test_a_member_who_turns_out_to_be_a_minor_gets_a_private_profile_and_is_told(client_for, member):
    assert member.show_surname and member.show_in_directory
    client = client_for(member)
    response = client.post(PROFILE, _profile_data(member, birth_year=str(THIS_YEAR - 16)), follow=True)
    assert "As you are under 18, your profile is now private" in response.content.decode()
    member.refresh_from_db()
    assert member.birth_year == THIS_YEAR - 16
    assert not (member.show_surname or member.show_email or member.show_in_directory)


def test_a_minor_who_makes_themselves_an_adult_keeps_their_privacy_and_the_change_is_logged(
    client_for, member, security_log
):
    client = client_for(member)
    client.post(PROFILE, _profile_data(member, birth_year=str(THIS_YEAR - 16)))
    member.refresh_from_db()
    # The private settings stay as they are: only the member may switch them on again, visibly.
    response = client.post(PROFILE, _profile_data(member, show_surname="", show_in_directory="", birth_year="1990"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.birth_year == 1990
    assert not (member.show_surname or member.show_in_directory)
    given, older = _birth_year_events(security_log)
    assert (given["change"], given["minor"]) == ("given", True)
    assert (older["change"], older["minor"]) == ("older", False)


def test_a_member_may_remove_their_birth_year(client_for, member, security_log):
    client = client_for(member)
    client.post(PROFILE, _profile_data(member, birth_year="1985"))
    client.post(PROFILE, _profile_data(member, birth_year=""))
    member.refresh_from_db()
    assert member.birth_year is None
    assert [event["change"] for event in _birth_year_events(security_log)] == ["given", "removed"]


def test_saving_the_profile_without_touching_the_year_logs_nothing(client_for, member, security_log):
    client = client_for(member)
    client.post(PROFILE, _profile_data(member, birth_year="1985"))
    client.post(PROFILE, _profile_data(member, bio="New bio", birth_year="1985"))
    assert len(_birth_year_events(security_log)) == 1
