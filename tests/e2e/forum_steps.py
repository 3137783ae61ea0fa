"""Steps the forum journeys share: a title no earlier run used, a topic started through its
forum's composer, the path a page is on, and landing on a topic's opening post."""

import re
import time

from playwright.sync_api import expect


def unique(text: str) -> str:
    """`text` with the time of day, so reruns against a kept server don't meet earlier topics."""
    return f"{text} {time.strftime('%H%M%S')}"


def path_of(page) -> str:
    """The page's address without host and fragment."""
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def start_topic(page, forum_path: str, forum_name: str, title: str, body: str) -> str:
    """Start a topic from the forum page's "New topic" link; returns the topic's path."""
    page.goto(forum_path)
    page.get_by_role("link", name="New topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New topic in {forum_name}")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Opening post").fill(body)
    page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return path_of(page)


def expect_on_opening_post(page, title: str, body_snippet: str, author_name: str) -> None:
    expect(page).to_have_url(re.compile(r"/forums/t/\d+/(\?page=\d+)?#post-1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    post = page.locator("article#post-1")
    expect(post).to_contain_text(body_snippet)
    expect(post.get_by_role("heading", level=2)).to_contain_text(author_name)
