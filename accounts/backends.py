"""Sign-in with a mobile number (any common spelling) or an email address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from accounts.validators import normalize_mobile


def canonical_login(identifier: str | None) -> str:
    """The form under which a login identifier is stored and counted for lockout."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()
    try:
        return normalize_mobile(identifier)
    except ValidationError:
        return identifier


def account_key(identifier: str | None) -> str:
    """One key per ACCOUNT for lockout and per-account limits: its canonical mobile number.

    An email that belongs to an account counts under that account's number, so
    failures by email and by any spelling of the number add up. An identifier
    that matches no account is counted under its own canonical form (the
    per-address limit covers someone trying many of them).
    """
    login = canonical_login(identifier)
    if "@" not in login:
        return login
    phone = get_user_model()._default_manager.filter(email=login).values_list("phone", flat=True).first()
    return phone or login


def axes_username(request, credentials) -> str:
    """django-axes counts failures per account, whichever door (form or JSON) and spelling was used."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") if hasattr(data, "get") else None
    return account_key(value)


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        login = canonical_login(username)
        User = get_user_model()
        field = "email" if "@" in login else "phone"
        try:
            user = User._default_manager.get(**{field: login})
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
