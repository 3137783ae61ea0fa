"""Journey 3: a youth panellist writes a post with a phone number in it and is told, kindly, that
it waits for a coordinator; the national youth coordinator approves it from the moderation queue;
the panellist then sees it published."""

import re
import time

from playwright.sync_api import expect

from .conftest import YOUTH_COORDINATOR, YOUTH_PANELLIST
from .layout import assert_good_page

PANEL = "Greece youth panel"
PHONE_HOLD = ("It looks like it contains a phone number. To keep everyone safe, a moderator checks "
              "posts with contact details before they appear.")
PENDING_STATUS = "Waiting for a coordinator: only you and the coordinators see this"


def test_a_held_youth_post_is_approved_by_the_youth_coordinator_and_published(page_as):
    title = f"Our helpline poster {time.strftime('%H%M%S')}"
    panellist = page_as(YOUTH_PANELLIST)
    panellist.goto("/")
    panellist.get_by_role("navigation", name="Main").get_by_role("link", name="Youth").click()
    expect(panellist.get_by_role("heading", level=1)).to_have_text("Youth area")
    panellist.get_by_role("link", name=PANEL).first.click()
    expect(panellist.get_by_role("heading", level=1)).to_have_text(PANEL)
    assert_good_page(panellist, "journey3-youth-panel")
    panellist.get_by_role("link", name="Write a post").click()
    expect(panellist.get_by_role("heading", level=1)).to_have_text("Write a post")
    assert_good_page(panellist, "journey3-write-post")
    panellist.get_by_label("Title").fill(title)
    panellist.get_by_label("Your post").fill(
        "We made a poster for our school about where to get help. "
        "If something online upsets you, call me on 694 123 4567 and we can talk."
    )
    panellist.get_by_role("button", name="Send for review").click()

    expect(panellist.get_by_role("heading", level=1)).to_have_text(title)
    told = panellist.get_by_role("status")
    expect(told).to_contain_text(PHONE_HOLD)
    expect(told).to_contain_text("Thank you! Your post is waiting for a coordinator, usually within a day.")
    expect(panellist.get_by_role("main")).to_contain_text(PENDING_STATUS)
    assert_good_page(panellist, "journey3-held-post")
    post_url = panellist.url

    coordinator = page_as(YOUTH_COORDINATOR)
    coordinator.goto("/")
    coordinator.get_by_role("link", name=re.compile(r"waits? for your decision")).first.click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = coordinator.get_by_role("article").filter(
        has=coordinator.get_by_role("heading", level=2, name=title, exact=True))
    expect(item).to_contain_text("Phone number")
    expect(item).to_contain_text("694 123 4567")
    assert_good_page(coordinator, "journey3-moderation-queue")
    item.locator("summary", has_text="Decide…").click()
    item.get_by_label("Approve", exact=True).check()
    item.get_by_role("button", name="Save decision").click()
    expect(coordinator.get_by_role("status").first).to_contain_text(f"Decided: “{title}”.")
    expect(coordinator.get_by_role("heading", level=2, name=title, exact=True)).to_have_count(0)

    panellist.goto("/")
    expect(panellist.get_by_role("region", name="Latest notifications")).to_contain_text(f"“{title}” is published")
    panellist.goto(post_url)
    expect(panellist.get_by_role("heading", level=1)).to_have_text(title)
    expect(panellist.get_by_role("main")).not_to_contain_text(PENDING_STATUS)
    panellist.get_by_role("link", name=PANEL).click()
    expect(panellist.get_by_role("main").get_by_role("link", name=title)).to_be_visible()
