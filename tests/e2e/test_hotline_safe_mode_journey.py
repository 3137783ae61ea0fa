"""Journey: the Hotlines forum's safe mode, and reporting a post. A hotline analyst opens the
Hotlines composer, is reminded never to post suspected illegal material or identifying details,
and posts a topic with a URL and a Markdown image: the topic shows the URL defanged, with no
link to it and no image. A helpline member, who is not hotline staff, gets a 404 for that topic
and does not see the forum listed. A helpline member reports a colleague's post in the Helplines
forum with a reason; the network coordinator finds the report in the moderation queue."""

import re
import time

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, HOTLINE_MEMBER, NETWORK_COORDINATOR, ORG_ADMIN
from .forum_steps import path_of, start_topic
from .layout import assert_good_page
from .locators import card_titled

REPORTER_NAME = "Giorgos"  # HELPLINE_MEMBER


def _stamp() -> str:
    return time.strftime("%H%M%S")


def test_the_hotlines_composer_warns_and_the_topic_shows_links_defanged_and_no_images(page_as, browsing):
    stamp = _stamp()
    title = f"Takedown times for a file host {stamp}"
    analyst = page_as(HOTLINE_MEMBER)
    analyst.goto("/forums/")
    analyst.get_by_role("region", name="Forums").get_by_role("link", name="Hotlines", exact=True).click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text("Hotlines")
    expect(analyst.get_by_role("heading", level=1)).to_contain_text("Safe mode")
    analyst.get_by_role("link", name="New topic").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text("New topic in Hotlines")
    reminder = analyst.get_by_role("note")
    expect(reminder).to_contain_text("Safe mode:")
    expect(reminder).to_contain_text("Never post suspected illegal material")
    expect(reminder).to_contain_text("anything that identifies a victim, a reporter or a suspect")
    assert_good_page(analyst, "hotline-new-topic")

    analyst.get_by_label("Title").fill(title)
    analyst.get_by_label("Opening post").fill(
        f"Case {stamp}: the host removed https://example.com/path/gallery within 3 days.\n\n"
        "![x](https://example.com/a.png)\n\n"
        "Their abuse desk is listed on [their contact page](https://example.com/abuse.html)."
    )
    analyst.get_by_label("E-crime", exact=True).check()
    analyst.get_by_role("button", name="Start topic").click()

    expect(analyst.get_by_role("heading", level=1)).to_have_text(title)
    expect(analyst.get_by_role("main")).to_contain_text("Safe mode: links are defanged")
    post = analyst.locator("article#post-1")
    expect(post).to_contain_text("the host removed hxxps://example[.]com/path/gallery within 3 days")
    expect(post).to_contain_text("their contact page [hxxps://example[.]com/abuse[.]html]")
    # Nothing in the post can be clicked through to the host or loads from it.
    expect(post.locator('a[href*="example"]')).to_have_count(0)
    expect(analyst.locator('a[href*="example"]')).to_have_count(0)
    expect(post.get_by_role("link", name="their contact page")).to_have_count(0)
    # Nor does it look clickable: the former link text reads like the text around it.
    former_link = post.get_by_text("their contact page", exact=True)
    expect(former_link).to_have_css("text-decoration-line", "none")
    expect(former_link).to_have_css("color", former_link.evaluate("span => getComputedStyle(span.parentElement).color"))
    expect(post.locator("img")).to_have_count(0)
    expect(analyst.locator('img[src*="example"]')).to_have_count(0)
    assert not [url for url in browsing.escaped_requests if "example.com" in url], browsing.escaped_requests
    # The reply composer under the topic carries the same reminder.
    expect(analyst.locator("#reply").get_by_role("note")).to_contain_text("Never post suspected illegal material")
    assert_good_page(analyst, "hotline-topic-defanged")
    topic_path = path_of(analyst)
    post_link = post.get_by_role("link", name="Link to post 1").get_attribute("href")

    # A helpline member is not hotline staff: for them the forum and its topics do not exist.
    member = page_as(HELPLINE_MEMBER)
    for path in (topic_path, post_link, "/forums/f/hotlines/", "/forums/f/hotlines/new/"):
        response = member.goto(path)
        assert response.status == 404, f"{path} answered {response.status} to a helpline member"
        # (The e2e server runs with DEBUG on, so this is Django's technical 404 page: its text is not ours.)
        assert title not in member.content(), f"{path} shows the hotline topic's title to a helpline member"
    member.goto("/forums/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    expect(member.get_by_role("main").get_by_role("link", name="Hotlines", exact=True)).to_have_count(0)
    expect(member.get_by_role("main")).not_to_contain_text(title)
    member.goto(f"/forums/search/?q={stamp}")
    expect(member.get_by_role("main").get_by_role("link", name=title)).to_have_count(0)


def test_a_member_reports_a_post_and_the_coordinator_finds_it_in_the_moderation_queue(page_as):
    stamp = _stamp()
    title = f"Sharing a caller's story in training {stamp}"
    note = f"It names the caller's school ({stamp})."
    author = page_as(ORG_ADMIN)
    topic_path = start_topic(author, "/forums/f/helplines/", "Helplines", title,
                             "In training we retell the story of the girl from the school by the port.")
    # Authors cannot report their own post.
    expect(author.locator("article#post-1").get_by_role("link", name=re.compile("^Report"))).to_have_count(0)

    member = page_as(HELPLINE_MEMBER)
    member.goto(topic_path)
    member.locator("article#post-1").get_by_role("link", name="Report post 1").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Report to the moderators")
    expect(member.get_by_role("main")).to_contain_text(f"You are reporting content in “{title}”")
    expect(member.get_by_role("main")).to_contain_text("The author is not told who reported it.")
    reasons = member.get_by_role("group", name="What is wrong?")
    reasons.get_by_label("Personal information").check()
    member.get_by_label("Anything moderators should know (optional)").fill(note)
    assert_good_page(member, "flag-form")
    member.get_by_role("button", name="Send report").click()
    expect(member.get_by_role("heading", level=1)).to_have_text(title)
    expect(member.get_by_role("status").first).to_contain_text("Thank you. Moderators will look at this post.")
    # The post stays up: one report does not hide it.
    expect(member.locator("article#post-1")).to_contain_text("the girl from the school by the port")

    # Reporting it twice is answered kindly, not counted twice.
    member.locator("article#post-1").get_by_role("link", name="Report post 1").click()
    member.get_by_role("group", name="What is wrong?").get_by_label("Spam").check()
    member.get_by_role("button", name="Send report").click()
    expect(member.get_by_role("status").first).to_contain_text("You have already reported this.")

    coordinator = page_as(NETWORK_COORDINATOR)
    coordinator.goto("/")
    coordinator.get_by_role("link", name=re.compile(r"^Moderation")).first.click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = card_titled(coordinator, title)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("1 flag")
    expect(item).to_contain_text(f"Personal information: {note}")
    expect(item).to_contain_text(REPORTER_NAME)
    expect(item).to_contain_text("the girl from the school by the port")
    assert_good_page(coordinator, "flag-moderation-queue")
