"""Members only: the one gate every request passes.

Anonymous visitors go to the login page; signed-in people who are not (yet) approved see only
account pages, onboarding and the legal pages; suspended members are signed out at their next
request; people whose role requires two-factor authentication are sent to set it up first.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import permissions

# Reachable without signing in.
# /meetings/feed/: calendar apps fetch personal feeds without a session; the secret in the
# URL is checked by meetings.views.calendar_feed.
PUBLIC_PREFIXES = ("/accounts/", "/legal/", "/join/", "/static/", "/healthz", "/favicon.ico",
                   "/notifications/unsubscribe/", "/meetings/feed/")
# Reachable when signed in but not approved.
ONBOARDING_PREFIXES = PUBLIC_PREFIXES + ("/onboarding/", "/notifications/")
# Reachable before two-factor authentication is set up: signing out, setting it up (which
# asks to re-enter the password), confirming an email address, and the legal pages.
MFA_SETUP_PREFIXES = (
    "/accounts/logout/", "/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/confirm-email/",
    "/legal/", "/static/", "/healthz",
)


class MembersOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = request.user
        if not user.is_authenticated:
            if path.startswith(PUBLIC_PREFIXES):
                return self.get_response(request)
            return redirect_to_login(request.get_full_path())

        if user.is_suspended:
            reason = user.suspension_reason
            logout(request)
            messages.error(request, _("Your account is suspended. Reason: %(reason)s") % {"reason": reason})
            return redirect("account_login")

        if permissions.requires_mfa(user) and not path.startswith(MFA_SETUP_PREFIXES) and not _has_mfa(user):
            messages.info(request, _("Your role requires two-factor authentication. Please add an authenticator "
                                     "app or a passkey to continue."))
            # The overview offers both an authenticator app and a passkey.
            return redirect("mfa_index")

        if path.startswith("/admin/") and user.is_staff:
            return self.get_response(request)
        if not user.is_approved_member and not path.startswith(ONBOARDING_PREFIXES):
            return redirect("onboarding_waiting")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    """An authenticator app or a passkey; recovery codes alone are a fallback, not a factor."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
