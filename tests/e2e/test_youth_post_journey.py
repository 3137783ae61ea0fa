"""Journey 3: a youth panellist writes a post with a phone number in it and is told, kindly, that
it waits for a coordinator; the national youth coordinator approves it from the moderation queue;
the panellist then sees it published. The panellist's birth year decides whether a parent's
authorisation is needed (an older year waits for the coordinator), and the panellist deletes a
post a coordinator hid."""

import datetime
import re
import time

from playwright.sync_api import expect

from .conftest import YOUTH_COORDINATOR, YOUTH_PANELLIST
from .layout import assert_good_page
from .locators import card_titled

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
    item = card_titled(coordinator, title)
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


BIRTH_YEAR = "Birth year (optional)"
THIS_YEAR = datetime.date.today().year
UNDER_GREEK_CONSENT_AGE = THIS_YEAR - 12  # the age of digital consent in Greece is 15
ABOVE_GREEK_CONSENT_AGE = THIS_YEAR - 17


def _save_birth_year(page, year):
    page.goto("/profile/")
    page.get_by_label(BIRTH_YEAR).fill(str(year))
    page.get_by_role("button", name="Save profile").click()


def test_a_panellists_birth_year_counts_for_the_parents_authorisation_and_a_coordinator_checks_an_older_one(
    page_as
):
    panellist = page_as(YOUTH_PANELLIST)
    panellist.goto("/profile/")
    expect(panellist.get_by_role("main")).to_contain_text("Only the year, never your birthday")
    _save_birth_year(panellist, THIS_YEAR + 1)
    expect(panellist.get_by_role("main")).to_contain_text("has not happened yet")
    expect(panellist.get_by_label(BIRTH_YEAR)).to_have_value(str(THIS_YEAR + 1))
    assert_good_page(panellist, "journey3-birth-year-refused")

    _save_birth_year(panellist, UNDER_GREEK_CONSENT_AGE)
    expect(panellist.get_by_role("status").first).to_contain_text("Your profile was saved.")
    expect(panellist.get_by_role("main")).to_contain_text(
        "the law in Greece says a parent or guardian must agree before you take part")
    assert panellist.goto("/youth/gr/").status == 404

    coordinator = page_as(YOUTH_COORDINATOR)
    coordinator.goto("/youth/gr/coordinate/")
    waiting = coordinator.get_by_role("region", name="Waiting for a parent's authorisation")
    waiting.get_by_label("Parent or guardian who authorised").fill("Maria D., mother")
    waiting.get_by_role("button", name="Record the parent's authorisation for Alex").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("The authorisation is recorded")

    _save_birth_year(panellist, ABOVE_GREEK_CONSENT_AGE)
    expect(panellist.get_by_role("main")).to_contain_text(
        "Your youth coordinator will check the year you gave before it counts")
    panellist.goto("/profile/")
    expect(panellist.get_by_role("main")).to_contain_text("Your youth coordinator is checking the birth year you gave")

    coordinator.goto("/youth/gr/coordinate/")
    check = coordinator.get_by_role("region", name="Birth years to check")
    expect(check).to_contain_text("Alex")
    assert_good_page(coordinator, "journey3-birth-year-to-check")
    check.get_by_role("button", name="Confirm Alex's birth year").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("Alex's birth year is confirmed.")

    panellist.goto("/profile/")
    expect(panellist.get_by_label(BIRTH_YEAR)).to_have_value(str(ABOVE_GREEK_CONSENT_AGE))
    expect(panellist.get_by_role("main")).not_to_contain_text("is checking the birth year")
    panellist.goto("/youth/gr/")
    expect(panellist.get_by_role("heading", level=1)).to_have_text(PANEL)


def test_a_panellist_deletes_their_own_post_after_a_coordinator_hid_it(page_as):
    title = f"Something I regret {time.strftime('%H%M%S')}"
    panellist = page_as(YOUTH_PANELLIST)
    panellist.goto("/youth/gr/new/")
    panellist.get_by_label("Title").fill(title)
    panellist.get_by_label("Your post").fill("Text me on 694 765 4321 if you want my old phone.")
    panellist.get_by_role("button", name="Send for review").click()
    expect(panellist.get_by_role("heading", level=1)).to_have_text(title)
    post_url = panellist.url

    coordinator = page_as(YOUTH_COORDINATOR)
    coordinator.goto("/moderation/")
    item = card_titled(coordinator, title)
    item.locator("summary", has_text="Decide…").click()
    item.get_by_label("Hide", exact=True).check()
    item.get_by_label("Reason (the author reads it)").select_option(label="Personal details")
    item.get_by_role("button", name="Save decision").click()
    expect(coordinator.get_by_role("status").first).to_contain_text(f"Decided: “{title}”.")

    panellist.goto(post_url)
    expect(panellist.get_by_role("main")).to_contain_text("Hidden by a moderator: only you and the coordinators")
    expect(panellist.get_by_role("link", name="Edit")).to_have_count(0)
    panellist.get_by_role("link", name="Delete post").click()
    expect(panellist.get_by_role("heading", level=1)).to_have_text("Delete this post?")
    assert_good_page(panellist, "journey3-delete-hidden-post")
    panellist.get_by_role("button", name="Delete", exact=True).click()
    expect(panellist.get_by_role("status").first).to_contain_text("The post is deleted.")
    expect(panellist.get_by_role("main")).not_to_contain_text(title)
    assert panellist.goto(post_url).status == 404
    coordinator.goto("/youth/gr/")
    expect(coordinator.get_by_role("main")).not_to_contain_text(title)


def test_a_panellist_deletes_their_comment_under_a_post_that_was_taken_down(page_as):
    title = f"Poster ideas {time.strftime('%H%M%S')}"
    comment = f"My cousin's school could print it {time.strftime('%H%M%S')}"
    coordinator = page_as(YOUTH_COORDINATOR)
    coordinator.goto("/youth/gr/new/")
    coordinator.get_by_label("Title").fill(title)
    coordinator.get_by_label("Your post").fill("Ideas for the Safer Internet Day poster, please.")
    coordinator.get_by_role("button", name="Send for review").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(title)
    post_url = coordinator.url

    panellist = page_as(YOUTH_PANELLIST)
    panellist.goto(post_url)
    panellist.get_by_label("Your comment").fill(comment)
    panellist.get_by_role("button", name="Send comment").click()
    expect(panellist.get_by_role("main")).to_contain_text(comment)

    coordinator.goto(post_url)
    coordinator.get_by_role("link", name="Delete post").click()
    coordinator.get_by_role("button", name="Delete", exact=True).click()
    expect(coordinator.get_by_role("status").first).to_contain_text("The post is deleted.")

    panellist.goto("/youth/")
    gone = panellist.get_by_role("region", name="Your comments under posts that are gone")
    expect(gone).to_contain_text(comment)
    expect(gone).not_to_contain_text(title)
    assert_good_page(panellist, "journey3-comments-under-gone-posts")
    gone.get_by_role("button", name="Delete this comment").click()
    expect(panellist.get_by_role("status").first).to_contain_text("The comment is deleted.")
    expect(panellist.get_by_role("heading", level=1)).to_have_text("Youth area")
    expect(panellist.get_by_role("region", name="Your comments under posts that are gone")).to_have_count(0)
