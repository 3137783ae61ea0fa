from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from .security import log_security_event

# Set by the invitation landing page so the invitee comes back to it after signing up or in.
PENDING_INVITATION_SESSION_KEY = "pending_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def _pending_invitation_url(self, request):
        token = request.session.get(PENDING_INVITATION_SESSION_KEY)
        return reverse("invitation_accept", args=[token]) if token else None

    def get_login_redirect_url(self, request):
        invitation_url = self._pending_invitation_url(request)
        if invitation_url:
            return invitation_url
        user = request.user
        if user.is_authenticated and not user.is_approved_member:
            return reverse("onboarding_waiting")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._pending_invitation_url(request) or reverse("onboarding_choose")

    def get_email_verification_redirect_url(self, email_address):
        return reverse("onboarding_waiting")

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            log_security_event("login_locked_out", request=request, login=credentials.get("email", ""))
            raise

    def authentication_failed(self, request, **credentials):
        # The attempted login is logged (escaped); the password never is.
        log_security_event("login_failed", request=request, login=credentials.get("email", ""))
        super().authentication_failed(request, **credentials)
