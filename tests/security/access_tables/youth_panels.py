"""youth_panels pages: who may reach what.

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).

The GR roles (member, org_admin, youth_panellist, youth_coordinator) belong to the Greek
organisation; the moderator and the network coordinator to a Belgian one. The youth panellist
is on the Greek panel (country default), the youth coordinator coordinates it. The moderator
reads every space, held content included (they decide youth items in the moderation queue), and
is refused (403) every action of a panellist or coordinator there. Variants:

  own        the Greek panel and what is in it (the youth panellist's own post and comment)
  other      the Irish panel and what is in it: a 404 for everyone but moderators and network
             coordinators
  european   the European youth area (panellists, youth coordinators, followers, network)
  pending    a post of another Greek panellist still waiting for review
  colleague  an approved post of another Greek panellist
  promoted   an Irish post promoted to the European area
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community import services as community_services
from community.models import Role
from meetings import files as meeting_files
from youth_panels import images, services
from youth_panels.models import YouthPanel

from ...factories import make_member
from ...youth_panels.helpers import approve, approved_comment, approved_post


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def _image():
    return images.clean_image(SimpleUploadedFile("photo.png", _png(), content_type="image/png"))


def _approved(post, coordinator):
    if post.moderation_state != "approved":
        approve(coordinator, post)
        post.refresh_from_db()
    return post


def extend(world, request):
    """Greek, Irish and European youth content, made through the services."""
    panellist = world.users["youth_panellist"]
    coordinator = world.users["youth_coordinator"]
    world.youth_gr_panel = YouthPanel.objects.get(country__code="GR")
    world.youth_ie_panel = YouthPanel.objects.get(country__code="IE")
    world.youth_european_area = YouthPanel.objects.get(is_european=True)
    world.youth_colleague = make_member(organisation=world.organisation, role=Role.YOUTH_PANELLIST,
                                        services_codes=("youth",), display_name="Niki")
    irish_panellist = make_member(organisation=world.other_organisation, role=Role.YOUTH_PANELLIST,
                                  services_codes=("youth",), display_name="Ciara")
    irish_coordinator = make_member(organisation=world.other_organisation, role=Role.YOUTH_COORDINATOR,
                                    services_codes=("youth",), display_name="Siobhan")
    world.youth_irish_panellist = irish_panellist

    world.youth_own_post = _approved(
        services.create_post(actor=panellist, panel=world.youth_gr_panel, title="Own post", body="Hello",
                             image=_image(), image_alt="An orange square")[0], coordinator)
    world.youth_colleague_post = approved_post(author=world.youth_colleague, panel=world.youth_gr_panel,
                                               coordinator=coordinator, title="Colleague's post")
    world.youth_pending_post, _held = services.create_post(
        actor=world.youth_colleague, panel=world.youth_gr_panel, title="Waiting post", body="Still waiting")
    assert world.youth_pending_post.moderation_state == "pending"
    world.youth_other_post = _approved(
        services.create_post(actor=irish_panellist, panel=world.youth_ie_panel, title="Irish post", body="Dia duit",
                             image=_image(), image_alt="An orange square")[0], irish_coordinator)
    world.youth_promoted_post = approved_post(author=irish_panellist, panel=world.youth_ie_panel,
                                              coordinator=irish_coordinator, title="Promoted Irish post")
    assert services.promote_post(actor=irish_coordinator, post=world.youth_promoted_post)

    world.youth_own_comment = approved_comment(author=panellist, post=world.youth_own_post, coordinator=coordinator)
    world.youth_colleague_comment = approved_comment(author=world.youth_colleague, post=world.youth_own_post,
                                                     coordinator=coordinator)
    world.youth_other_comment = approved_comment(author=irish_panellist, post=world.youth_other_post,
                                                 coordinator=irish_coordinator)

    def resource(actor, panel):
        guide = meeting_files.check_and_clean(SimpleUploadedFile("guide.png", _png()))
        return services.add_resource(actor=actor, panel=panel, title="Guide", url="https://example.org/guide",
                                     file=guide)

    world.youth_own_resource = resource(coordinator, world.youth_gr_panel)
    world.youth_other_resource = resource(irish_coordinator, world.youth_ie_panel)
    world.youth_european_resource = resource(world.users["network_coordinator"], world.youth_european_area)

    # Panellists of unknown age who give a year above the consent age: held for their coordinators.
    for panellist_ in (world.youth_colleague, irish_panellist):
        community_services.set_own_birth_year(actor=panellist_, birth_year=2000)
    world.youth_own_birth_year = world.youth_colleague.birth_year_changes.get()
    world.youth_other_birth_year = irish_panellist.birth_year_changes.get()

    world.youth_own_invitation = services.invite_panellist(
        actor=coordinator, panel=world.youth_gr_panel, email="young.gr@example.org",
        organisation=world.organisation, birth_year=2008, parental_authorisation=True, authorised_by="Parent")
    world.youth_other_invitation = services.invite_panellist(
        actor=irish_coordinator, panel=world.youth_ie_panel, email="young.ie@example.org",
        organisation=world.other_organisation, birth_year=2008, parental_authorisation=True, authorised_by="Parent")


def _post(attribute):
    return lambda w, u: {"post_id": getattr(w, attribute).pk}


def _comment(attribute):
    return lambda w, u: {"comment_id": getattr(w, attribute).pk}


def _space(attribute):
    return lambda w, u: {"slug": getattr(w, attribute).slug}


POSTS = {"own": _post("youth_own_post"), "other": _post("youth_other_post"),
         "pending": _post("youth_pending_post"), "colleague": _post("youth_colleague_post"),
         "promoted": _post("youth_promoted_post")}
SPACES = {"own": _space("youth_gr_panel"), "other": _space("youth_ie_panel"),
          "european": _space("youth_european_area")}

TARGETS = {
    "youth_panels:index": {"GET": {"": lambda w, u: {}}},
    "youth_panels:follow": {"POST": {"": lambda w, u: {}}},
    "youth_panels:search": {"GET": {"": lambda w, u: {}}},
    "youth_panels:post": {"GET": POSTS},
    "youth_panels:post_edit": {"GET": {name: POSTS[name] for name in ("own", "other", "pending", "colleague")}},
    "youth_panels:post_image": {"GET": {"own": POSTS["own"], "other": POSTS["other"]}},
    "youth_panels:post_delete": {"GET": {name: POSTS[name] for name in ("own", "other", "pending", "colleague")}},
    "youth_panels:post_promote": {"POST": {name: POSTS[name] for name in ("own", "other", "pending", "promoted")}},
    "youth_panels:comment_delete": {"GET": {"own": _comment("youth_own_comment"),
                                            "colleague": _comment("youth_colleague_comment"),
                                            "other": _comment("youth_other_comment")}},
    "youth_panels:resource_action": {"POST": {
        "own": lambda w, u: {"resource_id": w.youth_own_resource.pk},
        "other": lambda w, u: {"resource_id": w.youth_other_resource.pk},
        "european": lambda w, u: {"resource_id": w.youth_european_resource.pk}}},
    "youth_panels:resource_file": {"GET": {
        "own": lambda w, u: {"resource_id": w.youth_own_resource.pk},
        "other": lambda w, u: {"resource_id": w.youth_other_resource.pk},
        "european": lambda w, u: {"resource_id": w.youth_european_resource.pk}}},
    "youth_panels:invitation_action": {"POST": {
        "own": lambda w, u: {"membership_id": w.youth_own_invitation.pk},
        "other": lambda w, u: {"membership_id": w.youth_other_invitation.pk}}},
    "youth_panels:birth_year_check": {"POST": {
        "own": lambda w, u: {"change_id": w.youth_own_birth_year.pk},
        "other": lambda w, u: {"change_id": w.youth_other_birth_year.pk}}},
    "youth_panels:space": {"GET": SPACES},
    "youth_panels:post_new": {"GET": SPACES},
    "youth_panels:resource_new": {"GET": SPACES},
    "youth_panels:dashboard": {"GET": SPACES},
    "youth_panels:member_remove": {"POST": {
        "own": lambda w, u: {"slug": w.youth_gr_panel.slug, "user_id": w.youth_colleague.pk},
        "other": lambda w, u: {"slug": w.youth_ie_panel.slug, "user_id": w.youth_irish_panellist.pk},
        # A Greek panellist named under the Irish panel: not one of its members.
        "mismatched": lambda w, u: {"slug": w.youth_ie_panel.slug, "user_id": w.youth_colleague.pk}}},
}

POST_DATA = {
    "youth_panels:follow": {"follow": "1"},
    "youth_panels:resource_action": {"action": "unpin"},
    "youth_panels:invitation_action": {"action": "resend"},
    "youth_panels:birth_year_check": {"action": "decline"},
    "youth_panels:member_remove": {"reason": "Left the panel"},
}

#                                                                   anon  pend memb oadm yth  ycoo mod  netco
EXPECTED = {
    # The landing page lists only the spaces the viewer may enter (none for most staff, who
    # are offered to follow youth work instead).
    ("youth_panels:index", "GET", ""):                              "login wait 200 200 200 200 200 200",
    # Panellists, youth coordinators and moderators are in the youth area already: nothing to follow.
    ("youth_panels:follow", "POST", ""):                            "login wait 302 302 403 403 403 302",
    # Results are filtered to the viewer's spaces (tests/youth_panels/test_visibility.py).
    ("youth_panels:search", "GET", ""):                             "login wait 200 200 200 200 200 200",
    ("youth_panels:post", "GET", "own"):                            "login wait 404 404 200 200 200 200",
    ("youth_panels:post", "GET", "other"):                          "login wait 404 404 404 404 200 200",
    # Another panellist's post waiting for review: its author, the coordinators and moderators.
    ("youth_panels:post", "GET", "pending"):                        "login wait 404 404 404 200 200 200",
    ("youth_panels:post", "GET", "colleague"):                      "login wait 404 404 200 200 200 200",
    # Promoted to the European area: every panellist and youth coordinator reads it there.
    ("youth_panels:post", "GET", "promoted"):                       "login wait 404 404 200 200 200 200",
    # Only the author edits; coordinators who see the post are refused (403).
    ("youth_panels:post_edit", "GET", "own"):                       "login wait 404 404 200 403 403 403",
    ("youth_panels:post_edit", "GET", "other"):                     "login wait 404 404 404 404 403 403",
    ("youth_panels:post_edit", "GET", "pending"):                   "login wait 404 404 404 403 403 403",
    ("youth_panels:post_edit", "GET", "colleague"):                 "login wait 404 404 403 403 403 403",
    # Images are served by a permission-checked view, never from MEDIA_URL.
    ("youth_panels:post_image", "GET", "own"):                      "login wait 404 404 200 200 200 200",
    ("youth_panels:post_image", "GET", "other"):                    "login wait 404 404 404 404 200 200",
    # The confirmation page: authors delete their own content, coordinators anything in the space.
    ("youth_panels:post_delete", "GET", "own"):                     "login wait 404 404 200 200 403 200",
    ("youth_panels:post_delete", "GET", "other"):                   "login wait 404 404 404 404 403 200",
    ("youth_panels:post_delete", "GET", "pending"):                 "login wait 404 404 404 200 403 200",
    ("youth_panels:post_delete", "GET", "colleague"):               "login wait 404 404 403 200 403 200",
    # Promotion: the space's coordinators, approved posts only.
    ("youth_panels:post_promote", "POST", "own"):                   "login wait 404 404 403 302 403 302",
    ("youth_panels:post_promote", "POST", "other"):                 "login wait 404 404 404 404 403 302",
    ("youth_panels:post_promote", "POST", "pending"):               "login wait 404 404 404 403 403 403",
    # Readable in the European area, but only the Irish coordinators (and network) decide on it.
    ("youth_panels:post_promote", "POST", "promoted"):              "login wait 404 404 403 403 403 302",
    ("youth_panels:comment_delete", "GET", "own"):                  "login wait 404 404 200 200 403 200",
    ("youth_panels:comment_delete", "GET", "colleague"):            "login wait 404 404 403 200 403 200",
    ("youth_panels:comment_delete", "GET", "other"):                "login wait 404 404 404 404 403 200",
    ("youth_panels:resource_action", "POST", "own"):                "login wait 404 404 403 302 403 302",
    ("youth_panels:resource_action", "POST", "other"):              "login wait 404 404 404 404 403 302",
    # The European area is coordinated by its appointed coordinators (guardian) and the network.
    ("youth_panels:resource_action", "POST", "european"):           "login wait 404 404 403 403 403 302",
    # A resource's file is served to the people of its space only.
    ("youth_panels:resource_file", "GET", "own"):                   "login wait 404 404 200 200 200 200",
    ("youth_panels:resource_file", "GET", "other"):                 "login wait 404 404 404 404 200 200",
    ("youth_panels:resource_file", "GET", "european"):              "login wait 404 404 200 200 200 200",
    ("youth_panels:invitation_action", "POST", "own"):              "login wait 404 404 403 302 403 302",
    ("youth_panels:invitation_action", "POST", "other"):            "login wait 404 404 404 404 403 302",
    # A panellist's own birth year waiting for a check: the panel's coordinators and the network.
    ("youth_panels:birth_year_check", "POST", "own"):               "login wait 404 404 403 302 403 302",
    ("youth_panels:birth_year_check", "POST", "other"):             "login wait 404 404 404 404 403 302",
    # A national space: its panellists, its coordinators, network coordinators.
    ("youth_panels:space", "GET", "own"):                           "login wait 404 404 200 200 200 200",
    ("youth_panels:space", "GET", "other"):                         "login wait 404 404 404 404 200 200",
    # The European area: panellists, youth coordinators, staff who follow youth work, network.
    ("youth_panels:space", "GET", "european"):                      "login wait 404 404 200 200 200 200",
    ("youth_panels:post_new", "GET", "own"):                        "login wait 404 404 200 200 403 200",
    ("youth_panels:post_new", "GET", "other"):                      "login wait 404 404 404 404 403 200",
    # Panellists blog nationally; their posts reach the European area by promotion.
    ("youth_panels:post_new", "GET", "european"):                   "login wait 404 404 403 403 403 200",
    ("youth_panels:resource_new", "GET", "own"):                    "login wait 404 404 403 200 403 200",
    ("youth_panels:resource_new", "GET", "other"):                  "login wait 404 404 404 404 403 200",
    ("youth_panels:resource_new", "GET", "european"):               "login wait 404 404 403 403 403 200",
    ("youth_panels:dashboard", "GET", "own"):                       "login wait 404 404 403 200 403 200",
    ("youth_panels:dashboard", "GET", "other"):                     "login wait 404 404 404 404 403 200",
    ("youth_panels:dashboard", "GET", "european"):                  "login wait 404 404 403 403 403 200",
    ("youth_panels:member_remove", "POST", "own"):                  "login wait 404 404 403 302 403 302",
    ("youth_panels:member_remove", "POST", "other"):                "login wait 404 404 404 404 403 302",
    # Someone who is not a member of the named panel cannot be removed from it (moderators may
    # not remove anyone: 403 before the member is looked up).
    ("youth_panels:member_remove", "POST", "mismatched"):           "login wait 404 404 404 404 403 404",
}
