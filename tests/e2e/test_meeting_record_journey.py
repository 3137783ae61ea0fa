"""Journey 5: the organiser of a meeting series adds the meeting that just took place, writes its
record and publishes it; an attendee sees it on their dashboard, reads it, and adds the series'
next meeting to their calendar with the .ics file."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, NETWORK_COORDINATOR
from .layout import assert_good_page

SERIES = "Helpline early-warning meeting"
ATTENDEE_NAME = "Giorgos"  # HELPLINE_MEMBER
ORGANISER_ZONE = "Europe/Brussels"


def test_an_attendee_sees_the_published_record_on_their_dashboard_and_downloads_the_ics(page_as):
    title = f"{SERIES}: extra session {time.strftime('%H%M%S')}"
    # Two hours ago, in the organiser's wall-clock time, as the form asks.
    started = datetime.now(ZoneInfo(ORGANISER_ZONE)) - timedelta(hours=2)

    organiser = page_as(NETWORK_COORDINATOR)
    organiser.goto("/")
    organiser.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Meetings")
    assert_good_page(organiser, "journey5-meetings")
    organiser.get_by_role("region", name="Meeting series").get_by_role("link", name=SERIES, exact=True).click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text(SERIES)
    assert_good_page(organiser, "journey5-series")
    organiser.get_by_role("link", name="Add a meeting").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("New meeting")
    assert_good_page(organiser, "journey5-new-meeting")
    organiser.get_by_label("Title").fill(title)
    organiser.get_by_label("Starts (organiser's local time)").fill(started.strftime("%Y-%m-%dT%H:%M"))
    organiser.get_by_label("Length in minutes").fill("60")
    organiser.get_by_label("Organiser's time zone").select_option(ORGANISER_ZONE)
    organiser.get_by_label("Online join link").fill("https://meet.example.org/helpline-extra")
    organiser.get_by_role("button", name="Save").click()
    expect(organiser.get_by_role("status")).to_contain_text("Meeting saved.")
    expect(organiser.get_by_role("heading", level=1)).to_have_text(title)
    assert_good_page(organiser, "journey5-meeting")

    organiser.get_by_role("link", name="Write the record").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Record of the meeting")
    assert_good_page(organiser, "journey5-record-form")
    organiser.get_by_label("Report:", exact=True).fill(
        "## Summary\n\nSix helplines compared sextortion scripts in gaming voice chat."
    )
    organiser.get_by_label(ATTENDEE_NAME, exact=True).check()
    organiser.get_by_role("button", name="Save").click()
    expect(organiser.get_by_role("status")).to_contain_text("Record saved.")
    expect(organiser.get_by_role("main")).to_contain_text(
        "Draft: only organisers see this record until it is published."
    )
    assert_good_page(organiser, "journey5-record-draft")
    organiser.get_by_role("button", name="Publish and tell the audience").click()
    expect(organiser.get_by_role("status")).to_contain_text("Published: the audience of the series is told.")
    expect(organiser.get_by_role("main")).not_to_contain_text("Draft: only organisers see this record")

    attendee = page_as(HELPLINE_MEMBER)
    attendee.goto("/")
    notification = f"Report and recording of {title}"
    expect(attendee.get_by_role("region", name="Latest notifications")).to_contain_text(notification)
    attendee.locator("[data-notification-bell]").click()
    attendee.locator("#notification-menu").get_by_role("link", name=notification).click()
    expect(attendee.get_by_role("heading", level=1)).to_have_text(f"Record of {title}")
    expect(attendee.get_by_role("region", name="Report")).to_contain_text("Six helplines compared sextortion scripts")
    expect(attendee.get_by_role("region", name="Attendance")).to_contain_text(ATTENDEE_NAME)
    assert_good_page(attendee, "journey5-record")

    # The meeting is over, so its page offers no calendar file; the series' next one does, and
    # the attendee adds it from the dashboard.
    attendee.get_by_role("main").get_by_role("link", name=title, exact=True).click()
    expect(attendee.get_by_role("heading", level=1)).to_have_text(title)
    expect(attendee.get_by_role("link", name="Read the record")).to_be_visible()
    attendee.get_by_role("link", name="SIC Community").click()
    attendee.get_by_role("region", name="Upcoming meetings").get_by_role("link", name=SERIES, exact=True).first.click()
    expect(attendee.get_by_role("heading", level=1)).to_have_text(SERIES)
    assert_good_page(attendee, "journey5-next-meeting")
    calendar_link = attendee.get_by_role("link", name="Add to my calendar (.ics)")
    with attendee.expect_download() as download_info:
        calendar_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics"), download.suggested_filename
    ics = download.path().read_text()
    assert "BEGIN:VCALENDAR" in ics and "BEGIN:VEVENT" in ics and "END:VEVENT" in ics, ics
    # Long lines are folded (RFC 5545): unfold before looking for the title.
    assert f"SUMMARY:{SERIES}" in re.sub(r"\r?\n[ \t]", "", ics), ics
    response = attendee.request.get(calendar_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar"), response.headers["content-type"]
