"""Learning resources pinned by coordinators."""

import pytest
from django.urls import reverse

from youth_panels import services
from youth_panels.models import YouthResource

pytestmark = pytest.mark.django_db

FORM = {"title": "Spotting deepfakes", "url": "https://www.betterinternetforkids.eu/deepfakes",
        "description": "A *short* guide", "language": "Greek", "age_range": "13-15", "is_pinned": "on"}


def test_a_coordinator_adds_pins_and_removes_a_resource(client_for, youth_coordinator, youth_panellist,
                                                        greek_panel):
    client = client_for(youth_coordinator)
    assert client.post(reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 302
    resource = YouthResource.objects.get()
    assert resource.is_pinned and resource.description_html == "<p>A <em>short</em> guide</p>"
    page = client_for(youth_panellist).get(greek_panel.get_absolute_url()).content.decode()
    assert "Spotting deepfakes" in page and "13 to 15" in page
    client.post(reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "unpin"})
    resource.refresh_from_db()
    assert not resource.is_pinned
    client.post(reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"})
    assert not YouthResource.objects.exists()


def test_panellists_and_other_panels_cannot_manage_resources(client_for, youth_panellist, youth_coordinator,
                                                             irish_coordinator, greek_panel):
    assert client_for(youth_panellist).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 403
    assert client_for(irish_coordinator).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), FORM).status_code == 404
    resource = services.add_resource(actor=youth_coordinator, panel=greek_panel, title="T",
                                     url="https://example.org/")
    assert client_for(youth_panellist).post(
        reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"}).status_code == 403
    assert client_for(irish_coordinator).post(
        reverse("youth_panels:resource_action", args=[resource.pk]), {"action": "remove"}).status_code == 404
    assert YouthResource.objects.filter(pk=resource.pk).exists()


def test_a_resource_link_must_be_a_web_address(client_for, youth_coordinator, greek_panel):
    response = client_for(youth_coordinator).post(
        reverse("youth_panels:resource_new", args=[greek_panel.slug]), {**FORM, "url": "javascript:alert(1)"})
    assert response.status_code == 200 and "Spotting deepfakes" in response.content.decode()
    assert not YouthResource.objects.exists()
