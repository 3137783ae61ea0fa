"""Demo discussions for a local run, written by the demo people of `seed_demo`.

`load_demo()` is idempotent: a topic or article that exists (same title) is left alone, and
people missing from the demo set are skipped. Content goes through the services, so moderation,
watching and notifications behave as they would for real posts.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from moderation.models import ModerationItem
from moderation.services import decide

from . import services
from .models import BlogPost, Forum, Tag, Topic

DEMO_DOMAIN = "demo.sic.community"

TOPICS = [
    # forum, author, title, tags, opening post, replies [(author, text)]
    ("helplines", "helpline", "Sextortion contacts doubled since the summer", ["sextortion", "gaming"],
     "Our counsellors took twice as many sextortion contacts in Q3 as in Q2, mostly boys aged 14–17 "
     "approached through gaming platforms.\n\n- Are other helplines seeing the same?\n"
     "- Which platforms respond fastest to your escalations?",
     [("orgadmin", "Same pattern here. We now open every chat with the *don't pay, don't delete* message."),
      ("moderator", "Thanks for sharing. @giorgos could you post the Q3 figures as a table for the trends report?")]),
    ("awareness", "awareness", "Safer Internet Day 2027: sharing campaign materials", ["media-literacy"],
     "We are translating our SID lesson plans on **deepfakes** into Irish and English. Happy to share the "
     "templates: reply here if you want the editable files.",
     [("youthcoord", "Our youth panel would love to adapt them for Greek schools."),
      ("coordinator", "Lovely. Please also add them to the resource competition.")]),
    ("hotlines", "hotline", "Notice-and-takedown times for image hosts", ["e-crime"],
     "We are tracking median takedown times per hosting provider. A mirror we reported last week, "
     "https://mirror.example.net/gallery, was down within 36 hours.\n\nNever paste material or victim details here.",
     [("coordinator", "Could you present the median times at the next INHOPE call?")]),
    ("youth", "panellist", "What should the next youth panel campaign be about?", ["cyberbullying"],
     "We talked about **group chats** and how people get left out on purpose. Could that be our campaign?",
     [("youthcoord", "Great idea, Alex! Let's discuss it at Thursday's meeting.")]),
]

ARTICLES = [
    ("helpline", "Latest helpline trends: Quarter 3", ["sextortion", "excessive-use"],
     "Every three months we analyse the types of contacts helplines record.\n\n"
     "## What changed\n\n| Type of contact | Q2 | Q3 |\n|:--|--:|--:|\n| Sextortion | 120 | 241 |\n"
     "| Excessive use | 310 | 295 |\n\n## What we recommend\n\n1. Brief counsellors on sextortion scripts.\n"
     "2. Share the *don't pay* message with schools.",
     [("awareness", "Very useful: we will use the table in our teacher training.")]),
]


def _person(local_part: str):
    return get_user_model().objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _publish_what_was_held(moderator) -> None:
    """Demo people are new members, so their first posts wait for review; the demo moderator
    approves them the way a moderator would, leaving a normal decision trail."""
    if moderator is None:
        return
    for item in ModerationItem.objects.filter(status=ModerationItem.Status.OPEN):
        decide(actor=moderator, item=item, decision=ModerationItem.Decision.APPROVED)


@transaction.atomic
def load_demo() -> None:
    forums = {forum.slug: forum for forum in Forum.objects.all()}
    moderator = _person("moderator")
    for slug, author_key, title, tag_slugs, body, replies in TOPICS:
        author = _person(author_key)
        if author is None or slug not in forums or Topic.all_objects.filter(title=title).exists():
            continue
        topic = services.create_topic(actor=author, forum=forums[slug], title=title, body=body,
                                      tags=Tag.objects.filter(slug__in=tag_slugs))
        _publish_what_was_held(moderator)
        topic.refresh_from_db()
        for reply_author_key, text in replies:
            reply_author = _person(reply_author_key)
            if reply_author is not None:
                services.reply(actor=reply_author, topic=topic, body=text)
                _publish_what_was_held(moderator)
    for author_key, title, tag_slugs, body, comments in ARTICLES:
        author = _person(author_key)
        if author is None or BlogPost.all_objects.filter(title=title).exists():
            continue
        article = services.create_blog_post(actor=author, title=title, body=body,
                                            tags=Tag.objects.filter(slug__in=tag_slugs))
        _publish_what_was_held(moderator)
        article.refresh_from_db()
        for comment_author_key, text in comments:
            commenter = _person(comment_author_key)
            if commenter is not None and article.is_published:
                services.comment_on_blog_post(actor=commenter, blog_post=article, body=text)
                _publish_what_was_held(moderator)
