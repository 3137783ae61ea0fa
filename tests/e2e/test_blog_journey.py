"""Journey: a helpline member opens the community blog from the forums navigation and writes an
article with a Markdown list and link, a tag and a cover image. The first file he picks is not an
image: it is refused in words, and what he wrote is still in the form. With a real picture the
article is published at once (staff are trusted, nothing waits for a moderator), showing the list,
the link (nofollow) and the served cover with its description. A colleague finds it in the blog
filtered by its tag and comments; the author's bell tells him, and the notification takes him to
the comment under his article."""

import re
import time

from PIL import Image
from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, ORG_ADMIN
from .layout import assert_good_page
from .locators import card_titled

AUTHOR_NAME = "Giorgos"  # HELPLINE_MEMBER
COMMENTER_NAME = "Eleni"  # ORG_ADMIN
TAG = "Sextortion"
OTHER_TAG = "Gaming"
COVER_ALT = "A counsellor's headset on a desk next to a helpline leaflet"
LINK_TEXT = "the Better Internet for Kids portal"
LINK_URL = "https://www.betterinternetforkids.eu/"
BODY = (
    "Over the summer our counsellors saw more sextortion contacts from boys aged 14 to 17.\n\n"
    "What helped most:\n\n"
    "- answering within the hour\n"
    "- telling the young person not to pay\n"
    "- reporting the account to the platform together\n\n"
    f"More material is on [{LINK_TEXT}]({LINK_URL})."
)
LIST_ITEMS = ["answering within the hour", "telling the young person not to pay",
              "reporting the account to the platform together"]
NOT_AN_IMAGE = "This file is not an image we can read."


def _cover_png(folder, width=240, height=120):
    path = folder / "helpline-desk.png"
    image = Image.new("RGB", (width, height), (31, 94, 160))
    for x in range(width // 3):
        for y in range(height):
            image.putpixel((x, y), (240, 180, 40))
    image.save(path, format="PNG")
    return path


def _fake_png(folder):
    path = folder / "holiday-rota.png"
    path.write_text("Rota for the holidays: Maria on the 24th, Nikos on the 26th.\n")
    return path


def test_a_blog_article_with_a_cover_is_published_commented_on_and_its_author_told(page_as, tmp_path):
    title = f"Sextortion contacts over the summer {time.strftime('%H%M%S')}"
    comment = f"Same picture here: we now answer sextortion chats first. {time.strftime('%H%M%S')}"

    # --- The author writes the article; the first file is not an image. ---
    author = page_as(HELPLINE_MEMBER)
    author.goto("/")
    author.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    author.get_by_role("navigation", name="Forums navigation").get_by_role("link", name="Blog").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Community blog")
    expect(author.get_by_role("navigation", name="Forums navigation").get_by_role("link", name="Blog")
           ).to_have_attribute("aria-current", "page")
    assert_good_page(author, "blog-list")
    author.get_by_role("link", name="Write an article").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Write an article")
    assert_good_page(author, "blog-write-article")

    author.get_by_label("Title").fill(title)
    author.get_by_label("Article").fill(BODY)
    author.get_by_label(TAG, exact=True).check()
    author.get_by_label("Cover image (optional)").set_input_files(_fake_png(tmp_path))
    author.get_by_label("Cover image description").fill(COVER_ALT)
    author.get_by_role("button", name="Publish").click()

    expect(author.get_by_role("heading", level=1)).to_have_text("Write an article")
    cover_input = author.get_by_label("Cover image (optional)")
    expect(author.get_by_role("main")).to_contain_text(NOT_AN_IMAGE)
    # A screen reader hears the refusal on the field itself, not somewhere on the page.
    expect(cover_input).to_have_accessible_description(re.compile(re.escape(NOT_AN_IMAGE)))
    expect(cover_input).to_have_attribute("aria-invalid", "true")
    # The page opens on a summary of what to correct, whose link leads to the field.
    summary = author.get_by_role("alert").filter(has_text="Please correct the field marked below")
    expect(summary).to_contain_text(NOT_AN_IMAGE)
    summary.get_by_role("link", name="Cover image (optional)").click()
    expect(cover_input).to_be_focused()
    expect(author.get_by_label("Title")).to_have_value(title)
    expect(author.get_by_label("Article")).to_have_value(BODY)
    expect(author.get_by_label(TAG, exact=True)).to_be_checked()
    expect(author.get_by_label("Cover image description")).to_have_value(COVER_ALT)
    assert_good_page(author, "blog-write-article-refused")
    # Nothing was published with the refused file.
    blog_tab = author.context.new_page()
    blog_tab.goto("/forums/blog/")
    expect(blog_tab.get_by_role("heading", level=1)).to_have_text("Community blog")
    expect(blog_tab.get_by_role("link", name=title)).to_have_count(0)
    blog_tab.close()

    cover_input.set_input_files(_cover_png(tmp_path))
    author.get_by_role("button", name="Publish").click()

    # --- The article as published. ---
    # (The summary's link left a fragment in the address; the browser keeps it through the redirect.)
    expect(author).to_have_url(re.compile(r"/forums/blog/\d+/(#id_cover_image)?$"))
    article = author.get_by_role("article", name=title)
    expect(article.get_by_role("heading", level=1)).to_have_text(title)
    expect(article).to_contain_text(AUTHOR_NAME)
    expect(author.get_by_role("main")).not_to_contain_text(re.compile("waiting for", re.I))
    body = article.locator(".post-body")
    expect(body.get_by_role("listitem")).to_have_text(LIST_ITEMS)
    link = body.get_by_role("link", name=LINK_TEXT)
    expect(link).to_have_attribute("href", LINK_URL)
    expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b"))
    expect(body).not_to_contain_text("- answering")  # the Markdown was rendered, not shown raw
    expect(article.get_by_role("link", name=TAG, exact=True)).to_be_visible()
    cover = article.get_by_role("img", name=COVER_ALT)
    expect(cover).to_be_visible()
    # The browser really loaded and decoded the picture (a broken image decodes to nothing).
    natural_width = cover.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert natural_width == 240, f"the cover image is not served (naturalWidth {natural_width})"
    assert_good_page(author, "blog-article")
    article_url = author.url.split("#")[0]

    # --- A colleague finds it by its tag and comments. ---
    colleague = page_as(ORG_ADMIN)
    colleague.goto("/")
    colleague.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    colleague.get_by_role("navigation", name="Forums navigation").get_by_role("link", name="Blog").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Community blog")
    filters = colleague.get_by_role("form", name="Filter articles")
    filters.get_by_label("Tag").select_option(label=OTHER_TAG)
    filters.get_by_role("button", name="Filter").click()
    expect(colleague).to_have_url(re.compile(r"[?&]tag=gaming"))
    expect(colleague.get_by_role("link", name=title)).to_have_count(0)
    filters = colleague.get_by_role("form", name="Filter articles")
    filters.get_by_label("Tag").select_option(label=TAG)
    filters.get_by_role("button", name="Filter").click()
    listed = card_titled(colleague, title)
    expect(listed).to_contain_text(AUTHOR_NAME)
    expect(listed).to_contain_text("0 comments")
    expect(listed.get_by_role("link", name=TAG, exact=True)).to_be_visible()
    assert_good_page(colleague, "blog-list-by-tag")
    listed.get_by_role("link", name=title).click()
    expect(colleague).to_have_url(article_url)
    expect(colleague.get_by_role("heading", level=1)).to_have_text(title)
    comments = colleague.get_by_role("region", name="Comments")
    expect(comments).to_contain_text("No comments yet.")
    colleague.get_by_label("Your comment").fill(comment)
    colleague.get_by_role("button", name="Comment", exact=True).click()

    expect(colleague).to_have_url(re.compile(r"/forums/blog/\d+/#comment-\d+$"))
    comment_id = colleague.url.rsplit("#", 1)[1]
    written = comments.locator(f"article#{comment_id}")
    expect(written.get_by_role("heading", level=3)).to_contain_text(COMMENTER_NAME)
    expect(written).to_contain_text(comment)
    expect(comments).not_to_contain_text("No comments yet.")
    expect(colleague.get_by_label("Your comment")).to_have_value("")
    assert_good_page(colleague, "blog-article-commented")
    colleague.goto("/forums/blog/")
    expect(card_titled(colleague, title)).to_contain_text(re.compile(r"\b1 comment\b"))

    # --- The author hears of it and the notification leads to the comment. ---
    notification_title = f"{COMMENTER_NAME} commented on “{title}”"
    author.goto("/")
    bell = author.locator("[data-notification-bell]")
    expect(bell).to_have_accessible_name(re.compile(r"Notifications\s+\d+\s+unread"))
    bell.click()
    menu = author.locator("#notification-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name=notification_title)).to_be_visible()
    author.goto("/notifications/")
    expect(author.get_by_role("heading", level=1)).to_have_text("Notifications")
    entry = author.get_by_role("listitem").filter(has=author.get_by_role("button", name=notification_title))
    expect(entry.get_by_text("new", exact=True)).to_be_visible()
    expect(entry).to_contain_text("Same picture here")
    expect(entry).to_contain_text(COMMENTER_NAME)
    assert_good_page(author, "blog-notifications")
    entry.get_by_role("button", name=notification_title).click()
    expect(author).to_have_url(f"{article_url}#{comment_id}")
    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    expect(author.locator(f"article#{comment_id}")).to_contain_text(comment)
    # Opening it read it: it is no longer marked new.
    author.goto("/notifications/")
    entry = author.get_by_role("listitem").filter(has=author.get_by_role("button", name=notification_title))
    expect(entry.get_by_text("new", exact=True)).to_have_count(0)
