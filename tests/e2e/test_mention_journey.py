"""Journey 2: a member starts a topic in the Helplines forum and @mentions a colleague, whose open
dashboard shows the bell count change through the websocket, without a reload; the colleague
opens the notification and lands on the post. Run once with the mouse, once by keyboard alone."""

import json
import re

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, ORG_ADMIN, assert_accessible
from .forum_steps import expect_on_opening_post, unique
from .keyboard import assert_focus_visible, focus_state, is_focused, tab_to
from .layout import assert_good_page

AUTHOR_NAME = "Giorgos"  # HELPLINE_MEMBER
MENTIONED_NAME = "Eleni"  # ORG_ADMIN, also a helpline member, so she reads the Helplines forum
# Polling, the websocket's fallback, waits at least 30 s: a change within this time came by socket.
PUSH_TIMEOUT_MS = 10_000


class WatchedDashboard:
    """The mentioned member's dashboard, left open: its bell, what its websocket receives, and a
    marker that a reload would wipe."""

    def __init__(self, page):
        self.page = page
        self.frames: list[str] = []
        with page.expect_websocket(lambda ws: ws.url.endswith("/ws/notifications/")) as socket_info:
            page.goto("/")
        socket_info.value.on("framereceived", lambda payload: self.frames.append(str(payload)))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome back, {MENTIONED_NAME}")
        self.bell = page.locator("[data-notification-bell]")
        self.badge = self.bell.locator("[data-notification-count]")
        # The script's first feed request sets the count; after it the badge is the live count.
        page.wait_for_load_state("networkidle")
        self.unread_before = self.unread()
        page.evaluate("() => { window.e2eNotReloaded = true; }")

    def unread(self) -> int:
        if not self.badge.is_visible():
            return 0
        return int(re.match(r"\d+", self.badge.inner_text()).group(0))

    def expect_pushed(self, title: str) -> None:
        expect(self.badge).to_have_text(re.compile(rf"^{self.unread_before + 1}\b"), timeout=PUSH_TIMEOUT_MS)
        expect(self.bell).to_have_accessible_name(re.compile(rf"Notifications\s+{self.unread_before + 1}\s+unread"))
        # Screen readers hear it too, through the live region.
        expect(self.page.locator("#live-region")).to_have_text(f"New notification: {title}")
        assert self.page.evaluate("() => window.e2eNotReloaded === true"), "the dashboard was reloaded"
        pushed = [json.loads(frame) for frame in self.frames]
        assert any(message.get("type") == "notification" and message["notification"]["title"] == title
                   for message in pushed), pushed


def _mention_title(topic_title: str) -> str:
    return f"{AUTHOR_NAME} mentioned you in “{topic_title}”"


def _expect_on_the_post(page, topic_title: str, body_snippet: str) -> None:
    expect_on_opening_post(page, topic_title, body_snippet, AUTHOR_NAME)


def test_a_mentioned_member_sees_the_bell_change_live_and_lands_on_the_post(page_as):
    topic_title = unique("Escalation paths for sextortion cases")
    body = f"@{MENTIONED_NAME} could you share how your counsellors escalate sextortion cases to the platforms?"

    colleague = WatchedDashboard(page_as(ORG_ADMIN))
    assert_good_page(colleague.page, "journey2-dashboard")

    author = page_as(HELPLINE_MEMBER)
    author.goto("/")
    author.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    assert_good_page(author, "journey2-forums")
    author.get_by_role("link", name="Helplines", exact=True).first.click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Helplines")
    assert_good_page(author, "journey2-forum-helplines")
    author.get_by_role("link", name="New topic").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("New topic in Helplines")
    assert_good_page(author, "journey2-new-topic")
    author.get_by_label("Title").fill(topic_title)
    author.get_by_label("Opening post").fill(body)
    author.get_by_label("Sextortion", exact=True).check()
    author.get_by_role("button", name="Start topic").click()

    expect(author.get_by_role("heading", level=1)).to_have_text(topic_title)
    expect(author.locator("article#post-1")).to_contain_text("could you share how your counsellors escalate")
    assert_good_page(author, "journey2-topic")

    colleague.expect_pushed(_mention_title(topic_title))
    colleague.bell.click()
    menu = colleague.page.locator("#notification-menu")
    expect(menu).to_be_visible()
    # The open menu on a phone is checked in test_pages.py, apart from this journey.
    assert_accessible(colleague.page)
    menu.get_by_role("link", name=_mention_title(topic_title)).click()
    _expect_on_the_post(colleague.page, topic_title, "could you share how your counsellors escalate")
    # Opening it read it: the next page's bell is back where it was.
    colleague.page.reload()
    assert WatchedDashboard.unread(colleague) == colleague.unread_before


def _press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_mention_journey_by_keyboard_alone(page_as):
    topic_title = unique("Keyboard-only: helpline rota for the holidays")
    body = f"@{MENTIONED_NAME} who covers the chat on the 26th?"

    colleague = WatchedDashboard(page_as(ORG_ADMIN))

    author = page_as(HELPLINE_MEMBER)
    author.goto("/")
    # The skip link comes first and takes the focus past the header into <main>.
    author.keyboard.press("Tab")
    assert is_focused(author.get_by_role("link", name="Skip to main content"))
    assert_focus_visible(author)
    author.keyboard.press("Enter")
    author.keyboard.press("Tab")
    assert author.evaluate("() => !!document.activeElement.closest('main')"), focus_state(author)

    # The header's navigation is reached again from the top of the page.
    author.goto("/")
    tab_to(author, author.get_by_role("navigation", name="Main").get_by_role("link", name="Forums"))
    _press_enter_and_wait(author)
    expect(author.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    tab_to(author, author.get_by_role("main").get_by_role("link", name="Helplines", exact=True).first)
    _press_enter_and_wait(author)
    expect(author.get_by_role("heading", level=1)).to_have_text("Helplines")
    tab_to(author, author.get_by_role("link", name="New topic"))
    _press_enter_and_wait(author)
    expect(author.get_by_role("heading", level=1)).to_have_text("New topic in Helplines")

    tab_to(author, author.get_by_label("Title"))
    author.keyboard.type(topic_title)
    tab_to(author, author.get_by_label("Opening post"))
    author.keyboard.type(body)
    tab_to(author, author.get_by_label("Sextortion", exact=True))
    author.keyboard.press("Space")
    expect(author.get_by_label("Sextortion", exact=True)).to_be_checked()
    tab_to(author, author.get_by_role("button", name="Start topic"))
    _press_enter_and_wait(author)
    expect(author.get_by_role("heading", level=1)).to_have_text(topic_title)

    # On the topic, the post's own actions and the reply box are within reach.
    post = author.locator("article#post-1")
    tab_to(author, post.get_by_role("link", name=re.compile(r"^Edit")))
    tab_to(author, author.get_by_label("Your reply"))
    tab_to(author, author.get_by_role("button", name="Post reply"))

    colleague.expect_pushed(_mention_title(topic_title))
    page = colleague.page
    tab_to(page, colleague.bell)
    with page.expect_response(lambda response: "/notifications/feed/" in response.url):
        page.keyboard.press("Enter")
    # The menu re-renders its list when the feed answers; a person reads it before moving on.
    # (Tabbing in before the answer loses the focus: see test_keyboard.py.)
    page.wait_for_timeout(300)
    menu = page.locator("#notification-menu")
    expect(menu).to_be_visible()
    expect(colleague.bell).to_have_attribute("aria-expanded", "true")
    link = menu.get_by_role("link", name=_mention_title(topic_title))
    tab_to(page, link, max_presses=25)
    _press_enter_and_wait(page)
    _expect_on_the_post(page, topic_title, "who covers the chat on the 26th?")
