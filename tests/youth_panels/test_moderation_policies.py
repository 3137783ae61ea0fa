"""Network coordinators set a moderation policy per youth panel on /moderation/settings/."""

import pytest
from django.urls import reverse

from moderation.models import ModerationPolicy
from moderation.registry import Audience, PolicyMode
from youth_panels import services

from .helpers import approved_post

pytestmark = pytest.mark.django_db


def test_every_youth_space_is_offered_on_the_moderation_settings_page(client_for, network_coordinator, greek_panel,
                                                                      irish_panel, european_area):
    page = client_for(network_coordinator).get(reverse("moderation:settings")).content.decode()
    for panel in (greek_panel, irish_panel, european_area):
        assert f'value="youth_panel:{panel.pk}"' in page


@pytest.mark.parametrize("content", ["youth_panels.youthpost", "youth_panels.youthcomment"])
def test_a_policy_for_one_panel_applies_there_only(client_for, network_coordinator, youth_panellist,
                                                   youth_coordinator, irish_panellist, irish_coordinator, greek_panel,
                                                   irish_panel, content):
    response = client_for(network_coordinator).post(reverse("moderation:settings_action", args=["policy"]), {
        "content": content, "space": f"youth_panel:{greek_panel.pk}",
        "audience": Audience.YOUTH_PANELLIST, "mode": PolicyMode.POST_MODERATE,
    })
    assert response.status_code == 302
    assert ModerationPolicy.objects.filter(space_key=f"youth_panel:{greek_panel.pk}").count() == 1

    greek_post, _held = services.create_post(actor=youth_panellist, panel=greek_panel, title="Greek", body="Hi")
    irish_post, _held = services.create_post(actor=irish_panellist, panel=irish_panel, title="Irish", body="Hi")
    if content == "youth_panels.youthpost":
        assert (greek_post.moderation_state, irish_post.moderation_state) == ("approved", "pending")
        return
    assert (greek_post.moderation_state, irish_post.moderation_state) == ("pending", "pending")
    published = approved_post(author=youth_panellist, panel=greek_panel, coordinator=youth_coordinator)
    comment, held = services.add_comment(actor=youth_panellist, post=published, body="Nice")
    assert comment.moderation_state == "approved" and held == []
    irish_published = approved_post(author=irish_panellist, panel=irish_panel, coordinator=irish_coordinator)
    irish_comment, held = services.add_comment(actor=irish_panellist, post=irish_published, body="Nice")
    assert irish_comment.moderation_state == "pending" and held
