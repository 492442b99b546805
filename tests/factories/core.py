"""Factories for accounts and geography.

Free-text fields carry hostile text by default (markup, Arabic ي/ك, Persian
digits, ZWNJ, an RTL override) so escaping and normalisation bugs show up in
every test that renders them.
"""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import Role, User
from places.models import Area, City, District, Neighborhood

HOSTILE = "<script>alert(1)</script> علي‌كبر ۱۲۳ \u202eevil"
HOSTILE_LONG = '<img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><svg onload=alert(1)>' + HOSTILE
PASSWORD = "a-Strong-pass-1404"


def hostile(prefix: str = "") -> factory.LazyAttributeSequence:
    return factory.Sequence(lambda n: f"{prefix}{n} {HOSTILE}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"شهر {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"منطقه {n + 1}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"ناحیه {n}")


class NeighborhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighborhood

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"محله {n} يك")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"+98912{n:07d}")
    display_name = hostile("شهروند ")
    role = Role.CITIZEN
    # Citizens have proved their number by SMS; ``UserFactory(unverified=True)`` is one who has not yet.
    mobile_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        unverified = factory.Trait(mobile_verified_at=None)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.DISTRICT_STAFF
    is_staff = True

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.staff_districts.set(extracted)


class CityAdminFactory(UserFactory):
    role = Role.CITY_ADMIN
    is_staff = True
    is_superuser = True
