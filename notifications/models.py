"""The notification outbox, the inbox it doubles as, preferences and digest runs.

A ``Notification`` is one message to one person on one channel. It is written
in the transaction of the event that causes it and delivered afterwards by a
Celery task, so a crash, a broker outage or a gateway error can delay a
message but never lose it or send it twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jalali import jalali_date_string
from notifications.events import EVENTS, Channel


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    HELD = "held", _("Held for the summary email")
    SENT = "sent", _("Sent")
    FOLDED = "folded", _("Sent in a summary email")
    FAILED = "failed", _("Failed")


class DigestFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Send each email right away")
    DAILY = "daily", _("One summary email a day")
    WEEKLY = "weekly", _("One summary email a week")


class NotificationQuerySet(models.QuerySet):
    def inbox(self, user) -> NotificationQuerySet:
        """The user's in-app notifications, newest first: the inbox page and the API."""
        return self.filter(recipient_id=user.pk, channel=Channel.IN_APP).order_by("-created_at", "-id")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def due_for_sweep(self, *, now: dt.datetime, grace: dt.timedelta) -> NotificationQuerySet:
        """Pending rows nobody is working on whose delivery is overdue by ``grace``."""
        return self.filter(status=Status.PENDING, next_attempt_at__lte=now - grace).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("about")
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("about"), max_length=200, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Lets a periodic job (licence reminders) call notify() again without a second message.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("summary email"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="folded",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # The lease: whoever set it is sending; nobody else may until it runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], condition=Q(channel="in_app"), name="notif_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(channel="in_app", read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="notif_pending"),
            models.Index(fields=["recipient", "created_at"], condition=Q(status="held"), name="notif_held"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notif_unique_dedupe_key",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def get_event_display(self) -> str:
        event = EVENTS.get(self.event)
        return str(event.label) if event else self.event

    def absolute_url(self) -> str:
        """The link as an email or SMS needs it."""
        if self.url.startswith("/"):
            return settings.SITE_URL.rstrip("/") + self.url
        return self.url


class Preference(models.Model):
    """A user's choice for one event on one channel; absent means the event's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="notif_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event}/{self.channel}: {self.enabled}"


class NotificationSettings(models.Model):
    """Per-user settings that are not about one event: the summary email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    digest = models.CharField(
        _("summary email"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"


class DigestRun(models.Model):
    """One summary per user per period: the unique key makes a second run a no-op."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    notification = models.OneToOneField(
        Notification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_run",
        verbose_name=_("summary email"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("summary email run")
        verbose_name_plural = _("summary email runs")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period_start"], name="notif_digest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}، {jalali_date_string(self.period_start)}"


class SubscriptionQuerySet(models.QuerySet):
    def of_model(self, model: type[models.Model]) -> SubscriptionQuerySet:
        """Follows of one kind of object, matched on the content type's natural key (no lookup query)."""
        meta = model._meta.concrete_model._meta
        return self.filter(target_type__app_label=meta.app_label, target_type__model=meta.model_name)


class Subscription(models.Model):
    """A person follows something (a project, a neighbourhood, an organisation…) to hear what happens to it.

    The kinds of things that can be followed are registered by the apps that
    own them (``notifications.subscriptions.register_kind``); this app never
    imports them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("citizen")
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind"))
    target_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="subscription_target")]
        constraints = [
            models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="subscription_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target_type_id}:{self.target_id}"


class UnsubscribeLink(models.Model):
    """The opaque token an email's unsubscribe link carries: it says nothing of whom or what it is about.

    One per person, event and channel, made when the first such email is
    written and reused afterwards, so the table grows with people × events,
    not with the mail sent.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen")
    )
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscribe link")
        verbose_name_plural = _("unsubscribe links")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="unsubscribe_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}/{self.channel}"
