"""Quality bars on every main page reachable today: WCAG 2.1 AA by axe-core, no horizontal scroll
on a phone or a desktop (with screenshots of both as artifacts), and nothing loaded from outside
the app (the `browsing` fixture fails a test whose pages request anything off loopback)."""

import pytest

from .conftest import HELPLINE_MEMBER, PENDING_APPLICANT, assert_accessible
from .layout import WIDTHS, assert_fits_phone_and_desktop
from .pages import ANONYMOUS, MAIN_PAGES, NEWCOMER


@pytest.fixture
def open_as(browsing, signed_in_state, newcomer_state):
    def open_page(account: str, width: int):
        if account == ANONYMOUS:
            state = None
        elif account == NEWCOMER:
            state = newcomer_state
        else:
            state = signed_in_state(account)
        return browsing.new_page(storage_state=state, width=width)

    return open_page


def _assert_arrived(page, main_page):
    assert "/accounts/login/" not in page.url or main_page.account == ANONYMOUS, page.url
    response_ok = page.evaluate("() => document.title.length > 0 && !!document.querySelector('main h1')")
    assert response_ok, f"{page.url} has no title or no <h1> in <main>"


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[p.id for p in MAIN_PAGES])
def test_page_has_no_serious_wcag_violations(open_as, main_page):
    page = open_as(main_page.account, WIDTHS["desktop"])
    main_page.open(page)
    _assert_arrived(page, main_page)
    assert_accessible(page)


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=[p.id for p in MAIN_PAGES])
def test_page_fits_a_phone_and_a_desktop_without_horizontal_scrolling(open_as, main_page):
    page = open_as(main_page.account, WIDTHS["desktop"])
    main_page.open(page)
    _assert_arrived(page, main_page)
    assert_fits_phone_and_desktop(page, main_page.id)


# The header's drop-down menus, opened: on a phone the header wraps, and a menu must still open
# where it can be read, not off the edge of the screen.
HEADER_MENUS = [
    ("notifications-member", HELPLINE_MEMBER, "/", "[data-notification-bell]", "#notification-menu"),
    ("account-member", HELPLINE_MEMBER, "/", "details.account-menu summary", "details.account-menu ul"),
    ("account-applicant", PENDING_APPLICANT, "/onboarding/waiting/", "details.account-menu summary",
     "details.account-menu ul"),
]


@pytest.mark.parametrize("menu_id, account, path, opener, menu", HEADER_MENUS, ids=[m[0] for m in HEADER_MENUS])
def test_an_open_header_menu_fits_a_phone_and_a_desktop(open_as, menu_id, account, path, opener, menu):
    for width in WIDTHS.values():
        page = open_as(account, width)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.locator(opener).click()
        box = page.locator(menu).bounding_box()
        assert box is not None, f"{menu} did not open"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{menu} opens outside {width}px: {box}"
        assert_fits_phone_and_desktop(page, f"menu-{menu_id}-{width}")
