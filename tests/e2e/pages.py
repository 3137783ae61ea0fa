"""The main pages reachable today, each opened the way a user would reach it.

Each entry: an id for the test name, the demo account to use ("anonymous", "newcomer" for a
verified account without an organisation, or an email), and how to get there: a path, or a
function that navigates from a page already signed in.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .conftest import HELPLINE_MEMBER, NETWORK_COORDINATOR, ORG_ADMIN, PENDING_APPLICANT, YOUTH_PANELLIST

ANONYMOUS = "anonymous"
NEWCOMER = "newcomer"


@dataclass(frozen=True)
class MainPage:
    id: str
    account: str
    path: str
    then: Callable | None = None  # further navigation after opening `path`

    def open(self, page) -> None:
        page.goto(self.path)
        if self.then is not None:
            self.then(page)


def _click(name: str, role: str = "link"):
    def navigate(page):
        page.get_by_role(role, name=name).first.click()
        page.wait_for_load_state()

    return navigate


def _first_join_link(page):
    page.get_by_role("link", name="Join Hellenic Helpline for Children Online").click()
    page.wait_for_load_state()


MAIN_PAGES = [
    MainPage("login", ANONYMOUS, "/accounts/login/"),
    MainPage("signup", ANONYMOUS, "/accounts/signup/"),
    MainPage("password-reset", ANONYMOUS, "/accounts/password/reset/"),
    MainPage("privacy", ANONYMOUS, "/legal/privacy/"),
    MainPage("terms", ANONYMOUS, "/legal/terms/"),
    MainPage("accessibility-statement", ANONYMOUS, "/legal/accessibility/"),
    MainPage("choose-organisation", NEWCOMER, "/onboarding/"),
    MainPage("join-organisation", NEWCOMER, "/onboarding/?country=GR&q=Hellenic", _first_join_link),
    MainPage("request-organisation", NEWCOMER, "/onboarding/request-organisation/"),
    MainPage("waiting", PENDING_APPLICANT, "/onboarding/waiting/"),
    MainPage("dashboard", ORG_ADMIN, "/"),
    MainPage("member-directory", ORG_ADMIN, "/members/?country=GR"),
    MainPage("member-profile", ORG_ADMIN, "/members/", _click("Giorgos")),
    MainPage("profile-edit", ORG_ADMIN, "/profile/"),
    MainPage("youth-profile-edit", YOUTH_PANELLIST, "/profile/"),
    MainPage("your-data", ORG_ADMIN, "/your-data/"),
    MainPage("membership-requests", ORG_ADMIN, "/memberships/requests/"),
    MainPage("organisation", ORG_ADMIN, "/", _click("Your organisation")),
    MainPage("organisation-members", ORG_ADMIN, "/", lambda page: (_click("Your organisation")(page),
                                                                    _click("Manage members")(page))),
    MainPage("notifications", ORG_ADMIN, "/notifications/"),
    MainPage("email-addresses", HELPLINE_MEMBER, "/accounts/email/"),
    MainPage("change-password", HELPLINE_MEMBER, "/accounts/password/change/"),
    MainPage("two-factor", HELPLINE_MEMBER, "/accounts/2fa/"),
    MainPage("sessions", HELPLINE_MEMBER, "/accounts/sessions/"),
    MainPage("requested-organisations", NETWORK_COORDINATOR, "/organisations/requests/"),
    MainPage("invitations", NETWORK_COORDINATOR, "/invitations/"),
    MainPage("forums", HELPLINE_MEMBER, "/forums/"),
    MainPage("youth", YOUTH_PANELLIST, "/youth/"),
    MainPage("meetings", HELPLINE_MEMBER, "/meetings/"),
]
