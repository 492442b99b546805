"""Sending one outbox row on its channel: email (text + RTL HTML) or SMS.

The in-app channel needs no sending: the row is the message.
"""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.sms import DeliveryError, PermanentDeliveryError, get_sms_gateway
from notifications.digests import digest_groups
from notifications.events import DIGEST, EVENTS, Channel
from notifications.models import Notification
from notifications.tokens import make_token


def send(notification: Notification) -> None:
    """Hand the row to its channel; raise DeliveryError when it did not go out."""
    if notification.channel == Channel.EMAIL:
        send_email(notification)
    elif notification.channel == Channel.SMS:
        send_sms(notification)


def send_sms(notification: Notification) -> None:
    phone = notification.recipient.phone
    if not phone:
        raise PermanentDeliveryError("The recipient has no mobile number.")
    get_sms_gateway().send(to=phone, text=notification.body, reference=f"notification-{notification.pk}")


def send_email(notification: Notification) -> None:
    if not notification.recipient.email:
        raise PermanentDeliveryError("The recipient has no email address.")
    message = build_email(notification)
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"The mail server refused the address: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"Mail server error: {exc}") from exc


def unsubscribe_url(*, user_id: int, event: str, channel: str = Channel.EMAIL) -> str:
    token = make_token(user_id=user_id, event=event, channel=channel)
    return _absolute(reverse("notifications:unsubscribe", args=[token]))


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """The message a recipient gets: Persian subject, text and RTL HTML, unsubscribe links."""
    user = notification.recipient
    with translation.override(settings.LANGUAGE_CODE):
        if notification.event == DIGEST:
            folded = list(notification.folded.order_by("created_at", "id"))
            groups = digest_groups(folded)
            event_keys = list(dict.fromkeys(row.event for row in folded))
        else:
            groups = []
            event_keys = [notification.event]
        unsubscribe = [
            {"label": EVENTS[key].label, "url": unsubscribe_url(user_id=user.pk, event=key)}
            for key in event_keys
            if key in EVENTS and EVENTS[key].user_facing
        ]
        context = {
            "notification": notification,
            "recipient": user,
            "link": notification.absolute_url(),
            "groups": groups,
            "unsubscribe": unsubscribe,
            "preferences_url": _absolute(reverse("notifications:preferences")),
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    headers = {"Message-ID": f"<notification-{notification.pk}@{_domain()}>"}
    if len(unsubscribe) == 1:
        headers["List-Unsubscribe"] = f"<{unsubscribe[0]['url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
