"""Outgoing notification mail: HTML + text, with a signed one-click unsubscribe link."""

import logging
import smtplib

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


def send_each(notifications) -> list[int]:
    """Send one message per notification over one connection; return the ids not sent.

    A message the server refuses (a bad address, say) does not stop the others; a server that is
    unreachable or goes away stops the batch at once: waiting out the timeout for each message
    would hold up every email queued behind them."""
    sent: set[int] = set()
    connection = get_connection()
    try:
        connection.open()
        try:
            for notification in notifications:
                try:
                    connection.send_messages([_message_for(notification)])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError):
                    logger.warning("The mail server refused notification email %s", notification.pk, exc_info=True)
                else:
                    sent.add(notification.pk)
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - mail failures must not break the action that notified
        logger.warning("Sending %d notification emails failed", len(notifications) - len(sent), exc_info=True)
    return [notification.pk for notification in notifications if notification.pk not in sent]


def _message_for(notification):
    spec = get_kind(notification.kind)
    return build_message(
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
