"""Forums and community blog pages: who may reach what.

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).

Variants:
  helplines  a topic / post of a GR colleague in Helplines (all staff read and post; not youth panellists)
  hotlines   a hotline analyst's topic / post in Hotlines (hotline staff and the network roles only)
  youth      a colleague's topic / post in Youth (youth panellists, youth coordinators and staff)
  held       a youth panellist's topic waiting for review (its author and moderators see it)
  own        a post, article or comment the viewer wrote (created for them in the cell)
  other      a colleague's article or comment; a colleague's reply in Helplines
  deleted    a colleague's reply in Helplines that they deleted (moderators restore it)

Forms with a GET page (new topic, edit, delete, move, flag...) are walked with GET: the view
checks the same permission before looking at the method. POST cells are the POST-only actions.
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import Role
from forums import permissions, services
from forums.models import Forum
from tests.factories import make_member, make_organisation


def _png() -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(output, format="PNG")
    return SimpleUploadedFile("cover.png", output.getvalue(), content_type="image/png")


def extend(world, request):
    """Topics in three forums, a held topic, posts, a deleted post, an article with a cover
    and a comment; all through the services, published unless meant to wait."""
    forums = {forum.slug: forum for forum in Forum.objects.all()}
    colleague = world.colleague
    analyst = make_member(organisation=make_organisation(country_code="IE", services_codes=("hotline",)),
                          services_codes=("hotline",), display_name="Hotline Analyst")
    other_panellist = make_member(organisation=world.organisation, role=Role.YOUTH_PANELLIST,
                                  services_codes=("youth",), display_name="Another Panellist", birth_year=2011)

    world.forums_helplines_topic = services.create_topic(
        actor=colleague, forum=forums["helplines"], title="Helpline practice", body="Opening post")
    world.forums_helplines_post = services.reply(actor=colleague, topic=world.forums_helplines_topic,
                                                 body="A colleague's reply")
    world.forums_deleted_post = services.reply(actor=colleague, topic=world.forums_helplines_topic,
                                               body="Posted by mistake")
    services.delete_post(actor=colleague, post=world.forums_deleted_post)
    world.forums_hotlines_topic = services.create_topic(
        actor=analyst, forum=forums["hotlines"], title="Takedown times", body="Hotline analysts only")
    world.forums_hotlines_post = world.forums_hotlines_topic.posts.get(number=1)
    world.forums_youth_topic = services.create_topic(
        actor=colleague, forum=forums["youth"], title="Youth participation", body="Ideas welcome")
    world.forums_youth_post = world.forums_youth_topic.posts.get(number=1)
    world.forums_held_topic = services.create_topic(
        actor=other_panellist, forum=forums["youth"], title="My first topic", body="Waiting for review")
    assert world.forums_held_topic.moderation_state == "pending"

    world.forums_blog_post = services.create_blog_post(
        actor=colleague, title="Helpline trends", body="The article", cover_image=_png(), cover_alt="A teal square")
    world.forums_blog_comment = services.comment_on_blog_post(
        actor=colleague, blog_post=world.forums_blog_post, body="A colleague's comment")


def _forum(slug):
    return lambda w, u: {"slug": slug}


def _topic(variant):
    return lambda w, u: {"topic_id": getattr(w, f"forums_{variant}_topic").pk}


TOPIC_VARIANTS = {variant: _topic(variant) for variant in ("helplines", "hotlines", "youth", "held")}
FORUM_VARIANTS = {slug: _forum(slug) for slug in ("helplines", "hotlines", "youth")}


def _own_post(w, u):
    """A reply the viewer wrote in the Youth topic (every approved role may post there; a
    panellist's reply waits for review and stays visible to them). Nobody else: a colleague's."""
    if u is None or not permissions.can_post_in_forum(u, w.forums_youth_topic.forum):
        return {"post_id": w.forums_youth_post.pk}
    return {"post_id": services.reply(actor=u, topic=w.forums_youth_topic, body="My own words").pk}


def _own_blog_post(w, u):
    if u is None or not permissions.can_write_blog(u):
        return {"blog_post_id": w.forums_blog_post.pk}
    return {"blog_post_id": services.create_blog_post(actor=u, title="My article", body="My words").pk}


def _own_comment(w, u):
    if u is None or not permissions.can_comment(u, w.forums_blog_post):
        return {"comment_id": w.forums_blog_comment.pk}
    return {"comment_id": services.comment_on_blog_post(actor=u, blog_post=w.forums_blog_post, body="Mine").pk}


POST_VARIANTS = {
    "own": _own_post,
    "other": lambda w, u: {"post_id": w.forums_helplines_post.pk},
    "hotlines": lambda w, u: {"post_id": w.forums_hotlines_post.pk},
}
BLOG_VARIANTS = {
    "own": _own_blog_post,
    "other": lambda w, u: {"blog_post_id": w.forums_blog_post.pk},
}
COMMENT_VARIANTS = {
    "own": _own_comment,
    "other": lambda w, u: {"comment_id": w.forums_blog_comment.pk},
}

TARGETS = {
    "forums:index": {"GET": {"": lambda w, u: {}}},
    "forums:topics": {"GET": {"": lambda w, u: {}}},
    "forums:mark_read": {"POST": {"": lambda w, u: {}}},
    "forums:search": {"GET": {"": lambda w, u: {}}},
    "forums:draft_save": {"POST": {"": lambda w, u: {}}},
    "forums:forum_create": {"GET": {"": lambda w, u: {}}},
    "forums:forum": {"GET": FORUM_VARIANTS},
    "forums:forum_edit": {"GET": FORUM_VARIANTS},
    "forums:topic_create": {"GET": FORUM_VARIANTS},
    "forums:forum_tracking": {"POST": FORUM_VARIANTS},
    "forums:topic": {"GET": TOPIC_VARIANTS},
    "forums:topic_unread": {"GET": TOPIC_VARIANTS},
    "forums:topic_reply": {"POST": TOPIC_VARIANTS},
    "forums:topic_tracking": {"POST": TOPIC_VARIANTS},
    "forums:topic_moderate": {"POST": TOPIC_VARIANTS},
    "forums:topic_move": {"GET": TOPIC_VARIANTS},
    "forums:post": {"GET": POST_VARIANTS},
    "forums:post_edit": {"GET": {**POST_VARIANTS,
                                 "deleted": lambda w, u: {"post_id": w.forums_deleted_post.pk}}},
    "forums:post_delete": {"GET": POST_VARIANTS},
    "forums:post_restore": {"POST": {"deleted": lambda w, u: {"post_id": w.forums_deleted_post.pk},
                                     "other": lambda w, u: {"post_id": w.forums_helplines_post.pk}}},
    "forums:post_history": {"GET": {**POST_VARIANTS,
                                    "deleted": lambda w, u: {"post_id": w.forums_deleted_post.pk}}},
    "forums:post_flag": {"GET": POST_VARIANTS},
    "forums:blog": {"GET": {"": lambda w, u: {}}},
    "forums:blog_create": {"GET": {"": lambda w, u: {}}},
    "forums:blog_post": {"GET": BLOG_VARIANTS},
    "forums:blog_edit": {"GET": BLOG_VARIANTS},
    "forums:blog_delete": {"GET": BLOG_VARIANTS},
    "forums:blog_cover": {"GET": {"other": lambda w, u: {"blog_post_id": w.forums_blog_post.pk}}},
    "forums:blog_comment": {"POST": {"other": lambda w, u: {"blog_post_id": w.forums_blog_post.pk}}},
    "forums:blog_tracking": {"POST": {"other": lambda w, u: {"blog_post_id": w.forums_blog_post.pk}}},
    "forums:blog_flag": {"GET": BLOG_VARIANTS},
    "forums:comment_edit": {"GET": COMMENT_VARIANTS},
    "forums:comment_delete": {"GET": COMMENT_VARIANTS},
    "forums:comment_flag": {"GET": COMMENT_VARIANTS},
}

POST_DATA = {
    "forums:draft_save": {"key": "blog:new", "title": "Half an article", "body": "Being written"},
    "forums:forum_tracking": {"level": "watching"},
    "forums:topic_reply": {"body": "A reply"},
    "forums:topic_tracking": {"level": "muted"},
    "forums:topic_moderate": {"action": "pin"},
    "forums:blog_comment": {"body": "A comment"},
    "forums:blog_tracking": {"level": "muted"},
}

#                                                       anon  pend memb oadm yth  ycoo mod  netco
EXPECTED = {
    ("forums:index", "GET", ""):                         "login wait 200 200 200 200 200 200",
    ("forums:topics", "GET", ""):                        "login wait 200 200 200 200 200 200",
    ("forums:mark_read", "POST", ""):                    "login wait 302 302 302 302 302 302",
    ("forums:search", "GET", ""):                        "login wait 200 200 200 200 200 200",
    # Autosave answers JSON, for a composer the writer may use: panellists have no blog.
    ("forums:draft_save", "POST", ""):                   "login wait 200 200 404 200 200 200",
    # Opening a forum and editing it (audience, safe mode...): network coordinators; a forum one
    # cannot read is 404 (the hotline row: moderators read it, so 403).
    ("forums:forum_create", "GET", ""):                  "login wait 403 403 403 403 403 200",
    ("forums:forum_edit", "GET", "helplines"):           "login wait 403 403 404 403 403 200",
    ("forums:forum_edit", "GET", "hotlines"):            "login wait 404 404 404 404 403 200",
    ("forums:forum_edit", "GET", "youth"):               "login wait 403 403 403 403 403 200",
    # Helplines and Awareness: all staff; youth panellists do not know it exists.
    ("forums:forum", "GET", "helplines"):                "login wait 200 200 404 200 200 200",
    # Hotlines: hotline staff (none of these roles) and the network roles only.
    ("forums:forum", "GET", "hotlines"):                 "login wait 404 404 404 404 200 200",
    # Youth: panellists, youth coordinators and staff.
    ("forums:forum", "GET", "youth"):                    "login wait 200 200 200 200 200 200",
    ("forums:topic_create", "GET", "helplines"):         "login wait 200 200 404 200 200 200",
    ("forums:topic_create", "GET", "hotlines"):          "login wait 404 404 404 404 200 200",
    ("forums:topic_create", "GET", "youth"):             "login wait 200 200 200 200 200 200",
    ("forums:forum_tracking", "POST", "helplines"):      "login wait 302 302 404 302 302 302",
    ("forums:forum_tracking", "POST", "hotlines"):       "login wait 404 404 404 404 302 302",
    ("forums:forum_tracking", "POST", "youth"):          "login wait 302 302 302 302 302 302",
    ("forums:topic", "GET", "helplines"):                "login wait 200 200 404 200 200 200",
    ("forums:topic", "GET", "hotlines"):                 "login wait 404 404 404 404 200 200",
    ("forums:topic", "GET", "youth"):                    "login wait 200 200 200 200 200 200",
    # A panellist's topic waiting for review: its author and moderators only.
    ("forums:topic", "GET", "held"):                     "login wait 404 404 404 404 200 200",
    ("forums:topic_unread", "GET", "helplines"):         "login wait 302 302 404 302 302 302",
    ("forums:topic_unread", "GET", "hotlines"):          "login wait 404 404 404 404 302 302",
    ("forums:topic_unread", "GET", "youth"):             "login wait 302 302 302 302 302 302",
    ("forums:topic_unread", "GET", "held"):              "login wait 404 404 404 404 302 302",
    ("forums:topic_reply", "POST", "helplines"):         "login wait 302 302 404 302 302 302",
    ("forums:topic_reply", "POST", "hotlines"):          "login wait 404 404 404 404 302 302",
    ("forums:topic_reply", "POST", "youth"):             "login wait 302 302 302 302 302 302",
    # Nobody replies to a topic before it is published
    # (test_nobody_replies_to_a_topic_waiting_for_review).
    ("forums:topic_reply", "POST", "held"):              "login wait 404 404 404 404 403 403",
    ("forums:topic_tracking", "POST", "helplines"):      "login wait 302 302 404 302 302 302",
    ("forums:topic_tracking", "POST", "hotlines"):       "login wait 404 404 404 404 302 302",
    ("forums:topic_tracking", "POST", "youth"):          "login wait 302 302 302 302 302 302",
    ("forums:topic_tracking", "POST", "held"):           "login wait 404 404 404 404 302 302",
    # Pin/lock/move: moderators; a readable topic answers 403 to others, an unreadable one 404.
    ("forums:topic_moderate", "POST", "helplines"):      "login wait 403 403 404 403 302 302",
    ("forums:topic_moderate", "POST", "hotlines"):       "login wait 404 404 404 404 302 302",
    ("forums:topic_moderate", "POST", "youth"):          "login wait 403 403 403 403 302 302",
    ("forums:topic_moderate", "POST", "held"):           "login wait 404 404 404 404 302 302",
    ("forums:topic_move", "GET", "helplines"):           "login wait 403 403 404 403 200 200",
    ("forums:topic_move", "GET", "hotlines"):            "login wait 404 404 404 404 200 200",
    ("forums:topic_move", "GET", "youth"):               "login wait 403 403 403 403 200 200",
    ("forums:topic_move", "GET", "held"):                "login wait 404 404 404 404 200 200",
    # "own": a reply the viewer wrote in the Youth topic.
    ("forums:post", "GET", "own"):                       "login wait 302 302 302 302 302 302",
    ("forums:post", "GET", "other"):                     "login wait 302 302 404 302 302 302",
    ("forums:post", "GET", "hotlines"):                  "login wait 404 404 404 404 302 302",
    ("forums:post_edit", "GET", "own"):                  "login wait 200 200 200 200 200 200",
    ("forums:post_edit", "GET", "other"):                "login wait 403 403 404 403 200 200",
    ("forums:post_edit", "GET", "hotlines"):             "login wait 404 404 404 404 200 200",
    # A deleted post is restored first, then edited.
    ("forums:post_edit", "GET", "deleted"):              "login wait 403 403 404 403 403 403",
    ("forums:post_delete", "GET", "own"):                "login wait 200 200 200 200 200 200",
    ("forums:post_delete", "GET", "other"):              "login wait 403 403 404 403 200 200",
    ("forums:post_delete", "GET", "hotlines"):           "login wait 404 404 404 404 200 200",
    # Restoring is for moderators; a post that is not deleted is a no-op redirect.
    ("forums:post_restore", "POST", "deleted"):          "login wait 403 403 404 403 302 302",
    ("forums:post_restore", "POST", "other"):            "login wait 403 403 404 403 302 302",
    ("forums:post_history", "GET", "own"):               "login wait 200 200 200 200 200 200",
    # Edit history is public to readers, as on Discourse...
    ("forums:post_history", "GET", "other"):             "login wait 200 200 404 200 200 200",
    ("forums:post_history", "GET", "hotlines"):          "login wait 404 404 404 404 200 200",
    # ...but a deleted post's earlier text is for moderators only
    # (tests/forums/test_topics.py::test_the_edit_history_of_a_deleted_post_is_for_moderators_only).
    ("forums:post_history", "GET", "deleted"):           "login wait 404 404 404 404 200 200",
    # Nobody reports their own post.
    ("forums:post_flag", "GET", "own"):                  "login wait 403 403 403 403 403 403",
    ("forums:post_flag", "GET", "other"):                "login wait 200 200 404 200 200 200",
    ("forums:post_flag", "GET", "hotlines"):             "login wait 404 404 404 404 200 200",
    # The community blog is for SIC staff; youth panellists have their own youth area.
    ("forums:blog", "GET", ""):                          "login wait 200 200 404 200 200 200",
    ("forums:blog_create", "GET", ""):                   "login wait 200 200 404 200 200 200",
    ("forums:blog_post", "GET", "own"):                  "login wait 200 200 404 200 200 200",
    ("forums:blog_post", "GET", "other"):                "login wait 200 200 404 200 200 200",
    ("forums:blog_edit", "GET", "own"):                  "login wait 200 200 404 200 200 200",
    # Authors edit and delete their own articles and comments; network moderators any.
    ("forums:blog_edit", "GET", "other"):                "login wait 403 403 404 403 200 200",
    ("forums:blog_delete", "GET", "own"):                "login wait 200 200 404 200 200 200",
    ("forums:blog_delete", "GET", "other"):              "login wait 403 403 404 403 200 200",
    ("forums:blog_cover", "GET", "other"):               "login wait 200 200 404 200 200 200",
    ("forums:blog_comment", "POST", "other"):            "login wait 302 302 404 302 302 302",
    ("forums:blog_tracking", "POST", "other"):           "login wait 302 302 404 302 302 302",
    ("forums:blog_flag", "GET", "own"):                  "login wait 403 403 404 403 403 403",
    ("forums:blog_flag", "GET", "other"):                "login wait 200 200 404 200 200 200",
    ("forums:comment_edit", "GET", "own"):               "login wait 200 200 404 200 200 200",
    ("forums:comment_edit", "GET", "other"):             "login wait 403 403 404 403 200 200",
    ("forums:comment_delete", "GET", "own"):             "login wait 200 200 404 200 200 200",
    ("forums:comment_delete", "GET", "other"):           "login wait 403 403 404 403 200 200",
    ("forums:comment_flag", "GET", "own"):               "login wait 403 403 404 403 403 403",
    ("forums:comment_flag", "GET", "other"):             "login wait 200 200 404 200 200 200",
}
