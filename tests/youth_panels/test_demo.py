import pytest

from community.models import Role
from tests.factories import make_member
from youth_panels.demo import load_demo
from youth_panels.models import YouthComment, YouthPost, YouthResource

pytestmark = pytest.mark.django_db


def test_demo_content_loads_once_with_a_promoted_and_a_waiting_post(organisation):
    panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                            email="panellist@demo.sic.community", display_name="Alex")
    make_member(organisation=organisation, role=Role.YOUTH_COORDINATOR, services_codes=("youth",),
                email="youthcoord@demo.sic.community", display_name="Katerina")
    load_demo()
    load_demo()
    posts = YouthPost.all_objects.filter(author=panellist, panel__country__code="GR")
    assert posts.count() == 3
    assert posts.filter(promoted_at__isnull=False).count() == 1
    assert posts.filter(moderation_state="pending").count() == 1
    assert YouthComment.objects.filter(author=panellist).count() == 2
    assert YouthResource.objects.filter(panel__country__code="GR").count() == 1


def test_demo_loader_does_nothing_without_the_demo_people(db):
    load_demo()
    assert not YouthPost.all_objects.exists()
