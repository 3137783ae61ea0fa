"""Journey: a helpline member starts a topic with an unusual word in it; a colleague opens the
forums, follows the link to search, types the word and finds the topic, the word marked in its
snippet; narrowing to another forum finds nothing while the form keeps what she chose, narrowing
to the right forum finds it again, and the result takes her to the post. A hotline analyst's post
in the Hotlines forum is found by him, and not by helpline staff, who may not read that forum."""

import re
import time

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, HOTLINE_MEMBER, ORG_ADMIN, assert_accessible
from .forum_steps import expect_on_opening_post, path_of
from .layout import assert_good_page

AUTHOR_NAME = "Giorgos"  # HELPLINE_MEMBER
HOTLINE_AUTHOR_NAME = "Seán (hotline analyst)"  # HOTLINE_MEMBER
NOTHING_MATCHES = "Nothing matches. Try fewer or different words."
NOTHING_MATCHES_FILTERED = "Nothing matches. Try fewer or different words, or remove a filter."


def _unique_word(prefix: str) -> str:
    """One word no other post contains: letters, then the time, so reruns on a kept server differ."""
    return f"{prefix}{time.time_ns() // 1_000_000}"


def _start_topic(page, forum_name: str, title: str, body: str, tag: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Communities of practice")
    page.get_by_role("main").get_by_role("link", name=forum_name, exact=True).first.click()
    # Hotlines carries a "Safe mode" badge in its heading.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{re.escape(forum_name)}\b"))
    page.get_by_role("link", name="New topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New topic in {forum_name}")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Opening post").fill(body)
    page.get_by_label(tag, exact=True).check()
    page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article#post-1")).to_contain_text(body.split(".")[0])


def _open_search(page) -> None:
    """From the forums' own navigation, as a member finds it."""
    page.goto("/forums/")
    forums_nav = page.get_by_role("navigation", name="Forums navigation")
    forums_nav.get_by_role("link", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forums/search/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the forums")
    expect(forums_nav.get_by_role("link", name="Search", exact=True)).to_have_attribute("aria-current", "page")
    # Nothing searched yet: no results section.
    expect(page.get_by_role("heading", level=2)).to_have_count(0)


def _search(page, words: str, *, forum: str | None = None) -> None:
    form = page.get_by_role("search")
    form.get_by_label("Search for").fill(words)
    if forum is not None:
        form.get_by_label("Forum").select_option(label=forum)
    # A new page from the server: what the form shows after this, the server filled in again.
    with page.expect_navigation():
        form.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forums/search/\?.*q="))


def _results(page, count_heading: str):
    """The results section, named by its heading ("1 result", "0 results")."""
    section = page.get_by_role("region", name=count_heading, exact=True)
    expect(section).to_be_visible()
    expect(section.get_by_role("heading", level=2)).to_have_text(count_heading)
    return section


def _expect_one_result(page, title: str, word: str, forum_name: str, author: str):
    section = _results(page, "1 result")
    items = section.get_by_role("listitem")
    expect(items).to_have_count(1)
    link = items.get_by_role("link", name=title, exact=True)
    expect(link).to_be_visible()
    expect(items.get_by_role("heading", level=3)).to_have_text(title)
    # The word sought is marked in the snippet, and only it.
    snippet = items.locator(".snippet")
    expect(snippet.locator("mark")).to_have_text([word])
    expect(items).to_contain_text(f"{forum_name} · {author} ·")
    return link


def _expect_nothing(page, title: str, *, filtered: bool = False) -> None:
    section = _results(page, "0 results")
    # With a filter chosen, the page points at the filter as well as at the words.
    expect(section).to_contain_text(NOTHING_MATCHES_FILTERED if filtered else NOTHING_MATCHES)
    expect(section.get_by_role("listitem")).to_have_count(0)
    expect(page.get_by_role("link", name=title)).to_have_count(0)


def test_a_member_finds_a_colleagues_topic_by_a_word_filters_by_forum_and_opens_it(page_as):
    word = _unique_word("nightowlrota")
    title = f"Handover notes for the night shift {time.strftime('%H%M%S')}"
    body = (f"Counsellors tag every case still open at 22:00 with {word} so the morning shift picks it up. "
            "How do other helplines hand over between shifts?")

    author = page_as(HELPLINE_MEMBER)
    _start_topic(author, "Helplines", title, body, "Sextortion")

    reader = page_as(ORG_ADMIN)
    _open_search(reader)
    assert_good_page(reader, "search-empty-form")

    # Typing the word and pressing Enter searches, as the button does.
    search_for = reader.get_by_role("search").get_by_label("Search for")
    forum_select = reader.get_by_role("search").get_by_label("Forum")
    search_for.fill(word)
    with reader.expect_navigation():
        search_for.press("Enter")
    link = _expect_one_result(reader, title, word, "Helplines", AUTHOR_NAME)
    expect(search_for).to_have_value(word)
    expect(forum_select.locator("option:checked")).to_have_text("All forums")
    assert_good_page(reader, "search-results")

    # Another forum: nothing there, and the form still shows the word and the forum chosen.
    _search(reader, word, forum="Awareness raising")
    _expect_nothing(reader, title, filtered=True)
    expect(search_for).to_have_value(word)
    expect(forum_select).to_have_value("awareness")
    expect(forum_select.locator("option:checked")).to_have_text("Awareness raising")
    assert_good_page(reader, "search-no-results")

    # The topic's own forum finds it again.
    _search(reader, word, forum="Helplines")
    link = _expect_one_result(reader, title, word, "Helplines", AUTHOR_NAME)
    expect(forum_select.locator("option:checked")).to_have_text("Helplines")

    link.click()
    expect_on_opening_post(reader, title, word, AUTHOR_NAME)


def test_a_hotline_post_is_found_by_hotline_staff_and_not_by_helpline_staff(page_as):
    word = _unique_word("mirrorhash")
    title = f"Hash lists for repeat uploads {time.strftime('%H%M%S')}"
    body = (f"We matched three repeat uploads this week against the list we call {word}. "
            "Which hash lists do other hotlines check first?")

    analyst = page_as(HOTLINE_MEMBER)
    _start_topic(analyst, "Hotlines", title, body, "E-crime")
    topic_path = path_of(analyst)

    _open_search(analyst)
    _search(analyst, word, forum="Hotlines")
    _expect_one_result(analyst, title, word, "Hotlines", HOTLINE_AUTHOR_NAME)

    helpline = page_as(HELPLINE_MEMBER)
    _open_search(helpline)
    # The forums they may not read are not even offered as a filter.
    options = helpline.get_by_role("search").get_by_label("Forum").locator("option")
    expect(options.filter(has_text="Hotlines")).to_have_count(0)
    expect(options.filter(has_text="Helplines")).to_have_count(1)
    _search(helpline, word)
    _expect_nothing(helpline, title)
    expect(helpline.get_by_text(word, exact=False)).to_have_count(0)
    assert_accessible(helpline)

    # Naming the forum in the address does not open it either.
    helpline.goto(f"/forums/search/?q={word}&forum=hotlines")
    expect(helpline.get_by_role("heading", level=1)).to_have_text("Search the forums")
    # The forum is refused as if it did not exist, and no search runs.
    expect(helpline.get_by_role("search")).to_contain_text("Select a valid choice")
    expect(helpline.get_by_role("region", name=re.compile(r"results?$"))).to_have_count(0)
    expect(helpline.get_by_role("link", name=title)).to_have_count(0)
    expect(helpline.get_by_role("main")).not_to_contain_text("We matched three repeat uploads")
    # Nor does the topic's own address.
    response = helpline.goto(topic_path)
    assert response.status == 404, f"{topic_path} answered {response.status} to helpline staff"
