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


def axes_username(request, credentials) -> str:
    """Lockout counts all spellings of one number as the same account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return canonical_login(value)


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
