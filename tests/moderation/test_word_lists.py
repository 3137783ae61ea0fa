"""Word lists per language: a phrase holds content written in its own language; content whose
language is unknown is checked against every list."""

import dataclasses

import pytest
from django.utils.html import escape

from forums.models import Post
from moderation import registry, services

from .conftest import POST_REGISTRATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts_with_a_language(network_coordinator):
    """Posts that record their language, as a feature app would pass it to moderation."""
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=0)
    services.add_blocked_phrase(actor=network_coordinator, language="el", phrase="ηλίθιος")
    services.add_blocked_phrase(actor=network_coordinator, language="en", phrase="send nudes")
    services.add_blocked_phrase(actor=network_coordinator, language="pt", phrase="manda nudes")
    registry.register(dataclasses.replace(POST_REGISTRATION, language_of=lambda post: post.written_in))


def _submit(*, author, topic, body, language):
    topic.last_post_number += 1
    topic.save(update_fields=["last_post_number"])
    post = Post(topic=topic, author=author, number=topic.last_post_number, body=body,
                body_html=f"<p>{escape(body)}</p>")
    post.written_in = language
    reasons = services.submit_content(actor=author, instance=post)
    post.save()
    return post, reasons


def test_a_phrase_holds_content_in_its_own_language(posts_with_a_language, topic, member):
    post, reasons = _submit(author=member, topic=topic, body="Είσαι ΗΛΊΘΙΟΣ!", language="el")
    assert post.moderation_state == "pending"
    assert "word or phrase on our review list" in " ".join(reasons)


def test_a_phrase_of_another_language_does_not_hold_it(posts_with_a_language, topic, member):
    # "send nudes" is on the English list; in Greek content it is not matched.
    post, reasons = _submit(author=member, topic=topic, body="Το τραγούδι λέγεται send nudes;", language="el")
    assert post.moderation_state == "approved" and reasons == []


def test_regional_language_codes_use_their_languages_list(posts_with_a_language, topic, member):
    post, _ = _submit(author=member, topic=topic, body="Manda nudes agora", language="pt-BR")
    assert post.moderation_state == "pending"


def test_content_of_unknown_language_is_checked_against_every_list(posts_with_a_language, topic, member):
    for body in ("Είσαι ηλίθιος", "send nudes pls", "manda nudes"):
        post, _ = _submit(author=member, topic=topic, body=body, language=None)
        assert post.moderation_state == "pending", body
    post, _ = _submit(author=member, topic=topic, body="A kind and helpful reply", language=None)
    assert post.moderation_state == "approved"
