"""What a one-time SMS code completes: sign-in and sign-up by number, confirming one's own number,
password reset by SMS, a new number, and the second step of a staff sign-in.

Each function checks the code with ``accounts.otp.redeem`` and does its write
in the same transaction, so a failing write leaves the code unused. None of
them may run inside a caller's transaction: a wrong try is committed before
the error is raised (see ``redeem``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import otp
from accounts.models import OneTimeCode, OtpPurpose, User
from accounts.services.users import user_register, user_set_password, user_sign_out_everywhere
from core.audit import log_action
from core.ratelimit import forget
from places.models import Neighborhood

# The name a citizen who signed up with only a code has until they choose one in their profile.
NEW_CITIZEN_NAME = _("New citizen")


@dataclass(frozen=True)
class CodeSignIn:
    user: User
    # No account had the number: a citizen account was made for it.
    created: bool = False
    # An unverified account held the number: it now belongs to whoever proved the SIM (see ``_reclaim``).
    reclaimed: bool = False


def otp_send(
    *,
    phone: str,
    purpose: str,
    user: User | None = None,
    address: str | None = None,
    reuse_live: bool = False,
) -> otp.Sent:
    """Send a code to ``phone`` for ``purpose`` (``OtpTooMany`` when too soon or too often).

    A sign-in or password reset by code for a number whose account cannot be
    entered that way (an inactive one, or a staff account, whose SIM alone
    must not open it), and a reset for a number with no account, record a
    code and send nothing, so the answer tells nobody which numbers have
    which accounts.
    """
    send = True
    if user is None and purpose in (OtpPurpose.SIGN_IN, OtpPurpose.PASSWORD_RESET):
        holder = User.objects.filter(phone=phone).first()
        if holder is None:
            send = purpose == OtpPurpose.SIGN_IN  # signing in by code makes the account
        else:
            send = holder.is_active and not otp.needs_code_after_password(holder)
    return otp.issue(phone=phone, purpose=purpose, user=user, address=address, send=send, reuse_live=reuse_live)


def otp_sign_in(*, phone: str, code: str, address: str | None = None) -> CodeSignIn:
    """Sign in with a code sent to ``phone``; the first time, a citizen account is made for the number.

    An unverified account holding the number is handed over (``_reclaim``); a
    verified one keeps everything. Staff accounts are refused: they need their
    password as well.
    """

    def then(_row: OneTimeCode) -> CodeSignIn:
        user = User.objects.select_for_update().filter(phone=phone).first()
        if user is None:
            try:
                user = user_register(
                    phone=phone,
                    password=None,
                    display_name=str(NEW_CITIZEN_NAME),
                    address=address,
                    mobile_verified=True,
                )
            except IntegrityError:  # a sign-up with this number finished a moment ago
                user = User.objects.select_for_update().get(phone=phone)
            else:
                log_action(actor=user, action="user.signed_up_by_code", target=user)
                return CodeSignIn(user=user, created=True)
        _may_enter_by_code(user)
        reclaimed = _reclaim(user)
        _clear_lockout(user)
        return CodeSignIn(user=user, reclaimed=reclaimed)

    return otp.redeem(phone=phone, purpose=OtpPurpose.SIGN_IN, code=code, then=then)


def otp_confirm_number(*, user: User, code: str) -> User:
    """A signed-in account proves its own number with a code sent to it."""

    def then(_row: OneTimeCode) -> User:
        _mark_verified(user)
        _clear_lockout(user)
        return user

    return otp.redeem(phone=user.phone, purpose=OtpPurpose.SIGN_IN, code=code, user=user, then=then)


def otp_sign_up(
    *,
    phone: str,
    code: str,
    display_name: str,
    password_hash: str,
    email: str | None = None,
    home_neighborhood: Neighborhood | None = None,
    address: str | None = None,
) -> User:
    """Create the account the sign-up form described, once a code proved its number.

    The form's data waited in the session with the password already hashed;
    what another account took in the meantime is refused here.
    """

    def taken() -> str | None:
        if User.objects.filter(phone=phone).exists():
            return _("An account with this mobile number already exists.")
        if email and User.objects.filter(email=email).exists():
            return _("An account with this email address already exists.")
        return None

    def then(_row: OneTimeCode) -> User:
        if reason := taken():
            raise otp.OtpRefused(reason)
        try:
            with transaction.atomic():  # a sign-up that took the number a moment ago loses here, not with a 500
                user = user_register(
                    phone=phone,
                    password=None,
                    display_name=display_name,
                    email=email,
                    home_neighborhood=home_neighborhood,
                    address=address,
                    mobile_verified=True,
                )
        except (IntegrityError, ValidationError):
            raise otp.OtpRefused(taken() or _("An account with this mobile number already exists.")) from None
        user.password = password_hash
        user.save(update_fields=["password"])
        return user

    return otp.redeem(phone=phone, purpose=OtpPurpose.SIGN_IN, code=code, then=then)


def otp_password_reset(*, phone: str, code: str) -> CodeSignIn:
    """Prove the number of the account whose password is to be reset; the new one is set next.

    The account's lockout ends; an unverified account is reclaimed first, so
    whoever invented the number loses it before the SIM's owner sets a password.
    """

    def then(_row: OneTimeCode) -> CodeSignIn:
        user = User.objects.select_for_update().filter(phone=phone).first()
        if user is None or not user.is_active or otp.needs_code_after_password(user):
            raise otp.OtpWrong()  # no code was sent for such a number
        reclaimed = _reclaim(user)
        _mark_verified(user)
        _clear_lockout(user)
        return CodeSignIn(user=user, reclaimed=reclaimed)

    return otp.redeem(phone=phone, purpose=OtpPurpose.PASSWORD_RESET, code=code, then=then)


def otp_password_set(*, user: User, password: str) -> User:
    """Set the password chosen after a reset by code (validated by the caller).

    As every password change does, this ends the account's sessions and API tokens.
    """
    user_set_password(user=user, password=password)
    log_action(actor=user, action="user.password_reset_by_code", target=user)
    return user


def otp_change_number(*, user: User, phone: str, code: str) -> User:
    """Move ``user`` to the new number ``phone`` once a code sent to it came back."""

    def then(_row: OneTimeCode) -> User:
        locked = User.objects.select_for_update().get(pk=user.pk)
        taken = _("An account with this mobile number already exists.")
        if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            raise otp.OtpRefused(taken)
        locked.phone = phone
        locked.mobile_verified_at = timezone.now()
        try:
            with transaction.atomic():  # another account took the number a moment ago
                locked.save(update_fields=["phone", "mobile_verified_at"])
        except IntegrityError:
            raise otp.OtpRefused(taken) from None
        log_action(actor=locked, action="user.number_changed", target=locked)
        user.phone, user.mobile_verified_at = locked.phone, locked.mobile_verified_at
        return user

    return otp.redeem(phone=phone, purpose=OtpPurpose.CHANGE_NUMBER, code=code, user=user, then=then)


def otp_staff_sign_in(*, user: User, code: str) -> User:
    """The second step of a staff sign-in: the code sent to the number once the password was right."""

    def then(_row: OneTimeCode) -> User:
        _mark_verified(user)
        return user

    return otp.redeem(phone=user.phone, purpose=OtpPurpose.STAFF_SIGN_IN, code=code, user=user, then=then)


def _may_enter_by_code(user: User) -> None:
    if not user.is_active:
        raise otp.OtpRefused(_("This account is inactive."))
    if otp.needs_code_after_password(user):
        raise otp.OtpRefused(_("Staff accounts sign in with their password, then a code."))


def _mark_verified(user: User) -> None:
    if user.mobile_verified_at is None:
        user.mobile_verified_at = timezone.now()
        user.save(update_fields=["mobile_verified_at"])
        log_action(actor=user, action="user.mobile_verified", target=user)


def _reclaim(user: User) -> bool:
    """Hand an unverified account to whoever just proved its number's SIM; False when it was verified.

    Anyone can type a number they do not own when signing up. The account is
    marked verified, every session and API token ends, its password becomes
    unusable and its email is cleared, so whoever made it cannot come back by
    password or by an email reset. A verified account is left as it is.
    """
    if user.mobile_verified_at is not None:
        return False
    user.mobile_verified_at = timezone.now()
    user.email = None
    user.set_unusable_password()
    user.save(update_fields=["mobile_verified_at", "email", "password"])
    user_sign_out_everywhere(user=user)
    log_action(actor=user, action="user.number_reclaimed", target=user)
    return True


def _clear_lockout(user: User) -> None:
    """Forget the failed password sign-ins: a stranger's guesses must not keep out the owner who proved the SIM."""
    # Failures are counted under the account's canonical number (accounts.backends.account_key).
    cleared, _rows = AccessAttempt.objects.filter(username=user.phone).delete()
    forget("login_account", user.phone)
    if cleared:
        log_action(actor=user, action="lockout.cleared", target=user, note=str(_("by an SMS code")))


def pending_sign_up(data: dict[str, Any]) -> dict[str, Any]:
    """The sign-up form's data as it waits in the session for the code: the password only as its hash."""
    neighborhood = data.get("home_neighborhood")
    return {
        "phone": data["phone"],
        "display_name": data["display_name"],
        "email": data.get("email") or None,
        "home_neighborhood": neighborhood.pk if neighborhood else None,
        "password_hash": make_password(data["password1"]),
    }
