"""Journey: a helpline member's reading and writing habits in the forums. Giorgos starts a reply,
sees it saved as a draft while he types, finds it again after a reload and on another device,
and posting it empties the composer everywhere. When Eleni replies in a topic he has read, his
forum page and the Unread list count the new posts, the topic's link lands on the first new
one, and "Mark all as read" clears the count. Watching a topic brings Eleni's next reply to his
notifications; muting it keeps the one after that away."""

import re

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, ORG_ADMIN
from .forum_steps import start_topic, unique
from .layout import assert_good_page

READER_NAME = "Giorgos"  # HELPLINE_MEMBER
COLLEAGUE_NAME = "Eleni"  # ORG_ADMIN, same helpline, reads and posts in the Helplines forum
FORUM = "Helplines"
FORUM_PATH = "/forums/f/helplines/"
DRAFTS_URL = "/forums/drafts/"


def _start_topic(page, title: str, body: str) -> str:
    return start_topic(page, FORUM_PATH, FORUM, title, body)


def _reply(page, topic_path: str, body: str) -> None:
    page.goto(topic_path)
    page.get_by_label("Your reply").fill(body)
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    expect(page.locator("article.post").last).to_contain_text(body)


def _topic_row(page, title: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def _draft_saved(page):
    return page.locator("[data-draft-status]")


# --- Drafts --------------------------------------------------------------------------------

def test_a_reply_draft_survives_a_reload_and_another_device_and_posting_clears_it(page_as):
    title = unique("Referral forms for school counsellors")
    colleague = page_as(ORG_ADMIN)
    topic_path = _start_topic(colleague, title, "Which referral form do your counsellors send to schools?")

    laptop = page_as(HELPLINE_MEMBER)
    laptop.goto(topic_path)
    composer = laptop.get_by_label("Your reply")
    expect(composer).to_have_value("")
    first_part = "We use the national template, with the child's consent noted at the top."
    with laptop.expect_response(lambda r: r.url.endswith(DRAFTS_URL) and r.request.method == "POST") as saved:
        composer.press_sequentially(first_part)
    assert saved.value.ok, f"the draft was refused: {saved.value.status} {saved.value.text()}"
    expect(_draft_saved(laptop)).to_have_text("Draft saved.")
    assert_good_page(laptop, "reading-draft-saved")

    laptop.reload()
    expect(laptop.get_by_label("Your reply")).to_have_value(first_part)

    # The same member on another device (a second browser) finds the draft and carries on.
    phone = page_as(HELPLINE_MEMBER, width=375, height=800)
    phone.goto(topic_path)
    phone_composer = phone.get_by_label("Your reply")
    expect(phone_composer).to_have_value(first_part)
    second_part = " Happy to share ours."
    phone_composer.press("Control+End")
    with phone.expect_response(lambda r: r.url.endswith(DRAFTS_URL) and r.request.method == "POST"):
        phone_composer.press_sequentially(second_part)
    expect(_draft_saved(phone)).to_have_text("Draft saved.")

    laptop.reload()
    expect(laptop.get_by_label("Your reply")).to_have_value(first_part + second_part)

    laptop.get_by_role("button", name="Post reply").click()
    expect(laptop).to_have_url(re.compile(r"#post-2$"))
    expect(laptop.locator("article#post-2")).to_contain_text("Happy to share ours.")
    expect(laptop.get_by_label("Your reply")).to_have_value("")
    laptop.reload()
    expect(laptop.get_by_label("Your reply")).to_have_value("")
    phone.reload()
    expect(phone.get_by_label("Your reply")).to_have_value("")


def test_a_draft_typed_just_before_leaving_the_page_is_not_lost(page_as):
    """The composer saves every 1.5 s of quiet and once more when the page goes away: text typed
    right before a reload (or closing the tab) must come back too."""
    title = unique("Night shift handover notes")
    colleague = page_as(ORG_ADMIN)
    topic_path = _start_topic(colleague, title, "How do you hand over open chats at the end of a night shift?")

    member = page_as(HELPLINE_MEMBER)
    member.goto(topic_path)
    text = "A shared checklist, read aloud at the handover."
    member.get_by_label("Your reply").fill(text)
    member.reload()
    expect(member.get_by_label("Your reply")).to_have_value(text)
    # The page says what happened and makes sure the server has the text too.
    expect(_draft_saved(member)).to_have_text("Draft saved.")
    other_device = page_as(HELPLINE_MEMBER)
    other_device.goto(topic_path)
    expect(other_device.get_by_label("Your reply")).to_have_value(text)


# --- Unread tracking -----------------------------------------------------------------------

def test_new_replies_show_as_unread_lead_to_the_first_new_post_and_mark_all_read_clears_them(page_as):
    title = unique("Platform escalation contacts for 2027")
    colleague = page_as(ORG_ADMIN)
    topic_path = _start_topic(colleague, title, "Please check the list of escalation contacts before January.")

    member = page_as(HELPLINE_MEMBER)
    member.goto(topic_path)
    expect(member.get_by_role("heading", level=1)).to_have_text(title)

    _reply(colleague, topic_path, "The gaming platform changed its trust and safety address in November.")
    _reply(colleague, topic_path, "And the video app now answers escalations within 24 hours.")

    member.goto(FORUM_PATH)
    row = _topic_row(member, title)
    expect(row).to_contain_text("2 unread")
    assert_good_page(member, "reading-forum-unread")

    member.goto("/forums/")
    member.get_by_role("navigation", name="Forums navigation").get_by_role("link", name="Unread").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Unread topics")
    expect(_topic_row(member, title)).to_contain_text("2 unread")
    assert_good_page(member, "reading-unread-list")

    # The topic's link jumps to the first post he has not read, not to the top or the end.
    member.goto(FORUM_PATH)
    _topic_row(member, title).get_by_role("link", name=title, exact=True).click()
    expect(member).to_have_url(re.compile(r"/forums/t/\d+/(\?page=\d+)?#post-2$"))
    first_new = member.locator("article#post-2")
    expect(first_new).to_contain_text("changed its trust and safety address")
    expect(first_new.locator(".unread-marker")).to_have_text("New")
    expect(member.locator("article#post-1 .unread-marker")).to_have_count(0)
    assert_good_page(member, "reading-first-unread")

    # Read: the count is gone.
    member.goto(FORUM_PATH)
    expect(_topic_row(member, title)).not_to_contain_text("unread")

    _reply(colleague, topic_path, "Last one: the messaging app's contact is now a web form.")
    member.goto(FORUM_PATH)
    expect(_topic_row(member, title)).to_contain_text("1 unread")
    member.get_by_role("button", name="Mark all as read").click()
    expect(member.get_by_role("status").first).to_contain_text("Everything is marked as read.")
    expect(member.get_by_role("heading", level=1)).to_have_text(FORUM)
    expect(_topic_row(member, title)).not_to_contain_text("unread")
    member.goto("/forums/topics/?show=unread")
    expect(member.get_by_role("link", name=title, exact=True)).to_have_count(0)
    # Marked as read means read on the topic page too: no post there is still flagged "New".
    member.goto(topic_path)
    expect(member.locator("article#post-4")).to_contain_text("the messaging app's contact is now a web form")
    expect(member.locator("article#post-4 .unread-marker")).to_have_count(0)


# --- Watching and muting -------------------------------------------------------------------

def _set_notification_level(page, level_label: str) -> None:
    level = page.get_by_role("combobox", name="Notifications")
    level.select_option(label=level_label)
    page.locator("form").filter(has=level).get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Your notification level for this topic is saved.")
    expect(page.get_by_role("combobox", name="Notifications")).to_have_value(
        {"Watching: every new post": "watching", "Muted: no notifications": "muted"}[level_label])


def test_watching_a_topic_brings_new_replies_to_notifications_and_muting_it_stops_them(page_as):
    title = unique("Counsellor wellbeing after hard chats")
    colleague = page_as(ORG_ADMIN)
    topic_path = _start_topic(colleague, title, "What does your helpline offer counsellors after a hard chat?")
    watched_reply = "We have a fifteen-minute debrief with the shift lead."
    muted_reply = "We also pay for external supervision once a month."

    member = page_as(HELPLINE_MEMBER)
    member.goto(topic_path)
    _set_notification_level(member, "Watching: every new post")
    assert_good_page(member, "reading-topic-watching")
    _reply(colleague, topic_path, watched_reply)
    member.goto("/notifications/")
    notifications = member.get_by_role("main")
    expect(notifications).to_contain_text(f"{COLLEAGUE_NAME} posted in “{title}”")
    expect(notifications).to_contain_text(watched_reply)

    member.goto(topic_path)
    _set_notification_level(member, "Muted: no notifications")
    member.goto(FORUM_PATH)
    expect(_topic_row(member, title)).to_contain_text("Muted")
    _reply(colleague, topic_path, muted_reply)
    member.goto("/notifications/")
    notifications = member.get_by_role("main")
    expect(notifications).to_contain_text(watched_reply)
    expect(notifications).not_to_contain_text(muted_reply)
