"""Moving through a page with the Tab key, checking at every stop that the focus can be seen."""

# What the focused element shows: a focus ring (outline or box-shadow) and a box on screen.
FOCUS_STATE_SCRIPT = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        html: el.outerHTML.slice(0, 120),
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
        onScreen: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
                  && box.top < window.innerHeight && box.left < window.innerWidth,
    };
}"""


def focus_state(page):
    return page.evaluate(FOCUS_STATE_SCRIPT)


def assert_focus_visible(page):
    state = focus_state(page)
    assert state is not None, "nothing has the focus"
    assert state["ring"], f"no visible focus indicator on {state['html']}"
    assert state["onScreen"], f"the focused element is off screen: {state['html']}"


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, max_presses: int = 40) -> int:
    """Press Tab until `locator` has the focus, checking that every stop on the way shows it.
    Returns how many presses it took."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if is_focused(locator):
            return presses
    raise AssertionError(f"{locator} was not reached within {max_presses} presses of Tab")
