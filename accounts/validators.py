"""Iranian mobile numbers and national codes (کد ملی), and the password rules' Persian wording."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.persian import localize_digits, to_ascii_digits

_MOBILE = re.compile(r"^9\d{9}$")
_SEPARATORS = re.compile(r"[\s\-().\u200c]")


def normalize_mobile(value: str) -> str:
    """Return the canonical form ``+989XXXXXXXXX`` or raise ValidationError.

    Accepts ``09…``, ``9…``, ``+989…``, ``989…`` and ``00989…``, with Persian
    or Arabic digits, spaces and dashes, which is how people type them.
    """
    raw = _SEPARATORS.sub("", to_ascii_digits(str(value or "")))
    if raw.startswith("+98"):
        local = raw[3:]
    elif raw.startswith("0098"):
        local = raw[4:]
    elif raw.startswith("98") and len(raw) == 12:
        local = raw[2:]
    elif raw.startswith("0"):
        local = raw[1:]
    else:
        local = raw
    if not _MOBILE.match(local):
        raise ValidationError(
            _("Enter a valid Iranian mobile number, such as 09121234567."),
            code="invalid_mobile",
        )
    return f"+98{local}"


def looks_like_mobile(value: str) -> bool:
    try:
        normalize_mobile(value)
    except ValidationError:
        return False
    return True


def normalize_national_code(value: str) -> str:
    """Return the 10-digit national code or raise ValidationError.

    The last digit is a check digit: with s = Σ digit[i]·(10−i) for the first
    nine digits and r = s mod 11, it equals r when r < 2 and 11 − r otherwise.
    """
    code = _SEPARATORS.sub("", to_ascii_digits(str(value or "")))
    invalid = ValidationError(_("Enter a valid 10-digit national code."), code="invalid_national_code")
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        raise invalid
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = remainder if remainder < 2 else 11 - remainder
    if int(code[9]) != check:
        raise invalid
    return code


def validate_national_code(value: str) -> None:
    normalize_national_code(value)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum password length, its number in the digits of the page (۸ on Persian pages)."""

    def get_error_message(self) -> str:
        return localize_digits(super().get_error_message())

    def get_help_text(self) -> str:
        return localize_digits(super().get_help_text())


def local_mobile(phone: str) -> str:
    """A stored number as Iranians write it: +989121234567 → 09121234567."""
    return "0" + phone[3:] if phone.startswith("+98") else phone
