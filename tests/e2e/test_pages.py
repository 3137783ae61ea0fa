"""Quality bars on every main page reachable today: WCAG 2.1 AA by axe-core, no horizontal scroll
on a phone or a desktop (with screenshots of both as artifacts), and nothing loaded from outside
the app (the `browsing` fixture fails a test whose pages request anything off loopback)."""

import pytest

from .conftest import ARTIFACTS, assert_accessible
from .pages import ANONYMOUS, MAIN_PAGES, NEWCOMER

WIDTHS = {"phone": 375, "desktop": 1280}


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
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        folder = ARTIFACTS / "screens" / width_name
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{main_page.id}.png"), full_page=True)
        overflow = page.evaluate(OVERFLOW_SCRIPT)
        assert overflow["scroll"] <= overflow["width"], f"{page.url} scrolls sideways at {width}px: {overflow}"


# The page's scroll width against the viewport, and the first few elements sticking out.
OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.visually-hidden'))
        .slice(0, 5).map(el => el.outerHTML.slice(0, 120));
    return {scroll: document.documentElement.scrollWidth, width, wide};
}"""
