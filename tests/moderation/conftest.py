"""Moderation tests run against the forums' real models, registered here explicitly (with
the forums' own scope rule: the `moderate_forum` object permission), so they do not depend on
when the forums app wires up its own registration. Registrations are restored afterwards."""

import itertools

import pytest
from django.utils.html import escape
from guardian.shortcuts import assign_perm, get_users_with_perms

from forums.models import Forum, Post, Topic
from moderation import registry, services
from moderation.registry import ModeratedModel, Space

_slugs = itertools.count(1)


def forum_space(forum) -> Space:
    return Space(kind="forum", pk=forum.pk, label=forum.name)


def can_moderate_forum(user, space: Space) -> bool:
    return user.has_perm("forums.moderate_forum", Forum(pk=space.pk))


def forum_moderators(space: Space):
    return get_users_with_perms(
        Forum(pk=space.pk), only_with_perms_in=["moderate_forum"], with_group_users=False
    )


def _all_forum_spaces():
    return [forum_space(forum) for forum in Forum.objects.all()]


PUBLISHED_HOOK_CALLS = []

POST_REGISTRATION = ModeratedModel(
    model=Post,
    space_of=lambda post: forum_space(post.topic.forum),
    can_moderate=can_moderate_forum,
    moderators_of=forum_moderators,
    can_view=lambda user, post: user.is_approved_member and not post.topic.forum.slug.startswith("secret"),
    title_of=lambda post: post.topic.title,
    on_published=PUBLISHED_HOOK_CALLS.append,
    all_spaces=_all_forum_spaces,
)
TOPIC_REGISTRATION = ModeratedModel(
    model=Topic,
    space_of=lambda topic: forum_space(topic.forum),
    can_moderate=can_moderate_forum,
    moderators_of=forum_moderators,
    text_fields=("title",),
    html_field=None,
    all_spaces=_all_forum_spaces,
)


@pytest.fixture(autouse=True)
def forum_registrations():
    saved = {model: registry.registration_for(model) for model in (Post, Topic)}
    registry.register(POST_REGISTRATION)
    registry.register(TOPIC_REGISTRATION)
    PUBLISHED_HOOK_CALLS.clear()
    yield
    for model, registration in saved.items():
        if registration is None:
            registry.unregister(model)
        else:
            registry.register(registration)


def make_forum(name="Helplines CoP", slug=None) -> Forum:
    return Forum.objects.create(name=name, slug=slug or f"forum-{next(_slugs)}")


def make_topic(*, forum, author, title="Sextortion cases this quarter") -> Topic:
    """A published topic to post in (topics themselves are not under test here)."""
    return Topic.objects.create(forum=forum, author=author, title=title, moderation_state="approved")


def write_post(*, author, topic, body="A thoughtful reply.") -> tuple[Post, list[str]]:
    """What the forums' reply service does: ask moderation, then save."""
    topic.last_post_number += 1
    topic.save(update_fields=["last_post_number"])
    post = Post(topic=topic, author=author, number=topic.last_post_number, body=body,
                body_html=f"<p>{escape(body)}</p>")
    reasons = services.submit_content(actor=author, instance=post)
    post.save()
    return post, reasons


def edit_post(*, actor, post, body) -> list[str]:
    """What the forums' edit service does: set the new values, ask moderation, then save."""
    reasons = services.submit_revision(
        actor=actor, instance=post, changes={"body": body, "body_html": f"<p>{escape(body)}</p>"}
    )
    post.save()
    return reasons


def make_forum_moderator(user, forum) -> None:
    assign_perm("forums.moderate_forum", user, forum)


@pytest.fixture
def forum(db):
    return make_forum("Helplines CoP")


@pytest.fixture
def other_forum(db):
    return make_forum("Awareness CoP")


@pytest.fixture
def topic(forum, member):
    return make_topic(forum=forum, author=member)


@pytest.fixture
def forum_moderator(forum, organisation):
    from tests.factories import make_member

    person = make_member(organisation=organisation, display_name="Forum Mod Fotini")
    make_forum_moderator(person, forum)
    return person


@pytest.fixture
def other_forum_moderator(other_forum, other_organisation):
    from tests.factories import make_member

    person = make_member(organisation=other_organisation, display_name="Forum Mod Orla")
    make_forum_moderator(person, other_forum)
    return person
