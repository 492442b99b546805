"""One-time SMS codes: making, limiting, sending and checking them.

A code is six digits from ``secrets``, kept only as a keyed digest salted
with the row's number and purpose, lives ``OTP_CODE_SECONDS`` and dies after
``OTP_MAX_ATTEMPTS`` wrong tries (the next try fails even when right). Only
the newest code of a number, purpose and account counts. It leaves the
portal through ``accounts.tasks.send_code`` on the ``otp`` queue after the
commit, never through the notifications outbox, so no code is stored
anywhere but in the SMS itself.

A number may ask again after ``OTP_RESEND_SECONDS`` and ``RATE_LIMITS
["otp_number"]`` times a rolling hour; an address ``RATE_LIMITS
["otp_address"]`` times an hour. Requests made for an account that already
proved its password (a staff sign-in, a new number, a signed-in citizen) are
counted apart from anonymous ones, so a stranger asking codes for a number
cannot keep its signed-in owner, or staff, from confirming it. Anonymous
requests (sign-in and sign-up by code, reset by SMS) share one budget per
number: someone who asks five codes for a stranger's number in an hour does
delay that person's sign-in by code for the rest of the hour (their password
still works). The flows that use codes are in
``accounts.services.codes``.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.identity import keyed_digest
from accounts.models import STAFF_ROLES, OneTimeCode, OtpPurpose, User
from accounts.tasks import send_code
from core.persian import to_ascii_digits
from core.ratelimit import hit, retry_after
from core.tasks import enqueue

T = TypeVar("T")
CODE_LENGTH = 6
_NOT_DIGITS = re.compile(r"\D")


class OtpError(Exception):
    """A code that did not prove anything; ``code`` names the reason for programs, ``message`` for people."""

    code = "otp_invalid"
    status = 400
    default_message = _("The code is not correct.")

    def __init__(self, message=None, *, wait: int | None = None) -> None:
        self.message = message or self.default_message
        self.wait = wait
        super().__init__(str(self.message))


class OtpWrong(OtpError):
    pass


class OtpExpired(OtpError):
    code = "otp_expired"
    default_message = _("This code has expired. Please ask for a new one.")


class OtpExhausted(OtpError):
    """Too many wrong tries: this code is dead even if the next guess is right."""

    code = "otp_attempts_exhausted"
    status = 429
    default_message = _("Too many wrong codes. Please ask for a new code.")


class OtpTooMany(OtpError):
    """A new code was asked for too soon or too often; ``wait`` is the seconds until it may be."""

    code = "throttled"
    status = 429
    default_message = _("A code was sent a moment ago. Please wait before asking for another.")


class OtpRefused(OtpError):
    """The code was right, but this account cannot be entered this way."""

    code = "otp_refused"
    status = 403


@dataclass(frozen=True)
class Sent:
    """A code on its way (or a live one reused): how long it stays good."""

    expires_in: int


def code_lifetime() -> timedelta:
    return timedelta(seconds=settings.OTP_CODE_SECONDS)


def needs_code_after_password(user: User) -> bool:
    """Staff, city admins and superusers sign in with their password and then an SMS code."""
    return bool(user.is_superuser or user.is_staff or user.role in STAFF_ROLES)


def clean_code(value: object) -> str:
    """What a person typed, as ASCII digits: Persian or Arabic digits, spaces and dashes are fine."""
    return _NOT_DIGITS.sub("", to_ascii_digits(str(value or "")))[:16]


def code_digest(*, phone: str, purpose: str, code: str) -> str:
    return keyed_digest(f"otp.{purpose}", f"{phone}:{code}")


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def _bucket(phone: str, user: User | None):
    """The rows a number's limits count: anonymous requests together, an account's own apart."""
    rows = OneTimeCode.objects.filter(phone=phone)
    return rows.filter(user=user) if user is not None else rows.filter(user__isnull=True)


def _lock_number(phone: str) -> None:
    """Serialise the requests for one number (PostgreSQL), so two at once cannot both pass the limits."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"otp:{phone}".encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _live(row: OneTimeCode | None, now) -> bool:
    return row is not None and row.used_at is None and row.expires_at > now and row.attempts < settings.OTP_MAX_ATTEMPTS


@transaction.atomic
def issue(
    *,
    phone: str,
    purpose: str,
    user: User | None = None,
    address: str | None = None,
    send: bool = True,
    reuse_live: bool = False,
) -> Sent:
    """Make a code for ``phone`` and send it after the commit; ``OtpTooMany`` when asked too soon or too often.

    ``send=False`` records the code without sending it, so a request for a
    number that must get nothing (no account to reset) looks like any other.
    ``reuse_live`` keeps a code still in force instead of sending another (a
    staff member submitting their password twice).
    """
    _lock_number(phone)
    now = timezone.now()
    rows = _bucket(phone, user)
    if reuse_live:
        current = rows.filter(purpose=purpose).order_by("-created_at", "-id").first()
        if _live(current, now):
            return Sent(expires_in=math.ceil((current.expires_at - now).total_seconds()))
    latest = rows.order_by("-created_at", "-id").first()
    resend = timedelta(seconds=settings.OTP_RESEND_SECONDS)
    if latest is not None and now - latest.created_at < resend:
        raise OtpTooMany(wait=math.ceil((latest.created_at + resend - now).total_seconds()))
    limit, window = settings.RATE_LIMITS["otp_number"]
    recent = list(rows.filter(created_at__gt=now - timedelta(seconds=window)).order_by("created_at")[:limit])
    if len(recent) >= limit:
        wait = math.ceil((recent[0].created_at + timedelta(seconds=window) - now).total_seconds())
        raise OtpTooMany(gettext("Too many codes were sent to this number. Please try again later."), wait=wait)
    if address and not hit("otp_address", address):
        raise OtpTooMany(
            gettext("Too many codes were asked for from your network. Please try again later."),
            wait=retry_after("otp_address"),
        )
    code = _new_code()
    row = OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        user=user,
        digest=code_digest(phone=phone, purpose=purpose, code=code),
        created_at=now,
        expires_at=now + code_lifetime(),
    )
    if send:
        text = sms_text(code=code, purpose=purpose)
        reference = f"otp-{row.pk}"
        transaction.on_commit(lambda: _send(phone, text, reference))
    return Sent(expires_in=settings.OTP_CODE_SECONDS)


def _send(phone: str, text: str, reference: str) -> None:
    """Hand the SMS to the ``otp`` queue; with the broker down, send it from here rather than lose it."""
    if not enqueue(send_code, phone, text, reference):
        send_code(phone, text, reference)


def redeem(*, phone: str, purpose: str, code: str, user: User | None = None, then: Callable[[OneTimeCode], T]) -> T:
    """Check ``code`` against the newest code of this number, purpose and account, and on success run ``then``.

    The row is locked (``select_for_update``) so of many simultaneous tries of
    one code exactly one gets through; ``then`` runs in the same transaction,
    so if it fails the code stays unused. A wrong try is counted and committed
    before the error is raised, so do not call this inside a transaction that
    the error would roll back.
    """
    with transaction.atomic():
        rows = _bucket(phone, user).select_for_update().filter(purpose=purpose)
        row = rows.order_by("-created_at", "-id").first()
        error = _judge(row, clean_code(code))
        if error is None:
            return then(row)
    raise error


def _judge(row: OneTimeCode | None, code: str) -> OtpError | None:
    """Mark ``row`` used when ``code`` is its code; otherwise count the try and say why it failed."""
    now = timezone.now()
    if row is None or row.used_at is not None:
        return OtpWrong()
    if row.attempts >= settings.OTP_MAX_ATTEMPTS:
        return OtpExhausted(wait=resend_wait(row, now))
    if row.expires_at <= now:
        return OtpExpired()
    expected = code_digest(phone=row.phone, purpose=row.purpose, code=code)
    if not hmac.compare_digest(row.digest, expected):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return OtpWrong()
    row.used_at = now
    row.save(update_fields=["used_at"])
    return None


def resend_wait(row: OneTimeCode, now) -> int:
    """Seconds until a new code may be asked for after ``row`` (at least one)."""
    left = row.created_at + timedelta(seconds=settings.OTP_RESEND_SECONDS) - now
    return max(1, math.ceil(left.total_seconds()))


_TEXTS = {
    OtpPurpose.SIGN_IN: _("Your sign-in code for %(portal)s: %(code)s"),
    OtpPurpose.CHANGE_NUMBER: _("Your code to confirm this mobile number on %(portal)s: %(code)s"),
    OtpPurpose.PASSWORD_RESET: _("Your password reset code for %(portal)s: %(code)s"),
    OtpPurpose.STAFF_SIGN_IN: _("Your staff sign-in code for %(portal)s: %(code)s"),
}


def sms_text(*, code: str, purpose: str) -> str:
    """The Persian SMS that carries ``code``.

    The code is written in ASCII digits, not Persian ones: iOS and Android
    offer a received code for one-tap filling only when they recognise it as
    digits, which they do for ASCII, and every handset shows ASCII digits,
    while some older ones print Persian digits as empty boxes.
    """
    with translation.override(settings.LANGUAGE_CODE):
        first = str(_TEXTS[purpose]) % {"portal": str(settings.PORTAL_NAME), "code": code}
        warning = gettext("Do not give this code to anyone.")
        return f"{first}\n{warning}"
