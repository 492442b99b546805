"""Factories for organisations, managers, plans, meetings and the volunteer club.

Free-text fields carry hostile text by default (see ``core.HOSTILE``).
"""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.utils import timezone
from PIL import Image

from ngos.models import (
    Application,
    Availability,
    LicenceIssuer,
    Meeting,
    Membership,
    Opportunity,
    Organization,
    OrganizationActivity,
    OrganizationKind,
    OrganizationStatus,
    Plan,
    VolunteerProfile,
)
from tests.factories.core import HOSTILE, HOSTILE_LONG, CityFactory, UserFactory, hostile

__all__ = [
    "PDF_BYTES",
    "ApplicationFactory",
    "MeetingFactory",
    "MembershipFactory",
    "OpportunityFactory",
    "OrganizationFactory",
    "PlanFactory",
    "VerifiedOrganizationFactory",
    "VolunteerProfileFactory",
    "png_bytes",
]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return out.getvalue()


def _today() -> dt.date:
    return timezone.localdate()


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A complete draft. ``districts=[...]``, ``managers=[...]``, ``activities=[...]`` fill the relations."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    kind = OrganizationKind.NGO
    name = hostile("سمن ")
    registration_number = factory.Sequence(lambda n: f"۱۴۰{n:05d}")
    licence_number = factory.Sequence(lambda n: f"LIC-{n:05d}")
    licence_issuer = LicenceIssuer.GOVERNORATE
    licence_issued_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=300))
    licence_expires_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=400))
    # A stored name only: no file is written, so other apps' tests leave no uploads behind.
    licence_document = "ngos/licences/licence.pdf"
    managing_director = hostile("مدیر ")
    board_members = f"عضو یک {HOSTILE}\nعضو دو"
    address = factory.LazyFunction(lambda: f"خیابان {HOSTILE}، پلاک ۱۲")
    phone = "021-55001234"
    email = factory.Sequence(lambda n: f"ngo{n}@example.org")
    website = "https://example.org/"
    summary = hostile("خلاصه ")
    description = HOSTILE_LONG
    status = OrganizationStatus.DRAFT

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.districts.set(extracted)

    @factory.post_generation
    def neighborhoods(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.neighborhoods.set(extracted)

    @factory.post_generation
    def activities(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            for code in extracted if extracted is not None else ["children"]:
                OrganizationActivity.objects.create(organization=obj, code=code)

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            for user in extracted:
                Membership.objects.create(organization=obj, user=user)


class VerifiedOrganizationFactory(OrganizationFactory):
    status = OrganizationStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    organization = factory.SubFactory(VerifiedOrganizationFactory)
    title = hostile("طرح ")
    description = HOSTILE_LONG
    estimated_budget = 1_500_000_000

    @factory.post_generation
    def target_neighborhoods(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.target_neighborhoods.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    city = factory.SubFactory(CityFactory)
    district = None
    title = hostile("نشست ")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    place = factory.LazyFunction(lambda: f"سرای محله {HOSTILE}")
    agenda = HOSTILE_LONG


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organization = factory.SubFactory(VerifiedOrganizationFactory)
    title = hostile("فرصت ")
    description = HOSTILE_LONG
    date = factory.LazyFunction(lambda: _today() + dt.timedelta(days=14))
    place = factory.LazyFunction(lambda: f"بوستان {HOSTILE}")
    places = 3


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    skills = hostile("کمک‌های اولیه ")
    availability = Availability.WEEKENDS

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.districts.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    volunteer = factory.SubFactory(UserFactory)
    message = HOSTILE
