"""The accessibility statement is reachable from every page and describes what this suite checks."""

from playwright.sync_api import expect

from .layout import WIDTHS


def test_the_accessibility_statement_is_linked_from_the_footer_and_states_what_is_tested(browsing):
    page = browsing.new_page()
    page.goto("/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    statement = page.get_by_role("main")
    expect(statement).to_contain_text("WCAG) 2.1 at level AA")
    expect(statement).to_contain_text("axe-core")
    expect(statement).to_contain_text("skip to main content")
    for width in WIDTHS.values():
        expect(statement).to_contain_text(f"{width} pixels wide")
    for section in ("How we test", "Known gaps", "Contact"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
