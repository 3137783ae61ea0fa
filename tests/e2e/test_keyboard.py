"""Keyboard-only use: the skip link, a visible focus at every stop, and a tab order that reaches
the main actions."""

import re

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, HELPLINE_MEMBER, ORG_ADMIN
from .keyboard import assert_focus_visible, focus_state, is_focused, tab_to


def test_the_skip_link_is_the_first_tab_stop_and_jumps_to_the_main_content(page_as):
    page = page_as(ORG_ADMIN)
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip_link)
    assert_focus_visible(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    # The next stop is inside <main>, past the header's navigation.
    assert page.evaluate("() => !!document.activeElement.closest('main')"), focus_state(page)


def test_a_member_signs_in_and_filters_the_directory_with_the_keyboard_alone(browsing):
    page = browsing.new_page()
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(HELPLINE_MEMBER)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome back"))

    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Members"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    tab_to(page, page.get_by_label("Name"))
    page.keyboard.type("Eleni")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=Eleni"))
    results = page.get_by_role("main").get_by_role("listitem")
    expect(results).to_have_count(1)
    tab_to(page, results.get_by_role("link", name="Eleni"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eleni")


def test_an_org_admin_reaches_approve_and_reject_of_a_request_with_the_keyboard(page_as):
    page = page_as(ORG_ADMIN)
    page.goto("/memberships/requests/")
    request_card = page.get_by_role("article").filter(has_text="Dimitra")
    tab_to(page, request_card.get_by_role("button", name="Approve Dimitra"))
    reject = request_card.locator("summary", has_text="Reject")
    tab_to(page, reject)
    page.keyboard.press("Enter")
    reason = request_card.get_by_label("Reason (shown to the applicant)")
    expect(reason).to_be_visible()
    tab_to(page, reason)
    tab_to(page, request_card.get_by_role("button", name="Reject with this reason"))


def test_the_account_menu_opens_and_reaches_sign_out_from_the_keyboard(page_as):
    page = page_as(HELPLINE_MEMBER)
    page.goto("/profile/")
    menu = page.locator("summary", has_text="Giorgos")
    tab_to(page, menu)
    page.keyboard.press("Enter")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    # Not pressed: the stored session is shared with other tests.
    tab_to(page, sign_out)


def test_the_focus_stays_in_the_notification_menu_while_its_list_loads(page_as):
    page = page_as(HELPLINE_MEMBER)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    bell = page.locator("[data-notification-bell]")
    tab_to(page, bell)
    with page.expect_response(lambda response: "/notifications/feed/" in response.url):
        page.keyboard.press("Enter")
        # A quick keyboard user moves into the menu before the feed has answered.
        page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert_focus_visible(page)
    assert page.evaluate("() => !!document.activeElement.closest('#notification-menu')"), focus_state(page)
