"""Browser hardening, session lifetimes by role, the security event log and the outage page.

OWASP ASVS Level 2 asks for these in one place so every request gets them the same way:

- `SecurityHeadersMiddleware`: Permissions-Policy, `Cache-Control: no-store` on members-only
  answers, `Clear-Site-Data` on logout, and a log line for every 403 and 429 answered.
- `SessionLifetimeMiddleware`: roles that handle the most sensitive material (those that need
  two-factor authentication) are signed out after 30 idle minutes and after 12 hours in any case;
  everyone else after 14 days.
- `log_security_event`: one JSON line per security event on the `security` logger, with who,
  what, when (UTC) and the client IP; never a password, code, token or session key.
- `server_error`: the project's handler500. A database that has gone away answers a friendly
  503 page, anything else the friendly 500 page; neither shows internals.
"""

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from . import permissions

security_logger = logging.getLogger("security")

# The request being answered, so events raised deep inside a service (a role change, a
# suspension) are logged with the acting user and their IP without threading them through.
_current_request: contextvars.ContextVar = contextvars.ContextVar("security_current_request", default=None)

# Keys never written to the log, whatever a caller passes: credentials and anything that
# would let a reader take over a session.
_SECRET_KEY_PARTS = ("password", "otp", "code", "token", "secret", "session", "key", "csrf", "cookie")


def client_ip(request) -> str:
    """The client IP as allauth's rate limits see it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - an unparseable forwarded header must not stop logging
        return request.META.get("REMOTE_ADDR", "")


def _loaded_user(request):
    """request.user if authentication already resolved it, else None: resolving a lazy user
    here could query a database that is down, or recurse into authentication."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        return None if user._wrapped is empty else user._wrapped
    return user


def _is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in _SECRET_KEY_PARTS)


def _clean(value):
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)[:500]


def log_security_event(event: str, *, request=None, user=None, actor=None, **details) -> dict:
    """Write one JSON line for a security event and return the record.

    `user` is who the event is about (the person who failed to sign in, the suspended member);
    `actor` who caused it, by default whoever is signed in on the current request. json.dumps
    escapes newlines and control characters in user-supplied values, so one event is always
    one line.
    """
    request = request or _current_request.get()
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "event": event}
    if user is not None:
        record["user_id"] = getattr(user, "pk", None)
    if actor is None and request is not None:
        actor = _loaded_user(request)
    if actor is not None and actor.is_authenticated:
        record["actor_id"] = actor.pk
    if request is not None:
        record["ip"] = client_ip(request)
        record["method"] = request.method
        record["path"] = request.path
    for key, value in details.items():
        if not _is_secret(key):
            record[key] = _clean(value)
    security_logger.info(json.dumps(record, ensure_ascii=True, sort_keys=False))
    return record


# --- Headers --------------------------------------------------------------------------

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class SecurityHeadersMiddleware:
    """Sits right after SessionMiddleware and before AuthenticationMiddleware's consumers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            is_logout = request.method == "POST" and request.path_info == reverse("account_logout")
            was_signed_in = is_logout and request.user.is_authenticated
            response = self.get_response(request)
            self._add_headers(request, response, was_signed_out=was_signed_in and not request.user.is_authenticated)
            if response.status_code in (403, 429):
                log_security_event("forbidden" if response.status_code == 403 else "rate_limited",
                                   request=request, status=response.status_code)
            return response
        finally:
            _current_request.reset(token)

    @staticmethod
    def _add_headers(request, response, *, was_signed_out: bool) -> None:
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = _loaded_user(request)
        signed_in = user is not None and user.is_authenticated
        if signed_in or was_signed_out or not response.has_header("Cache-Control"):
            # Members-only pages must never be kept by a shared or back-button cache.
            patch_cache_control(response, no_store=True, private=True)
        if was_signed_out:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA


# --- Session lifetimes ----------------------------------------------------------------

AUTHENTICATED_AT_KEY = "security.authenticated_at"
LAST_SEEN_KEY = "security.last_seen"
# How stale the stored last-seen stamp may get before it is rewritten: keeps the session
# row from being written on every request while measuring idleness to the minute.
_LAST_SEEN_RESOLUTION = 60
KEEP_OTHER_SESSIONS_ATTR = "_security_keep_other_sessions"
# Sent by scripts with requests nobody asked for (static/js/notifications.js polling and
# catching up): they are answered but are not activity, so an unattended open page still
# reaches the idle limit.
BACKGROUND_REQUEST_HEADER = "X-Background-Request"


def session_limits(user) -> tuple[int, int]:
    """(idle seconds, absolute seconds) for this user's sessions."""
    if permissions.requires_mfa(user):
        return settings.SENSITIVE_SESSION_IDLE_SECONDS, settings.SENSITIVE_SESSION_ABSOLUTE_SECONDS
    return settings.SESSION_COOKIE_AGE, settings.SESSION_COOKIE_AGE


def stamp_session_start(request) -> None:
    now = int(timezone.now().timestamp())
    request.session[AUTHENTICATED_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionLifetimeMiddleware:
    """Signs out sessions that have been idle or open longer than the user's role allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                log_security_event("session_expired", request=request, user=user, reason=expired)
                # One device timing out is not the member signing out everywhere.
                setattr(request, KEEP_OTHER_SESSIONS_ATTR, True)
                logout(request)
                messages.info(request, _("You were signed out to keep your account safe. Please sign in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request, user) -> str:
        idle, absolute = session_limits(user)
        session = request.session
        now = int(timezone.now().timestamp())
        started = session.get(AUTHENTICATED_AT_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if started is None or last_seen is None:
            stamp_session_start(request)
            started = last_seen = now
        if now - started > absolute:
            return "absolute"
        if now - last_seen > idle:
            return "idle"
        if now - last_seen >= _LAST_SEEN_RESOLUTION and not request.headers.get(BACKGROUND_REQUEST_HEADER):
            session[LAST_SEEN_KEY] = now
        if session.get("_session_expiry") not in (0, idle):
            # The cookie and the stored session die with the idle limit too, unless the
            # member chose a cookie that dies with the browser (0).
            session.set_expiry(idle)
        return ""


# --- Outage and error pages -----------------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request, *args, **kwargs):
    """handler500: a lost database is an outage (503, try again), anything else a 500.

    Rendered without a RequestContext: its context processors query the database, which may
    be exactly what failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.get_template("500.html").render({}), status=500)
    patch_cache_control(response, no_store=True)
    return response


# --- Security events from Django and allauth -------------------------------------------


def _end_every_session(user) -> None:
    from .services import end_all_sessions

    end_all_sessions(user)


def _on_logged_in(sender, request, user, **kwargs):
    stamp_session_start(request)
    log_security_event("login_succeeded", request=request, user=user)


def _on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    if getattr(request, KEEP_OTHER_SESSIONS_ATTR, False):
        return
    log_security_event("logout", request=request, user=user)
    # Signing out signs out everywhere: a shared or stolen device keeps nothing.
    _end_every_session(user)


def _on_password_changed(sender, request, user, **kwargs):
    log_security_event("password_changed", request=request, user=user)
    _end_every_session(user)


def _on_password_reset(sender, request, user, **kwargs):
    log_security_event("password_reset", request=request, user=user)
    _end_every_session(user)


def _on_mfa_failed(sender, request=None, user=None, authenticator=None, **kwargs):
    log_security_event("mfa_failed", request=request, user=user,
                       authenticator=getattr(authenticator, "type", ""),
                       reauthentication=bool(kwargs.get("reauthentication")))


def _on_authenticator_changed(event):
    def receiver(sender, request=None, user=None, authenticator=None, **kwargs):
        log_security_event(event, request=request, user=user, authenticator=getattr(authenticator, "type", ""))

    return receiver


def _on_groups_changed(sender, instance, action, pk_set, model, reverse, **kwargs):
    """Role changes by any path (services, admin, shell) are security events."""
    if action not in ("post_add", "post_remove") or not pk_set or reverse:
        return
    role_names = sorted(model.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    log_security_event("role_granted" if action == "post_add" else "role_revoked", user=instance,
                       roles=",".join(role_names))


def _on_user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields and "suspended_at" in update_fields and instance.suspended_at is not None:
        log_security_event("member_suspended", user=instance,
                           until=instance.suspended_until.isoformat() if instance.suspended_until else "")


_authenticator_added_receiver = _on_authenticator_changed("mfa_authenticator_added")
_authenticator_removed_receiver = _on_authenticator_changed("mfa_authenticator_removed")


def connect_receivers() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import m2m_changed, post_save

    user_model = get_user_model()
    user_logged_in.connect(_on_logged_in, dispatch_uid="security.logged_in")
    user_logged_out.connect(_on_logged_out, dispatch_uid="security.logged_out")
    account_signals.password_changed.connect(_on_password_changed, dispatch_uid="security.password_changed")
    account_signals.password_reset.connect(_on_password_reset, dispatch_uid="security.password_reset")
    mfa_signals.authentication_failed.connect(_on_mfa_failed, dispatch_uid="security.mfa_failed")
    mfa_signals.authenticator_added.connect(_authenticator_added_receiver, dispatch_uid="security.mfa_added")
    mfa_signals.authenticator_removed.connect(_authenticator_removed_receiver, dispatch_uid="security.mfa_removed")
    m2m_changed.connect(_on_groups_changed, sender=user_model.groups.through, dispatch_uid="security.groups")
    post_save.connect(_on_user_saved, sender=user_model, dispatch_uid="security.user_saved")


# --- Retention of IP addresses --------------------------------------------------------

IP_RETENTION_DAYS = 7

# (model label, IP field, field saying when the IP was recorded). Apps that store IPs in
# audit records register theirs with `register_ip_field` in AppConfig.ready().
_ip_fields: list[tuple[str, str, str]] = [("usersessions.UserSession", "ip", "created_at")]


def register_ip_field(model_label: str, *, ip_field: str, recorded_at_field: str) -> None:
    entry = (model_label, ip_field, recorded_at_field)
    if entry not in _ip_fields:
        _ip_fields.append(entry)


def truncate_ip(value: str) -> str:
    """Keep the network, drop the host: IPv4 to /24, IPv6 to /48. Idempotent."""
    import ipaddress

    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def truncate_old_ip_addresses(*, now=None) -> dict[str, int]:
    """Truncate every registered IP recorded more than IP_RETENTION_DAYS ago; returns how
    many rows changed per model. Running it twice changes nothing the second time."""
    from datetime import timedelta

    from django.apps import apps

    cutoff = (now or timezone.now()) - timedelta(days=IP_RETENTION_DAYS)
    changed = {}
    for model_label, ip_field, recorded_at_field in _ip_fields:
        model = apps.get_model(model_label)
        count = 0
        old_rows = model.objects.filter(**{f"{recorded_at_field}__lt": cutoff}).exclude(**{ip_field: None})
        for pk, ip in old_rows.values_list("pk", ip_field).iterator():
            truncated = truncate_ip(ip)
            if truncated != ip:
                count += model.objects.filter(pk=pk).update(**{ip_field: truncated})
        changed[model_label] = count
    return changed


def truncate_old_ip_addresses_in_log(path, *, now=None) -> int:
    """Rewrite a JSON-lines security log with old events' IPs truncated; returns lines changed."""
    import os
    import tempfile
    from datetime import timedelta

    cutoff = (now or timezone.now()) - timedelta(days=IP_RETENTION_DAYS)
    changed = 0
    directory = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as source, tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, delete=False
    ) as target:
        for line in source:
            try:
                record = json.loads(line)
                old = datetime.fromisoformat(record["at"]) < cutoff
            except (ValueError, KeyError, TypeError):
                target.write(line)
                continue
            if old and record.get("ip") and truncate_ip(record["ip"]) != record["ip"]:
                record["ip"] = truncate_ip(record["ip"])
                line = json.dumps(record, ensure_ascii=True) + "\n"
                changed += 1
            target.write(line)
    os.replace(target.name, path)
    return changed
