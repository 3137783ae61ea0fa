"""Word lists per language: a phrase holds content written in its own language (by default the
languages its author speaks, and English); content whose language is unknown is checked against
every list."""

import dataclasses

import pytest
from django.utils.html import escape

from forums.models import Post
from moderation import registry, services
from tests.factories import make_member

from .conftest import POST_REGISTRATION, write_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def word_lists(network_coordinator):
    services.update_settings(actor=network_coordinator, flag_threshold=3, new_member_review_count=0)
    services.add_blocked_phrase(actor=network_coordinator, language="el", phrase="ηλίθιος")
    services.add_blocked_phrase(actor=network_coordinator, language="en", phrase="send nudes")
    services.add_blocked_phrase(actor=network_coordinator, language="pt", phrase="manda nudes")
    services.add_blocked_phrase(actor=network_coordinator, language="da", phrase="dumme svin")


@pytest.fixture
def posts_with_a_language(word_lists):
    """Posts that record their language, as a feature app would pass it to moderation."""
    registry.register(dataclasses.replace(POST_REGISTRATION, languages_of=lambda post: post.written_in))


def _submit(*, author, topic, body, language):
    topic.last_post_number += 1
    topic.save(update_fields=["last_post_number"])
    post = Post(topic=topic, author=author, number=topic.last_post_number, body=body,
                body_html=f"<p>{escape(body)}</p>")
    post.written_in = [language] if language else []
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


def test_a_greek_speakers_post_is_checked_against_the_greek_and_english_lists_only(word_lists, topic, organisation):
    author = make_member(organisation=organisation, languages="Greek")
    for body in ("Είσαι ηλίθιος", "send nudes pls"):
        post, reasons = write_post(author=author, topic=topic, body=body)
        assert post.moderation_state == "pending", body
        assert "word or phrase on our review list" in " ".join(reasons)
    # "dumme svin" is listed only in Danish, which the author does not write in.
    post, reasons = write_post(author=author, topic=topic, body="Hvad betyder dumme svin?")
    assert post.moderation_state == "approved" and reasons == []


def test_the_languages_members_type_are_recognised_by_name_or_code(organisation):
    author = make_member(organisation=organisation, languages="Ελληνικά; da-DK, portuguese, Klingon")
    assert services.word_list_languages_of(author) == {"el", "da", "pt", "en"}


def test_an_author_who_gave_no_languages_is_checked_against_every_list(word_lists, topic, organisation):
    author = make_member(organisation=organisation, languages="")
    for body in ("Είσαι ηλίθιος", "send nudes pls", "manda nudes", "Hvad betyder dumme svin?"):
        post, _ = write_post(author=author, topic=topic, body=body)
        assert post.moderation_state == "pending", body
