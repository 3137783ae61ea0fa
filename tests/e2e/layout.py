"""Pages fit a phone and a desktop: no horizontal scrolling at 375 px and 1280 px, with a
screenshot of each width kept under var/e2e/screens/ for a human to look at."""

import re

from .conftest import ARTIFACTS, assert_accessible

WIDTHS = {"phone": 375, "desktop": 1280}

# The page's scroll width against the viewport, and the first few elements sticking out on the
# right (they make the page scroll sideways) or on the left (out of reach: no scrolling gets there).
OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    // checkVisibility() is false inside a closed <details> and under display: none.
    const shown = el => !el.closest('.visually-hidden') && el.checkVisibility({visibilityProperty: true});
    const describe = els => els.slice(0, 5).map(el => el.outerHTML.slice(0, 120));
    const boxes = [...document.querySelectorAll('body *')].filter(shown)
        .map(el => [el, el.getBoundingClientRect()]).filter(([, box]) => box.width > 1 && box.height > 1);
    return {
        scroll: document.documentElement.scrollWidth, width,
        wide: describe(boxes.filter(([, box]) => box.right > width + 1).map(([el]) => el)),
        offLeft: describe(boxes.filter(([, box]) => box.left + window.scrollX < -1).map(([el]) => el)),
    };
}"""


def assert_fits_phone_and_desktop(page, name: str) -> None:
    """Screenshot `page` at both widths and fail if either scrolls sideways. The viewport is
    left as it was, so a journey carries on at its own width."""
    original = page.viewport_size
    file_name = re.sub(r"[^\w.-]+", "_", name) + ".png"
    try:
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            folder = ARTIFACTS / "screens" / width_name
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / file_name), full_page=True)
            overflow = page.evaluate(OVERFLOW_SCRIPT)
            assert overflow["scroll"] <= overflow["width"], f"{page.url} scrolls sideways at {width}px: {overflow}"
            assert not overflow["offLeft"], f"{page.url} puts content off the left edge at {width}px: {overflow}"
    finally:
        page.set_viewport_size(original)


def assert_good_page(page, name: str) -> None:
    """The bars of every page a journey visits: WCAG 2.1 AA by axe-core, then both widths."""
    assert_accessible(page)
    assert_fits_phone_and_desktop(page, name)
