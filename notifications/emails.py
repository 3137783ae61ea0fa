"""Outgoing notification mail: HTML + text, with a signed one-click unsubscribe link."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from .kinds import get_kind

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    base = getattr(settings, "SITE_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def unsubscribe_url(user, scope: str) -> str:
    from .services import unsubscribe_token

    token = unsubscribe_token(user=user, scope=scope)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def build_message(*, user, subject: str, template: str, context: dict, unsubscribe_scope: str | None):
    """One email from `<template>.txt` and `<template>.html`. With a scope it carries the
    List-Unsubscribe headers (RFC 2369 and RFC 8058 one-click)."""
    context = {
        **context,
        "user": user,
        "site_name": settings.SITE_NAME,
        "site_url": absolute_url("/"),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    headers = {}
    if unsubscribe_scope:
        link = unsubscribe_url(user, unsubscribe_scope)
        context["unsubscribe_url"] = link
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        # Titles come from members: a line break in a header would refuse the whole batch.
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(str(subject).split()),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_immediately(notifications) -> None:
    """Email each notification to its recipient. Runs after commit; a mail server that is
    down loses the email, never the stored notification."""
    messages = []
    for notification in notifications:
        spec = get_kind(notification.kind)
        messages.append(
            build_message(
                user=notification.recipient,
                subject=notification.title,
                template="notifications/email/notification",
                context={
                    "notification": notification,
                    "kind": spec,
                    "link": absolute_url(notification.url or reverse("notifications:list")),
                },
                unsubscribe_scope=None if spec.is_account else notification.kind,
            )
        )
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 - mail failures must not break the action that notified
        logger.warning("Sending %d notification emails failed", len(messages), exc_info=True)
