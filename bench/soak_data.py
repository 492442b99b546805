"""Accounts and ids for the soak: signed-in citizens and trustees, and what they read and write.

Run by ``bench/soak.py`` inside the soak's environment (``python bench/soak_data.py OUT.json``)
after ``seed_demo``. It creates soak citizens spread over every district and
some of them as active trustees of their neighbourhood's board, signs each
one in by writing a database session (as ``login()`` would), gives each a
CSRF secret, and writes the session keys and the ids the load test picks
from. Signing in ahead keeps the soak about reads and writes, not about the
sign-in rate limits, which stay on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from accounts.models import User  # noqa: E402
from neighborhoods.models import TrusteeBoard, TrusteeCategory, Trusteeship  # noqa: E402
from ngos.models import Organization, OrganizationStatus  # noqa: E402
from places.models import District, Neighborhood  # noqa: E402
from projects.models import Project  # noqa: E402
from projects.models.project import SUPPORTABLE_PHASES  # noqa: E402

PHONE_PREFIX = "+98938"  # soak citizens: 0938xxxxxxx (the scale data uses 0937…)
BACKEND = "accounts.backends.PhoneOrEmailBackend"
CSRF_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SEARCH_TERMS = ["پارک", "بوستان", "كتابخانه", "مدرسه", "محله", "پياده‌رو", "روشنایی", "۱۴۰۳", "سمن", "خیریه"]


def sign_in(user: User) -> dict[str, str]:
    """A database session for ``user``, as ``django.contrib.auth.login`` stores it, and a CSRF secret."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"session": session.session_key, "csrf": get_random_string(32, CSRF_ALPHABET), "user": user.pk}


@transaction.atomic
def prepare(citizens: int, trustees: int) -> dict:
    hoods = list(Neighborhood.objects.select_related("area").order_by("id"))
    password = make_password(get_random_string(20))  # nobody signs in with it; one hash for all
    existing = set(User.objects.filter(phone__startswith=PHONE_PREFIX).values_list("phone", flat=True))
    new_users = []
    for i in range(citizens):
        phone = f"{PHONE_PREFIX}{i:07d}"
        if phone not in existing:
            hood = hoods[i % len(hoods)]
            new_users.append(
                User(
                    phone=phone,
                    display_name=f"شهروند آزمون {i}",
                    password=password,
                    home_neighborhood=hood,
                    mobile_verified_at=timezone.now(),
                )
            )
    User.objects.bulk_create(new_users, batch_size=1000)
    users = list(
        User.objects.filter(phone__startswith=PHONE_PREFIX).select_related("home_neighborhood").order_by("phone")
    )

    today = timezone.localdate()
    trustee_users = users[:trustees]
    for user in trustee_users:
        board, _created = TrusteeBoard.objects.get_or_create(neighborhood=user.home_neighborhood)
        Trusteeship.objects.get_or_create(
            board=board,
            user=user,
            defaults={
                "category": TrusteeCategory.RESIDENT,
                "decree_number": f"soak-{user.pk}",
                "decree_date": today - dt.timedelta(days=30),
                "decree_issuer": "شهرداری",
                "term_start": today - dt.timedelta(days=30),
                "term_end": today + dt.timedelta(days=365),
            },
        )

    supportable: dict[str, list[int]] = {}
    for project_id, district_id in Project.objects.filter(phase__in=SUPPORTABLE_PHASES).values_list(
        "id", "district_id"
    ):
        supportable.setdefault(str(district_id), []).append(project_id)

    accounts = []
    for user in users:
        account = sign_in(user)
        account["district"] = user.home_neighborhood.area.district_id
        accounts.append(account)
    trustee_accounts = [
        {**account, "neighborhood": user.home_neighborhood_id}
        for user, account in zip(trustee_users, accounts[:trustees], strict=True)
    ]
    return {
        "accounts": accounts,
        "trustees": trustee_accounts,
        "projects": list(Project.objects.order_by("id").values_list("id", flat=True)),
        "supportable": supportable,
        "organizations": list(
            Organization.objects.filter(status=OrganizationStatus.VERIFIED).order_by("id").values_list("id", flat=True)
        ),
        "neighborhoods": [hood.pk for hood in hoods],
        "districts": list(District.objects.order_by("id").values_list("id", flat=True)),
        "search_terms": SEARCH_TERMS,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


if __name__ == "__main__":
    out = Path(sys.argv[1])
    citizens = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    trustees = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    data = prepare(citizens, trustees)
    out.write_text(json.dumps(data))
    print(
        f"{len(data['accounts'])} signed-in citizens ({len(data['trustees'])} trustees), "
        f"{len(data['projects'])} projects, {sum(map(len, data['supportable'].values()))} open for support, "
        f"{len(data['organizations'])} verified organisations, {len(data['neighborhoods'])} neighbourhoods"
    )
