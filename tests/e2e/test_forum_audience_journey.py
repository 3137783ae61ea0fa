"""Journey: a network coordinator opens a forum for helpline staff, a helpline member reads it;
the coordinator edits its audience to awareness staff, and the helpline member's next visit finds
no forum at all (404, as if it never existed)."""

import time

from playwright.sync_api import expect

from .conftest import HELPLINE_MEMBER, NETWORK_COORDINATOR
from .layout import assert_good_page

READ_AND_POST_SERVICES = "Staff of these services may read and post"


def test_a_coordinator_edits_a_forums_audience_and_a_member_who_lost_it_gets_404(page_as):
    stamp = time.strftime("%H%M%S")
    name = f"Holiday rota {stamp}"

    coordinator = page_as(NETWORK_COORDINATOR)
    coordinator.goto("/forums/")
    coordinator.get_by_role("link", name="New forum").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("New forum")
    coordinator.get_by_label("Name").fill(name)
    coordinator.get_by_label("Address").fill(f"holiday-rota-{stamp}")
    coordinator.get_by_role("group", name=READ_AND_POST_SERVICES).get_by_label("Helpline").check()
    coordinator.get_by_role("button", name="Open the forum").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(name)
    forum_path = f"/forums/f/holiday-rota-{stamp}/"

    member = page_as(HELPLINE_MEMBER)
    assert member.goto(forum_path).status == 200
    expect(member.get_by_role("heading", level=1)).to_have_text(name)

    coordinator.get_by_role("link", name="Edit forum").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"Edit {name}")
    services = coordinator.get_by_role("group", name=READ_AND_POST_SERVICES)
    expect(services.get_by_label("Helpline")).to_be_checked()
    assert_good_page(coordinator, "forum-edit")
    services.get_by_label("Helpline").uncheck()
    services.get_by_label("Awareness centre").check()
    coordinator.get_by_role("button", name="Save the forum").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(name)
    expect(coordinator.locator(".messages")).to_contain_text("The forum is saved")

    response = member.goto(forum_path)
    assert response.status == 404, f"{forum_path} answered {response.status} to a member who lost access"
    member.goto("/forums/")
    expect(member.get_by_role("main").get_by_role("link", name=name)).to_have_count(0)
