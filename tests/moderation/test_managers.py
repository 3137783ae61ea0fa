"""`Model.objects` of every moderated model is the published content; `all_objects` is every row
(moderators, authors' own items, services, erasure). Pages still show authors their own held
items, labelled, and moderators their queue."""

import uuid

import pytest
from django.urls import reverse

from community.models import Role
from forums import services as forum_services
from forums.models import Forum, Topic
from meetings import services as meeting_services
from meetings.models import CaseStudy
from meetings.models import Topic as CaseStudyTopic
from moderation import registry
from moderation.models import ModerationState
from tests.factories import make_member
from youth_panels import services as youth_services
from youth_panels.models import YouthPanel

pytestmark = pytest.mark.django_db


def _one_row_of_each_moderated_model(*, member, youth_coordinator, network_coordinator) -> dict:
    helplines = Forum.objects.get(slug="helplines")
    topic = forum_services.create_topic(actor=member, forum=helplines, title="Sextortion", body="Rising.")
    article = forum_services.create_blog_post(actor=member, title="Safer Internet Day", body="40 schools.")
    greek_panel = YouthPanel.objects.get(country__code="GR")
    youth_post, _held = youth_services.create_post(actor=youth_coordinator, panel=greek_panel, title="Hello",
                                                   body="Welcome to the panel.")
    meeting_services.set_upload_window(actor=network_coordinator, is_open=True)
    case_study, _created = meeting_services.submit_case_study(
        actor=member, case_study=CaseStudy(title="Case", summary="S", narrative_source="N", age_band="13_15",
                                           contact_channel="chat"),
        topics=CaseStudyTopic.objects.filter(slug="grooming"), attachments=[], submission_token=uuid.uuid4())
    rows = [
        topic,
        forum_services.reply(actor=member, topic=topic, body="We see it too."),
        article,
        forum_services.comment_on_blog_post(actor=member, blog_post=article, body="Well done."),
        youth_post,
        youth_services.add_comment(actor=youth_coordinator, post=youth_post, body="Thanks!")[0],
        case_study,
    ]
    return {type(row): row for row in rows}


def test_objects_holds_only_approved_rows_of_every_registered_moderated_model(member, youth_coordinator,
                                                                               network_coordinator):
    rows = _one_row_of_each_moderated_model(member=member, youth_coordinator=youth_coordinator,
                                            network_coordinator=network_coordinator)
    for registration in registry.registrations():
        model = registration.model
        assert model in rows, f"{model.__name__} is moderated: add one to _one_row_of_each_moderated_model"
        # Related managers, ModelForms, the admin and dumpdata use the default manager: every row.
        assert model._default_manager.name == "all_objects"
        row = rows[model]
        for state in ModerationState:
            model.all_objects.filter(pk=row.pk).update(moderation_state=state)
            assert model.all_objects.filter(pk=row.pk).exists()
            assert model.objects.filter(pk=row.pk).exists() == (state == ModerationState.APPROVED), (model, state)


def test_a_held_topic_is_labelled_for_its_author_queued_for_moderators_and_left_out_of_others_lists(
    client_for, organisation, youth_panellist, moderator
):
    youth_forum = Forum.objects.get(slug="youth")
    topic = forum_services.create_topic(actor=youth_panellist, forum=youth_forum, title="Campaign ideas",
                                        body="What should our panel make next?")
    assert topic.moderation_state == ModerationState.PENDING
    assert not Topic.objects.filter(pk=topic.pk).exists()
    other_panellist = make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                                  display_name="Niki")
    forum_page = reverse("forums:forum", args=[youth_forum.slug])

    own_list = client_for(youth_panellist).get(forum_page).content.decode()
    assert "Campaign ideas" in own_list and "Waiting for review: only you and moderators see this" in own_list
    others_list = client_for(other_panellist).get(forum_page).content.decode()
    assert "Campaign ideas" not in others_list
    assert client_for(other_panellist).get(topic.get_absolute_url()).status_code == 404
    assert "What should our panel make next?" in client_for(moderator).get(reverse("moderation:index")).content.decode()
    assert client_for(moderator).get(topic.get_absolute_url()).status_code == 200
