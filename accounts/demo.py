"""Demo accounts for a local run. The passwords are printed: never use in production."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Role, User
from places.models import District, Neighborhood

ADMIN_PHONE = "09120000000"
DEMO_PASSWORD = "demo-pass-1404"

DEMO_USERS = [
    # phone, display name, role
    ("09120000001", "کارشناس منطقه ۱", Role.DISTRICT_STAFF),
    ("09120000002", "شهروند نمونه", Role.CITIZEN),
]


def seed(stdout) -> None:
    # Demo people proved their numbers long ago and have lived where they live for months.
    now = timezone.now()
    settled = {"mobile_verified_at": now, "home_since": now - dt.timedelta(days=200)}
    admin, created = User.objects.get_or_create(
        phone="+989120000000",
        defaults={
            "display_name": "مدیر سامانه",
            "role": Role.CITY_ADMIN,
            "is_staff": True,
            "is_superuser": True,
            "mobile_verified_at": now,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    first_neighborhood = Neighborhood.objects.order_by("id").first()
    for phone, name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            phone="+98" + phone[1:],
            defaults={"display_name": name, "role": role, "home_neighborhood": first_neighborhood, **settled},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            if role == Role.DISTRICT_STAFF:
                user.staff_districts.set(District.objects.filter(number=1)[:1])
    stdout.write(f"Admin login: {ADMIN_PHONE} / {DEMO_PASSWORD}  (http://127.0.0.1:8000/admin/)")
    stdout.write(f"Citizen login: 09120000002 / {DEMO_PASSWORD}")
