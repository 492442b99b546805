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
from django.core import checks
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


@checks.register(checks.Tags.security, deploy=True)
def check_identity_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production needs its own identity key and a real SMS gateway (``manage.py check --deploy``)."""
    found = []
    if settings.IDENTITY_HASH_KEY == settings.SECRET_KEY:
        found.append(
            checks.Warning(
                "IDENTITY_HASH_KEY is not set, so voter keys and census digests hang on SECRET_KEY: rotating it "
                "would let deleted accounts vote again and void every census list.",
                hint="Set IDENTITY_HASH_KEY to its own long random value once, and never change it.",
                id="accounts.W001",
            )
        )
    if settings.SMS_BACKEND != "http":
        found.append(
            checks.Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND!r}: one-time codes never reach anyone's phone.",
                hint="Set SMS_BACKEND=http and SMS_GATEWAY_URL (docs/deployment.md).",
                id="accounts.W002",
            )
        )
    return found
