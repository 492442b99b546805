"""The daily licence sweep: mark expired licences, record who is due a reminder.

Each (organisation, threshold, expiry date) is recorded once in
``LicenceReminder``, so running the sweep twice a day, or on two workers at
once, reminds nobody twice. Renewing a licence changes the expiry date, so
the next cycle of reminders starts afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.audit import log_action
from core.jalali import jalali_text
from ngos import events
from ngos.models import LicenceReminder, Organization, OrganizationStatus, ReminderKind
from notifications.services import notify

# Profiles whose licence still matters to someone.
SWEPT_STATUSES = (OrganizationStatus.SUBMITTED, OrganizationStatus.VERIFIED, OrganizationStatus.SUSPENDED)


@dataclass
class SweepResult:
    expired: list[int] = field(default_factory=list)
    reminded_30: list[int] = field(default_factory=list)
    reminded_7: list[int] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {"expired": len(self.expired), "reminded_30": len(self.reminded_30), "reminded_7": len(self.reminded_7)}


def _window(kind: str, today: dt.date) -> Q:
    if kind == ReminderKind.EXPIRED:
        return Q(licence_expires_on__lt=today)
    if kind == ReminderKind.EXPIRING_7:
        return Q(licence_expires_on__gte=today, licence_expires_on__lte=today + dt.timedelta(days=7))
    return Q(
        licence_expires_on__gt=today + dt.timedelta(days=7),
        licence_expires_on__lte=today + dt.timedelta(days=30),
    )


def _due(kind: str, today: dt.date):
    already = LicenceReminder.objects.filter(
        organization=OuterRef("pk"), kind=kind, expiry_date=OuterRef("licence_expires_on")
    )
    return (
        Organization.objects.filter(status__in=SWEPT_STATUSES)
        .filter(_window(kind, today))
        .exclude(Exists(already))
        .only("pk", "name", "licence_expires_on")
        .order_by("pk")
    )


def _record(organization: Organization, kind: str) -> bool:
    """Record one reminder; False when another sweep got there first."""
    try:
        with transaction.atomic():
            LicenceReminder.objects.create(
                organization=organization, kind=kind, expiry_date=organization.licence_expires_on
            )
    except IntegrityError:
        return False
    return True


def _managers(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(ngo_memberships__organization=organization)


def _remind(organization: Organization, *, days: int) -> None:
    """Tell the managers the licence runs out within ``days`` days, once per threshold and expiry date."""
    notify(
        event=events.ORGANIZATION_LICENCE_EXPIRING,
        recipients=_managers(organization),
        target=organization,
        context={"organization": organization.name, "days": days, "expiry_date": organization.licence_expires_on},
        url=reverse("ngos:detail", args=[organization.pk]),
        dedupe_key=f"licence-{days}-{organization.pk}-{organization.licence_expires_on}",
    )


@transaction.atomic
def licence_sweep(*, today: dt.date | None = None) -> SweepResult:
    """Run once a day: note newly expired licences and the 30- and 7-day reminders due."""
    today = today or timezone.localdate()
    result = SweepResult()
    for organization in _due(ReminderKind.EXPIRED, today):
        if _record(organization, ReminderKind.EXPIRED):
            log_action(
                actor=None,
                action="organization.licence_expired",
                target=organization,
                note=jalali_text(organization.licence_expires_on),
            )
            notify(
                event=events.ORGANIZATION_LICENCE_EXPIRED,
                recipients=_managers(organization),
                target=organization,
                context={"organization": organization.name, "expiry_date": organization.licence_expires_on},
                url=reverse("ngos:detail", args=[organization.pk]),
                dedupe_key=f"licence-expired-{organization.pk}-{organization.licence_expires_on}",
            )
            result.expired.append(organization.pk)
    for organization in _due(ReminderKind.EXPIRING_7, today):
        if _record(organization, ReminderKind.EXPIRING_7):
            _remind(organization, days=7)
            result.reminded_7.append(organization.pk)
    for organization in _due(ReminderKind.EXPIRING_30, today):
        if _record(organization, ReminderKind.EXPIRING_30):
            _remind(organization, days=30)
            result.reminded_30.append(organization.pk)
    return result
