"""Checking a declared home against an outside source: a small interface and the verifiers a city turns on.

A verifier answers one question: does the person with this national code
live in this neighbourhood? ``RESIDENCY_VERIFIERS`` (dotted paths, in
order) lists the ones in use; a city can plug in a census web service the
same way. ``CensusListVerifier`` checks the list the city uploaded in the
admin (``accounts.residency.census``).
"""

from __future__ import annotations

from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.identity import keyed_digest
from accounts.models import CensusEntry, ResidencyStatus, User
from accounts.residency.home import residency_mark_verified
from accounts.validators import normalize_national_code
from places.models import Neighborhood


@runtime_checkable
class ResidencyVerifier(Protocol):
    """Confirms that the person with ``national_code`` (10 ASCII digits, checked) lives in ``neighborhood``."""

    def verify(self, user: User, national_code: str, neighborhood: Neighborhood) -> bool: ...


def national_code_key(national_code: str) -> str:
    """The keyed digest a census list stores for a national code (any spelling people type)."""
    return keyed_digest("national_code", normalize_national_code(national_code))


class CensusListVerifier:
    """The city's uploaded list: the code's digest is listed for this neighbourhood of the city.

    One listed person confirms one account: the entry remembers the account it
    confirmed, and another account typing the same code is not confirmed.
    """

    def verify(self, user: User, national_code: str, neighborhood: Neighborhood) -> bool:
        entry = (
            CensusEntry.objects.select_for_update()
            .filter(city_id=neighborhood.district.city_id, digest=national_code_key(national_code))
            .first()
        )
        if entry is None or entry.neighborhood_id != neighborhood.pk:
            return False
        if entry.claimed_by_id not in (None, user.pk):
            return False
        if entry.claimed_by_id is None:
            CensusEntry.objects.filter(pk=entry.pk).update(claimed_by=user)
        return True


@cache
def _load(paths: tuple[str, ...]) -> tuple[ResidencyVerifier, ...]:
    verifiers = []
    for path in paths:
        verifier = import_string(path)()
        if not isinstance(verifier, ResidencyVerifier):
            raise ImproperlyConfigured(f"{path} has no verify(user, national_code, neighborhood) method.")
        verifiers.append(verifier)
    return tuple(verifiers)


def residency_verifiers() -> tuple[ResidencyVerifier, ...]:
    """The verifiers ``RESIDENCY_VERIFIERS`` names, in order, each made once."""
    return _load(tuple(getattr(settings, "RESIDENCY_VERIFIERS", ())))


@transaction.atomic
def residency_verify(*, user: User, national_code: str) -> bool:
    """Ask the verifiers whether ``user`` lives in their home neighbourhood; True (and on record) when one says so.

    The code typed is only checked (``national_code`` on the profile is not
    changed); when the profile keeps one, the code typed must be that one.
    The caller limits how often an account may try (``residency_verify`` rate).
    """
    try:
        code = normalize_national_code(national_code)
    except ValidationError as exc:
        raise ValidationError({"national_code": exc.messages}) from None
    if user.home_neighborhood_id is None:
        raise ValidationError({"national_code": _("Set your home neighbourhood first.")})
    if user.national_code and user.national_code != code:
        raise ValidationError({"national_code": _("This is not the national code saved in your profile.")})
    if user.residency_status == ResidencyStatus.VERIFIED:
        return True
    neighborhood = Neighborhood.objects.select_related("district").get(pk=user.home_neighborhood_id)
    for verifier in residency_verifiers():
        if verifier.verify(user, code, neighborhood):
            residency_mark_verified(actor=None, user=user, note=type(verifier).__name__)
            return True
    return False
