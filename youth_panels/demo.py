"""Demo content for the youth area: a few posts and comments by the Greek demo panellist, one
promoted to the European youth area, one still waiting for review, pinned resources and a
discussion. Idempotent: content that exists (by title) is left alone. Built through the
services, so moderation items, audit entries and notifications exist as in production."""

from django.contrib.auth import get_user_model
from django.db import transaction

from forums import services as forum_services
from forums.models import Topic
from moderation.models import ModerationItem
from moderation.services import decide

from . import selectors, services
from .models import YouthPanel, YouthPost

User = get_user_model()
PANELLIST = "panellist@demo.sic.community"
COORDINATOR = "youthcoord@demo.sic.community"

POSTS = [
    # (title, body, approve, promote)
    ("Our Safer Internet Day video",
     "We filmed a short video about **kindness online** with our school. It took three weekends!\n\n"
     "- We wrote the script together\n- We asked younger students what worries them\n- We edited it ourselves",
     True, True),
    ("Gaming safely: our top tips",
     "Our panel collected tips for gaming with friends:\n\n1. Keep your real name out of your gamer tag\n"
     "2. Use the mute and block buttons\n3. Talk to someone you trust when something feels wrong",
     True, False),
    ("What do you think about age checks?",
     "Some apps now ask for your age with a selfie. Is that a good idea? I am not sure.", False, False),
]


def _open_item(obj):
    from django.contrib.contenttypes.models import ContentType

    return ModerationItem.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status=ModerationItem.Status.OPEN
    ).first()


def _approve(coordinator, obj) -> None:
    item = _open_item(obj)
    if item is not None:
        decide(actor=coordinator, item=item, decision=ModerationItem.Decision.APPROVED)


@transaction.atomic
def load_demo() -> None:
    panellist = User.objects.filter(email=PANELLIST).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    greek_panel = YouthPanel.objects.filter(country__code="GR").first()
    if panellist is None or coordinator is None or greek_panel is None:
        return
    for title, body, approve, promote in POSTS:
        if YouthPost.all_objects.filter(panel=greek_panel, title=title).exists():
            continue
        post, _held = services.create_post(actor=panellist, panel=greek_panel, title=title, body=body)
        if not approve:
            continue
        _approve(coordinator, post)
        post.refresh_from_db()
        comment, _held = services.add_comment(
            actor=coordinator, post=post, body="Thank you for sharing this with the panel!"
        )
        reply, _held = services.add_comment(actor=panellist, post=post, body="Thanks! Everyone helped.")
        _approve(coordinator, reply)
        if promote:
            services.promote_post(actor=coordinator, post=post)

    if not greek_panel.resources.exists():
        services.add_resource(
            actor=coordinator, panel=greek_panel, title="Better Internet for Kids: resources for young people",
            url="https://www.betterinternetforkids.eu/", description="Guides, games and videos in many languages.",
            language="English", age_range="13-15",
        )
    forum = services.discussion_forum_for(greek_panel)
    if not Topic.all_objects.filter(forum=forum).exists():
        forum_services.create_topic(
            actor=coordinator, forum=forum, title="Ideas for next year's campaign",
            body="What should our panel work on next? Share one idea each.",
        )
    european = selectors.european_area()
    if european is not None:
        services.discussion_forum_for(european)
