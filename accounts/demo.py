"""Demo accounts for a local run. The passwords are printed: never use in production."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import CensusList, Role, User
from accounts.residency import census_list_replace, national_code_key, residency_verify
from places.models import City, District, Neighborhood

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
    _seed_census(stdout, admin)


def demo_national_code(n: int) -> str:
    """A made-up national code with a correct check digit (``accounts.validators``), none a real person's."""
    body = f"{990_000_000 + n:09d}"
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


def _seed_census(stdout, admin: User) -> None:
    """The demo city's census list (three residents per neighbourhood of district 1) and one confirmed resident."""
    city = City.objects.filter(slug="tehran").first()
    if city is None or CensusList.objects.filter(city=city).exists():
        return
    hoods = list(Neighborhood.objects.filter(district__city=city, district__number=1).order_by("id"))
    codes = [(demo_national_code(i), hood) for i, hood in enumerate(hood for hood in hoods for _ in range(3))]
    census_list_replace(
        actor=admin,
        city=city,
        entries=[(national_code_key(code), hood.pk) for code, hood in codes],
        file_name="demo-census.csv",
    )
    citizen = User.objects.filter(phone="+989120000002").first()
    own = next((code for code, hood in codes if citizen and hood.pk == citizen.home_neighborhood_id), None)
    if own is not None:
        residency_verify(user=citizen, national_code=own)
    stdout.write(f"Census list: {len(codes)} residents of district 1; the demo citizen's residency is confirmed.")
    spare = next(((code, hood) for code, hood in codes if code != own), None)
    if spare:
        stdout.write(f"To confirm another account's residency: home {spare[1].name}, national code {spare[0]}.")
