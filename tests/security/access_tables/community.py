"""Community and notifications pages: who may reach what.

Reading a row: one answer per role, in ROLES order (see test_authorization_matrix.py).
"""

from notifications.services import notify


def extend(world, request):
    """The community world is built by World itself; nothing to add."""


def _notification_for(world, user):
    recipient = user or world.users["member"]
    return notify(recipients=[recipient], kind="role_change", title="Yours")[0]


def _users_notification(world, user):
    return {"pk": _notification_for(world, user).pk}


def _someone_elses_notification(world, user):
    return {"pk": _notification_for(world, world.other_admin).pk}


# url name -> method, variant -> (kwargs builder, POST data)
TARGETS = {
    "dashboard": {"GET": {"": lambda w, u: {}}},
    "healthz": {"GET": {"": lambda w, u: {}}},
    "legal": {"GET": {"": lambda w, u: {"page": "privacy"}}},
    "onboarding_choose": {"GET": {"": lambda w, u: {}}},
    "onboarding_join": {"GET": {"own": lambda w, u: {"organisation_id": w.organisation.pk}}},
    "onboarding_request_organisation": {"GET": {"": lambda w, u: {}}},
    "onboarding_waiting": {"GET": {"": lambda w, u: {}}},
    "invitation_accept": {"GET": {"bad-token": lambda w, u: {"token": "not-a-real-token"}}},
    "membership_requests": {"GET": {"": lambda w, u: {}}},
    "membership_approve": {"POST": {"own": lambda w, u: {"membership_id": w.own_request.pk},
                                    "other": lambda w, u: {"membership_id": w.other_request.pk}}},
    "membership_reject": {"POST": {"own": lambda w, u: {"membership_id": w.own_request.pk},
                                   "other": lambda w, u: {"membership_id": w.other_request.pk}}},
    "organisation_requests": {"GET": {"": lambda w, u: {}}},
    "organisation_request_decide": {"POST": {"": lambda w, u: {"organisation_id": w.requested_organisation.pk}}},
    "organisation_detail": {"GET": {"own": lambda w, u: {"organisation_id": w.organisation.pk},
                                    "other": lambda w, u: {"organisation_id": w.other_organisation.pk},
                                    "requested": lambda w, u: {"organisation_id": w.requested_organisation.pk}}},
    "organisation_members": {"GET": {"own": lambda w, u: {"organisation_id": w.organisation.pk},
                                     "other": lambda w, u: {"organisation_id": w.other_organisation.pk}}},
    "organisation_member_action": {"POST": {
        "own": lambda w, u: {"organisation_id": w.organisation.pk, "membership_id": w.own_membership.pk},
        "other": lambda w, u: {"organisation_id": w.other_organisation.pk, "membership_id": w.other_membership.pk},
        "mismatched": lambda w, u: {"organisation_id": w.organisation.pk, "membership_id": w.other_membership.pk},
    }},
    "member_directory": {"GET": {"": lambda w, u: {}}},
    "member_profile": {"GET": {"own": lambda w, u: {"user_id": w.colleague.pk},
                               "other": lambda w, u: {"user_id": w.other_member.pk},
                               "youth": lambda w, u: {"user_id": w.users["youth_panellist"].pk}}},
    "member_suspend": {"POST": {"own": lambda w, u: {"user_id": w.colleague.pk}}},
    "member_unsuspend": {"POST": {"own": lambda w, u: {"user_id": w.colleague.pk}}},
    "invitation_list": {"GET": {"": lambda w, u: {}}},
    "invitation_revoke": {"POST": {"own": lambda w, u: {"invitation_id": w.own_invitation.pk},
                                   "other": lambda w, u: {"invitation_id": w.other_invitation.pk}}},
    "profile_edit": {"GET": {"": lambda w, u: {}}},
    "your_data": {"GET": {"": lambda w, u: {}}},
    "your_data_export": {"GET": {"": lambda w, u: {}}},
    "your_data_delete": {"POST": {"": lambda w, u: {}}},
    "notifications:list": {"GET": {"": lambda w, u: {}}},
    "notifications:feed": {"GET": {"": lambda w, u: {}}},
    "notifications:preferences": {"GET": {"": lambda w, u: {}}},
    "notifications:open": {"POST": {"own": _users_notification, "other": _someone_elses_notification}},
    "notifications:mark_read": {"POST": {"own": _users_notification, "other": _someone_elses_notification}},
    "notifications:mark_all_read": {"POST": {"": lambda w, u: {}}},
    "notifications:unsubscribe": {"GET": {"bad-token": lambda w, u: {"token": "not-a-real-token"}}},
}

POST_DATA = {
    "membership_reject": {"reason": "Not staff of this organisation"},
    "organisation_request_decide": {"decision": "approve"},
    "organisation_member_action": {"action": "remove", "reason": "Left"},
    "member_suspend": {"reason": "Spam"},
}

#                                                       anon  pend memb oadm yth  ycoo mod  netco
EXPECTED = {
    ("dashboard", "GET", ""):                              "login wait 200 200 200 200 200 200",
    ("healthz", "GET", ""):                                "200 200 200 200 200 200 200 200",
    ("legal", "GET", ""):                                  "200 200 200 200 200 200 200 200",
    # Members already in: onboarding sends them on.
    ("onboarding_choose", "GET", ""):                      "login wait 302 302 302 302 302 302",
    ("onboarding_join", "GET", "own"):                     "login wait wait wait wait wait wait wait",
    ("onboarding_request_organisation", "GET", ""):        "login wait wait wait wait wait wait wait",
    ("onboarding_waiting", "GET", ""):                     "login 200 302 302 302 302 302 302",
    # An unknown token shows "this invitation is not valid" to anyone.
    ("invitation_accept", "GET", "bad-token"):             "200 200 200 200 200 200 200 200",
    # The page lists only requests the viewer may decide (empty for most).
    ("membership_requests", "GET", ""):                    "login wait 200 200 200 200 200 200",
    ("membership_approve", "POST", "own"):                 "login wait 404 302 404 404 404 302",
    ("membership_approve", "POST", "other"):               "login wait 404 404 404 404 404 302",
    ("membership_reject", "POST", "own"):                  "login wait 404 302 404 404 404 302",
    ("membership_reject", "POST", "other"):                "login wait 404 404 404 404 404 302",
    ("organisation_requests", "GET", ""):                  "login wait 404 404 404 404 404 200",
    ("organisation_request_decide", "POST", ""):           "login wait 404 404 404 404 404 302",
    # Active organisations are public to members across the network; requested ones are not.
    ("organisation_detail", "GET", "own"):                 "login wait 200 200 200 200 200 200",
    ("organisation_detail", "GET", "other"):               "login wait 200 200 200 200 200 200",
    ("organisation_detail", "GET", "requested"):           "login wait 404 404 404 404 404 200",
    # The organisation is visible, managing its members is refused: 403.
    ("organisation_members", "GET", "own"):                "login wait 403 200 403 403 403 200",
    ("organisation_members", "GET", "other"):              "login wait 403 403 403 403 403 200",
    ("organisation_member_action", "POST", "own"):         "login wait 403 302 403 403 403 302",
    ("organisation_member_action", "POST", "other"):       "login wait 403 403 403 403 403 302",
    ("organisation_member_action", "POST", "mismatched"):  "login wait 403 404 403 403 403 404",
    ("member_directory", "GET", ""):                       "login wait 200 200 200 200 200 200",
    ("member_profile", "GET", "own"):                      "login wait 200 200 200 200 200 200",
    ("member_profile", "GET", "other"):                    "login wait 200 200 200 200 200 200",
    # A youth panellist's profile: themself, their country's coordinators, moderators, network.
    ("member_profile", "GET", "youth"):                    "login wait 404 404 200 200 200 200",
    ("member_suspend", "POST", "own"):                     "login wait 403 403 403 403 302 302",
    ("member_unsuspend", "POST", "own"):                   "login wait 403 403 403 403 302 302",
    ("invitation_list", "GET", ""):                        "login wait 404 200 404 200 404 200",
    ("invitation_revoke", "POST", "own"):                  "login wait 404 302 404 404 404 302",
    ("invitation_revoke", "POST", "other"):                "login wait 404 404 404 404 404 302",
    ("profile_edit", "GET", ""):                           "login wait 200 200 200 200 200 200",
    ("your_data", "GET", ""):                              "login wait 200 200 200 200 200 200",
    ("your_data_export", "GET", ""):                       "login wait 200 200 200 200 200 200",
    ("your_data_delete", "POST", ""):                      "login wait 302 302 302 302 302 302",
    # Notifications are reachable while waiting for approval (decisions arrive there).
    ("notifications:list", "GET", ""):                     "login 200 200 200 200 200 200 200",
    ("notifications:feed", "GET", ""):                     "login 200 200 200 200 200 200 200",
    ("notifications:preferences", "GET", ""):              "login 200 200 200 200 200 200 200",
    # Someone else's notification does not exist for you: 404, nothing marked
    # (test_someone_elses_notification_is_never_marked_or_followed).
    ("notifications:open", "POST", "own"):                 "login 302 302 302 302 302 302 302",
    ("notifications:open", "POST", "other"):               "login 404 404 404 404 404 404 404",
    ("notifications:mark_read", "POST", "own"):            "login 302 302 302 302 302 302 302",
    ("notifications:mark_read", "POST", "other"):          "login 404 404 404 404 404 404 404",
    ("notifications:mark_all_read", "POST", ""):           "login 302 302 302 302 302 302 302",
    ("notifications:unsubscribe", "GET", "bad-token"):     "400 400 400 400 400 400 400 400",
}
