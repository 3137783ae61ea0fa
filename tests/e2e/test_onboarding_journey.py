"""Journey 1: a newcomer signs up, verifies their email, asks to join an organisation, and is
let in by that organisation's admin — each in their own browser."""

import re

from playwright.sync_api import expect

from .conftest import ORG_ADMIN, assert_accessible, sign_up_and_verify

NEWCOMER_EMAIL = "sofia.e2e@example.org"
NEWCOMER_NAME = "Sofia Journey"
ORGANISATION = "Hellenic Helpline for Children Online"


def test_newcomer_signs_up_verifies_joins_and_gets_in_once_the_org_admin_approves(browsing, page_as, live_app):
    newcomer = browsing.new_page()
    newcomer.goto("/")
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/"))
    sign_up_and_verify(newcomer, live_app, email=NEWCOMER_EMAIL, display_name=NEWCOMER_NAME,
                       password="a-Long-and-unusual-passphrase-42", check=assert_accessible)

    assert_accessible(newcomer)
    newcomer.get_by_label("Country").select_option(label="Greece")
    newcomer.get_by_label("Organisation name").fill("Hellenic")
    newcomer.get_by_role("button", name="Search").click()
    newcomer.get_by_role("link", name=f"Join {ORGANISATION}").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"Join {ORGANISATION}")
    assert_accessible(newcomer)
    newcomer.get_by_label("Job title").fill("Helpline counsellor")
    newcomer.get_by_role("button", name="Send my request").click()

    expect(newcomer).to_have_url(re.compile(r"/onboarding/waiting/$"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(re.compile("waiting for approval"))
    assert_accessible(newcomer)
    # Members-only pages stay closed while the request waits.
    newcomer.goto("/members/")
    expect(newcomer).to_have_url(re.compile(r"/onboarding/waiting/$"))

    admin = page_as(ORG_ADMIN)
    admin.goto("/memberships/requests/")
    request_card = admin.get_by_role("article").filter(has_text=NEWCOMER_NAME)
    expect(request_card).to_contain_text(ORGANISATION)
    expect(request_card).to_contain_text("Helpline counsellor")
    assert_accessible(admin)
    request_card.get_by_role("button", name=f"Approve {NEWCOMER_NAME}").click()
    expect(admin.get_by_role("status")).to_contain_text(f"{NEWCOMER_NAME} is now a member.")
    expect(admin.get_by_role("article").filter(has_text=NEWCOMER_NAME)).to_have_count(0)

    # No sign-out needed: the open session gets access at its next navigation.
    newcomer.goto("/members/")
    expect(newcomer).to_have_url(re.compile(r"/members/$"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Members")
    newcomer.get_by_role("link", name="SIC Community").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"Welcome back, {NEWCOMER_NAME}")
    expect(newcomer.get_by_role("navigation", name="Main")).to_be_visible()
    expect(newcomer.get_by_role("region", name="Latest notifications")).to_contain_text(
        f"Your membership of {ORGANISATION} is approved")
    live_app.wait_for_mail(NEWCOMER_EMAIL, "is approved")
