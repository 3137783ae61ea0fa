"""moderation pages: who may reach what.

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).

The world: the GR youth coordinator (`youth_coordinator`) moderates the GR youth panel only;
`moderator` and `network_coordinator` moderate everything; nobody else moderates anything.
`youth_coordinator` is the GR safeguarding lead and `network_coordinator` a network lead.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from community.models import Role
from forums import services as forum_services
from forums.models import Forum
from moderation import services
from moderation.models import ModerationItem
from moderation.registry import registration_for
from tests.factories import make_member
from youth_panels import services as youth_services
from youth_panels.models import YouthPanel, YouthPost


def _open_item_for(obj) -> ModerationItem:
    return ModerationItem.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status=ModerationItem.Status.OPEN
    )


def _youth_panellist(organisation, name):
    return make_member(organisation=organisation, role=Role.YOUTH_PANELLIST, services_codes=("youth",),
                       display_name=name)


def extend(world, request):
    """Adds this app's own and foreign objects to the shared world."""
    coordinator = world.users["youth_coordinator"]
    moderator = world.users["moderator"]
    network = world.users["network_coordinator"]
    greek_panel = YouthPanel.objects.get(country__code="GR")
    irish_panel = YouthPanel.objects.get(country__code="IE")
    irish_panellist = _youth_panellist(world.other_organisation, "Ciara")
    second_greek_panellist = _youth_panellist(world.organisation, "Niki")

    # Pre-moderated posts: one in the GR coordinator's panel, one in the Irish panel.
    own_post, _held = youth_services.create_post(
        actor=world.users["youth_panellist"], panel=greek_panel, title="Our school's phone rules", body="Thoughts?")
    world.moderation_own_item = _open_item_for(own_post)
    other_post, _held = youth_services.create_post(
        actor=irish_panellist, panel=irish_panel, title="Gaming chats", body="Who moderates them?")
    world.moderation_other_item = _open_item_for(other_post)

    # A staff post in a CoP forum (trusted, so published) that a member flagged: in the queue
    # of the network moderators only (the Helplines forum has no forum moderator here).
    topic = forum_services.create_topic(actor=world.colleague, forum=Forum.objects.get(slug="helplines"),
                                        title="Night shifts", body="How do you staff them?")
    world.moderation_forum_post = topic.posts.get()
    services.flag_content(actor=world.users["member"], target=world.moderation_forum_post, category="spam")
    world.moderation_forum_item = _open_item_for(world.moderation_forum_post)

    # Decisions that can be appealed: the GR panellist's (GR coordinator's decision) and an
    # Irish panellist's (a network moderator's decision).
    rejected_post, _held = youth_services.create_post(
        actor=world.users["youth_panellist"], panel=greek_panel, title="My number", body="Call me!")
    world.moderation_own_decision = _open_item_for(rejected_post)
    services.decide(actor=coordinator, item=world.moderation_own_decision, decision="rejected",
                    reason_code="personal_information")
    irish_rejected, _held = youth_services.create_post(
        actor=irish_panellist, panel=irish_panel, title="Off topic", body="Football!")
    world.moderation_other_decision = _open_item_for(irish_rejected)
    services.decide(actor=moderator, item=world.moderation_other_decision, decision="rejected", reason_code="off_topic")

    # An appeal of the GR coordinator's own decision: another moderator decides it.
    appealed, _held = youth_services.create_post(
        actor=second_greek_panellist, panel=greek_panel, title="Meme", body="Funny picture")
    appealed_item = _open_item_for(appealed)
    services.decide(actor=coordinator, item=appealed_item, decision="rejected", reason_code="unkind")
    world.moderation_appeal_item = services.appeal(actor=second_greek_panellist, item=appealed_item,
                                                   text="It was a joke between friends.")

    # Published content to flag: a GR youth post, an Irish youth post.
    world.moderation_youth_post, _held = youth_services.create_post(
        actor=coordinator, panel=greek_panel, title="Welcome", body="Welcome to the panel!")
    world.moderation_other_youth_post, _held = youth_services.create_post(
        actor=network, panel=irish_panel, title="Fáilte", body="Welcome to the Irish panel!")

    # Sanctions: a silence the GR coordinator gave in their panel, a suspension by a moderator.
    world.moderation_silence = services.silence_member(
        actor=coordinator, member=_youth_panellist(world.organisation, "Stavros"),
        space=world.moderation_own_item.space, until=timezone.now() + timedelta(days=3), reason="Spamming links",
        registration=registration_for(YouthPost),
    )
    world.moderation_suspension = services.suspend_account(
        actor=moderator, member=make_member(organisation=world.other_organisation, display_name="Spammer"),
        reason="Spam")

    # Safeguarding leads and one concern per country.
    services.appoint_safeguarding_lead(actor=network, member=coordinator)
    services.appoint_safeguarding_lead(actor=network, member=network)
    world.moderation_own_concern = services.raise_concern(
        actor=world.colleague, message="Alex seemed very low today.", about_user=world.users["youth_panellist"])
    world.moderation_other_concern = services.raise_concern(
        actor=world.other_member, message="I am not coping.", about_self=True)

    world.moderation_phrase = services.add_blocked_phrase(actor=network, language="en", phrase="buy followers")
    # The bulk form only accepts ids of the viewer's queue: the GR panel's waiting post.
    POST_DATA["moderation:bulk_decide"]["items"] = [world.moderation_own_item.pk]


def _item(attribute):
    return lambda w, u: {"item_id": getattr(w, attribute).pk}


def _flag_target(attribute):
    def build(w, u):
        target = getattr(w, attribute)
        return {"content_type_id": ContentType.objects.get_for_model(target).pk, "object_id": target.pk}

    return build


TARGETS = {
    "moderation:index": {"GET": {"": lambda w, u: {}}},
    "moderation:pending_count": {"GET": {"": lambda w, u: {}}},
    "moderation:bulk_decide": {"POST": {"own": lambda w, u: {}}},
    "moderation:item": {"GET": {"own": _item("moderation_own_item"), "other": _item("moderation_other_item"),
                                "forum": _item("moderation_forum_item"), "appeal": _item("moderation_appeal_item")}},
    "moderation:decide": {"POST": {"own": _item("moderation_own_item"), "other": _item("moderation_other_item"),
                                   "forum": _item("moderation_forum_item"),
                                   "appeal": _item("moderation_appeal_item")}},
    "moderation:silence": {"POST": {"own": _item("moderation_own_item"), "other": _item("moderation_other_item")}},
    "moderation:suspend": {"POST": {"own": _item("moderation_own_item"), "other": _item("moderation_other_item")}},
    "moderation:appeal": {"POST": {"own": _item("moderation_own_decision"),
                                   "other": _item("moderation_other_decision")}},
    "moderation:sanction_lift": {"POST": {
        "silence": lambda w, u: {"sanction_id": w.moderation_silence.pk},
        "suspension": lambda w, u: {"sanction_id": w.moderation_suspension.pk},
    }},
    "moderation:my_items": {"GET": {"": lambda w, u: {}}},
    "moderation:flag": {
        "GET": {"forum": _flag_target("moderation_forum_post"), "youth": _flag_target("moderation_youth_post"),
                "other-youth": _flag_target("moderation_other_youth_post")},
    },
    "moderation:concern_new": {"GET": {"": lambda w, u: {}}},
    "moderation:concerns": {"GET": {"": lambda w, u: {}}},
    "moderation:concern": {
        "GET": {"own": lambda w, u: {"concern_id": w.moderation_own_concern.pk},
                "other": lambda w, u: {"concern_id": w.moderation_other_concern.pk}},
    },
    "moderation:audit": {"GET": {"": lambda w, u: {}}},
    "moderation:audit_csv": {"GET": {"": lambda w, u: {}}},
    "moderation:settings": {"GET": {"": lambda w, u: {}}},
    "moderation:settings_action": {"POST": {"settings": lambda w, u: {"action": "settings"},
                                            "phrase": lambda w, u: {"action": "phrase"}}},
    "moderation:phrase_remove": {"POST": {"": lambda w, u: {"phrase_id": w.moderation_phrase.pk}}},
}

POST_DATA = {
    "moderation:bulk_decide": {"decision": "approved"},
    "moderation:decide": {"decision": "approved"},
    "moderation:silence": {"until": (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                           "reason": "Shared a phone number twice"},
    "moderation:suspend": {"reason": "Repeated harassment"},
    "moderation:appeal": {"text": "I removed the number, please look again."},
    "moderation:settings_action": {"flag_threshold": 4, "new_member_review_count": 0, "language": "en",
                                   "phrase": "free followers"},
}

#                                                       anon  pend memb oadm yth  ycoo mod  netco
EXPECTED = {
    # Any member may moderate something (forum moderators are plain members with a guardian
    # permission): the queue and its count show what the viewer decides, empty for most.
    ("moderation:index", "GET", ""):                      "login wait 200 200 200 200 200 200",
    ("moderation:pending_count", "GET", ""):              "login wait 200 200 200 200 200 200",
    # An item the viewer does not decide does not exist for them (not "already decided").
    ("moderation:bulk_decide", "POST", "own"):            "login wait 404 404 404 302 302 302",
    # The GR coordinator's panel only; the author never sees the moderators' page of their item.
    ("moderation:item", "GET", "own"):                    "login wait 404 404 404 200 200 200",
    ("moderation:item", "GET", "other"):                  "login wait 404 404 404 404 200 200",
    ("moderation:item", "GET", "forum"):                  "login wait 404 404 404 404 200 200",
    # An appeal of the GR coordinator's own decision: visible to them, decided by someone else.
    ("moderation:item", "GET", "appeal"):                 "login wait 404 404 404 200 200 200",
    ("moderation:decide", "POST", "own"):                 "login wait 404 404 404 302 302 302",
    ("moderation:decide", "POST", "other"):               "login wait 404 404 404 404 302 302",
    ("moderation:decide", "POST", "forum"):               "login wait 404 404 404 404 302 302",
    ("moderation:decide", "POST", "appeal"):              "login wait 404 404 404 403 302 302",
    ("moderation:silence", "POST", "own"):                "login wait 404 404 404 302 302 302",
    ("moderation:silence", "POST", "other"):              "login wait 404 404 404 404 302 302",
    # Suspending an account is for network moderators; the coordinator sees the item: 403.
    ("moderation:suspend", "POST", "own"):                "login wait 404 404 404 403 302 302",
    ("moderation:suspend", "POST", "other"):              "login wait 404 404 404 404 302 302",
    # Only the author appeals (the GR panellist's rejected post); an Irish panellist's: nobody here.
    ("moderation:appeal", "POST", "own"):                 "login wait 404 404 302 404 404 404",
    ("moderation:appeal", "POST", "other"):               "login wait 404 404 404 404 404 404",
    # A silence: whoever gave it and the network moderators; a suspension: network moderators.
    ("moderation:sanction_lift", "POST", "silence"):      "login wait 404 404 404 302 302 302",
    ("moderation:sanction_lift", "POST", "suspension"):   "login wait 404 404 404 404 302 302",
    ("moderation:my_items", "GET", ""):                   "login wait 200 200 200 200 200 200",
    # Flag what you can read: the Helplines forum (not youth panellists), the GR panel (not
    # staff outside it; its panellists, its coordinator and the network moderators, who read every
    # youth space to decide and flag its items), the Irish panel (network moderators only here).
    # Form pages: the POST of the form checks the same way (tests/moderation).
    ("moderation:flag", "GET", "forum"):                  "login wait 200 200 404 200 200 200",
    ("moderation:flag", "GET", "youth"):                  "login wait 404 404 200 200 200 200",
    ("moderation:flag", "GET", "other-youth"):            "login wait 404 404 404 404 200 200",
    ("moderation:concern_new", "GET", ""):                "login wait 200 200 200 200 200 200",
    # Concerns: safeguarding leads only, of the concern's country (ycoo: GR) or the network.
    ("moderation:concerns", "GET", ""):                   "login wait 404 404 404 200 404 200",
    ("moderation:concern", "GET", "own"):                 "login wait 404 404 404 200 404 200",
    ("moderation:concern", "GET", "other"):               "login wait 404 404 404 404 404 200",
    # The audit log, its export and the settings: network coordinators.
    ("moderation:audit", "GET", ""):                      "login wait 404 404 404 404 404 200",
    ("moderation:audit_csv", "GET", ""):                  "login wait 404 404 404 404 404 200",
    ("moderation:settings", "GET", ""):                   "login wait 404 404 404 404 404 200",
    ("moderation:settings_action", "POST", "settings"):   "login wait 404 404 404 404 404 302",
    ("moderation:settings_action", "POST", "phrase"):     "login wait 404 404 404 404 404 302",
    ("moderation:phrase_remove", "POST", ""):             "login wait 404 404 404 404 404 302",
}
