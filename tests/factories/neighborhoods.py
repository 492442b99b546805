"""Factories for neighbourhood houses, trustee boards, trusteeships and need reports.

Free-text fields carry hostile text by default (see ``core.HOSTILE``).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from neighborhoods.models import (
    NeedCategory,
    NeedReport,
    NeedStatus,
    NeighborhoodHouse,
    TrusteeBoard,
    TrusteeCategory,
    Trusteeship,
)
from tests.factories.core import HOSTILE, NeighborhoodFactory, UserFactory, hostile

__all__ = [
    "NeighborhoodHouseFactory",
    "TrusteeBoardFactory",
    "TrusteeshipFactory",
    "NeedReportFactory",
    "trustee_of",
]


class NeighborhoodHouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighborhoodHouse

    neighborhood = factory.SubFactory(NeighborhoodFactory)
    name = hostile("سرای محله ")
    address = factory.LazyFunction(lambda: f"خیابان {HOSTILE}، پلاک ۱۲")
    phone = "021-55001234"
    opening_hours = "شنبه تا پنجشنبه ۸ تا ۲۰"


class TrusteeBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrusteeBoard

    neighborhood = factory.SubFactory(NeighborhoodFactory)
    formed_on = dt.date(2023, 3, 21)


class TrusteeshipFactory(factory.django.DjangoModelFactory):
    """An active seat by default: its term started a year ago and ends in three years."""

    class Meta:
        model = Trusteeship

    board = factory.SubFactory(TrusteeBoardFactory)
    user = None
    member_name = hostile("حاج ")
    category = TrusteeCategory.RESIDENT
    decree_number = factory.Sequence(lambda n: f"۱۴۰۲/{n}/د")
    decree_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=380))
    decree_issuer = hostile("شهردار منطقه ")
    term_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    term_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3 * 365))


class NeedReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedReport

    neighborhood = factory.SubFactory(NeighborhoodFactory)
    reporter = factory.SubFactory(UserFactory)
    category = NeedCategory.WATER
    title = hostile("قطعی آب ")
    description = factory.LazyFunction(lambda: f"{HOSTILE}\nكوچه يك")
    status = NeedStatus.REPORTED


def trustee_of(board: TrusteeBoard, **kwargs) -> Trusteeship:
    """A user with an active seat on ``board``; returns the trusteeship (``.user`` is the person)."""
    kwargs.setdefault("user", UserFactory())
    kwargs.setdefault("member_name", "")
    return TrusteeshipFactory(board=board, **kwargs)
