"""Writes on accounts: one function each, shared by pages, API and admin."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from neighborhoods.models import Neighborhood


@transaction.atomic
def user_register(
    *,
    phone: str,
    password: str,
    display_name: str,
    email: str | None = None,
    national_code: str | None = None,
    home_neighborhood: Neighborhood | None = None,
) -> User:
    """Create a citizen account; the caller has validated the password."""
    return User.objects.create_user(
        phone=phone,
        password=password,
        display_name=display_name.strip(),
        email=email or None,
        national_code=national_code or None,
        home_neighborhood=home_neighborhood,
        role=Role.CITIZEN,
    )


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str,
    email: str | None,
    national_code: str | None,
    home_neighborhood: Neighborhood | None,
) -> User:
    user.display_name = display_name.strip()
    user.email = email or None
    user.national_code = national_code or None
    user.home_neighborhood = home_neighborhood
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "email", "national_code", "home_neighborhood"])
    return user
