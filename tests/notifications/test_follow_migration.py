"""The migration from projects.Follow to notifications.Subscription keeps every follow.

Runs the real migrations: back to before the move, old-style follows written
with the historical model, then forward again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.migrating import latest_migrations_afterwards, migrate_to  # noqa: F401 - the fixture

# Every app's geography already in places, follows not yet moved.
GEOGRAPHY = [(app, "0004_geography_in_places") for app in ("neighborhoods", "ngos")] + [
    ("accounts", "0002_geography_in_places")
]
BEFORE = [("projects", "0004_geography_in_places"), ("notifications", "0001_initial"), *GEOGRAPHY]
AFTER = [("projects", "0006_delete_follow"), ("notifications", "0002_subscription"), *GEOGRAPHY]


pytestmark = pytest.mark.usefixtures("latest_migrations_afterwards")


@pytest.mark.django_db(transaction=True)
def test_every_follow_becomes_a_subscription_with_its_person_object_and_time():
    old = migrate_to(BEFORE)
    User = old.get_model("accounts", "User")  # noqa: N806 - historical models
    City, District, Area, Neighborhood = (  # noqa: N806
        old.get_model("places", name) for name in ("City", "District", "Area", "Neighborhood")
    )
    Organization = old.get_model("ngos", "Organization")  # noqa: N806
    Project, Follow = old.get_model("projects", "Project"), old.get_model("projects", "Follow")  # noqa: N806

    city = City.objects.create(name="تهران", slug="tehran-migration")
    district = District.objects.create(city=city, number=1, name="منطقه ۱")
    area = Area.objects.create(district=district, name="ناحیه ۱", name_normalized="ناحیه 1")
    hood = Neighborhood.objects.create(district=district, area=area, name="گلستان", name_normalized="گلستان")
    project = Project.objects.create(title="بوستان", district=district)
    organization = Organization.objects.create(
        city=city, name="خیریه", name_normalized="خیریه", registration_number="1", registration_number_normalized="1"
    )
    ana, babak = (User.objects.create(phone=f"+98912000{i:04d}", display_name=f"n{i}") for i in range(2))
    at = dt.datetime(2024, 3, 20, 8, 30, tzinfo=dt.UTC)
    rows = [
        Follow.objects.create(user=ana, project=project, created_at=at),
        Follow.objects.create(user=ana, neighborhood=hood, created_at=at + dt.timedelta(days=1)),
        Follow.objects.create(user=ana, organization=organization, created_at=at + dt.timedelta(days=2)),
        Follow.objects.create(user=babak, project=project, created_at=at + dt.timedelta(days=3)),
    ]
    expected = {
        (row.user_id, kind, target, row.created_at)
        for row in rows
        for kind, target in (
            ("project", row.project_id),
            ("neighborhood", row.neighborhood_id),
            ("organization", row.organization_id),
        )
        if target is not None
    }

    new = migrate_to(AFTER)
    Subscription = new.get_model("notifications", "Subscription")  # noqa: N806
    kept = {
        (row.user_id, row.target_type.model, row.target_id, row.created_at)
        for row in Subscription.objects.select_related("target_type")
    }
    assert kept == expected
    assert "projects_follow" not in connection.introspection.table_names()
