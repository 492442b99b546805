"""Keyed hashes that recognise a person without storing who they are.

A plain SHA-256 of an 11-digit mobile number or a 10-digit national code is
reversed by trying every number; an HMAC under ``IDENTITY_HASH_KEY`` is not.
The same number always gives the same key, which is what lets a deleted
account's supports and ballots still block a second vote by a new account.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.validators import normalize_mobile


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the identity key, separated by ``purpose`` so digests never cross uses."""
    key = f"civic.identity.{purpose}:{settings.IDENTITY_HASH_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def person_key(phone: str) -> str:
    """The voter key of a mobile number in any accepted spelling (a stored number is taken as it is)."""
    try:
        phone = normalize_mobile(phone)
    except ValidationError:
        pass
    return keyed_digest("mobile", phone)


def network_key(address: str | None) -> str:
    """A short keyed label of a client address: staff can see many accounts from one network, not the address."""
    return keyed_digest("network", address)[:16] if address else ""
