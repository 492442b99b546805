"""The daily licence sweep: expired licences marked, 30/7-day reminders recorded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from core.audit import history
from ngos.models import LicenceReminder, OrganizationStatus
from ngos.services import licence_sweep
from ngos.tasks import licence_sweep_task
from tests import factories

TODAY = dt.date(2025, 6, 1)


def _org(days: int, status=OrganizationStatus.VERIFIED):
    return factories.OrganizationFactory(
        status=status,
        licence_issued_on=TODAY - dt.timedelta(days=400),
        licence_expires_on=TODAY + dt.timedelta(days=days),
    )


@pytest.mark.django_db
def test_sweep_marks_and_reminds_once():
    expired, seven, thirty, far, draft = _org(-1), _org(7), _org(30), _org(31), _org(-5, OrganizationStatus.DRAFT)
    today_expiring = _org(0)
    result = licence_sweep(today=TODAY)
    assert result.expired == [expired.pk]
    assert sorted(result.reminded_7) == sorted([seven.pk, today_expiring.pk])
    assert result.reminded_30 == [thirty.pk]
    assert far.pk not in result.reminded_30 and draft.pk not in result.expired
    assert "organization.licence_expired" in [e.action for e in history(expired)]

    again = licence_sweep(today=TODAY)
    assert again.as_counts() == {"expired": 0, "reminded_30": 0, "reminded_7": 0}
    assert LicenceReminder.objects.count() == 4


@pytest.mark.django_db
def test_reminders_follow_the_calendar_and_restart_after_renewal():
    organization = _org(30)
    assert licence_sweep(today=TODAY).reminded_30 == [organization.pk]
    assert licence_sweep(today=TODAY + dt.timedelta(days=10)).as_counts()["reminded_7"] == 0
    assert licence_sweep(today=TODAY + dt.timedelta(days=23)).reminded_7 == [organization.pk]
    assert licence_sweep(today=TODAY + dt.timedelta(days=31)).expired == [organization.pk]
    organization.licence_expires_on = TODAY + dt.timedelta(days=31 + 365)
    organization.save()
    assert licence_sweep(today=TODAY + dt.timedelta(days=31 + 340)).reminded_30 == [organization.pk]


@pytest.mark.django_db
def test_task_is_scheduled_daily_and_runs():
    entry = settings.CELERY_BEAT_SCHEDULE["ngos-licence-sweep"]
    assert entry["task"] == "ngos.tasks.licence_sweep_task" == licence_sweep_task.name
    factories.OrganizationFactory(
        status=OrganizationStatus.VERIFIED, licence_expires_on=timezone.localdate() - dt.timedelta(days=2)
    )
    assert licence_sweep_task.apply().get() == {"expired": 1, "reminded_30": 0, "reminded_7": 0}


@pytest.mark.django_db
def test_expired_licence_shows_on_the_dashboard(client_for, manager, district):
    factories.OrganizationFactory(
        city=district.city,
        managers=[manager],
        status=OrganizationStatus.VERIFIED,
        licence_expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    html = client_for(manager).get("/organizations/dashboard/").content.decode()
    assert "منقضی" in html
