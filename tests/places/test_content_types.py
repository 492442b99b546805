"""The geography models and the city settings moved to ``places`` without moving data.

Their content types were renamed in place (same rows, same ids), so staff
permissions and audit entries recorded before the move still point at the
right records. The round trip runs the real migrations backwards to before
``places`` and forwards again.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from core.models import AuditEntry
from places.models import Area, City, CityParticipationSettings, District, Neighborhood
from tests import factories

OLD_LABELS = {
    "city": "neighborhoods",
    "district": "neighborhoods",
    "area": "neighborhoods",
    "neighborhood": "neighborhoods",
    "cityparticipationsettings": "projects",
}


def _migrate(targets=None) -> None:
    """Migrate the test database to ``targets`` (default: the latest migrations)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _old_type(model: str) -> ContentType:
    return ContentType.objects.get(app_label=OLD_LABELS[model], model=model)


def _fresh(user: User) -> User:
    # No cached permissions; only the columns permission checks read, which every schema
    # version this test migrates through has (later migrations add columns to users).
    return User.objects.only("id", "is_active", "is_superuser").get(pk=user.pk)


@pytest.mark.django_db
def test_the_moved_models_content_types_say_places():
    for model in (City, District, Area, Neighborhood, CityParticipationSettings):
        assert ContentType.objects.get_for_model(model).app_label == "places"
    for model, label in OLD_LABELS.items():
        assert not ContentType.objects.filter(app_label=label, model=model).exists()


@pytest.mark.django_db(transaction=True)
def test_staff_permissions_and_audit_entries_survive_the_move(district):
    staff = factories.StaffFactory(districts=[district])
    settings_row = CityParticipationSettings.objects.create(city=district.city, flags_to_hide=4)
    _migrate([("places", None)])
    try:
        ids = {model: _old_type(model).pk for model in OLD_LABELS}
        staff.user_permissions.add(
            Permission.objects.get(content_type_id=ids["neighborhood"], codename="change_neighborhood"),
            Permission.objects.get(
                content_type_id=ids["cityparticipationsettings"], codename="change_cityparticipationsettings"
            ),
        )
        assert _fresh(staff).has_perm("neighborhoods.change_neighborhood")
        city_entry = AuditEntry.objects.create(
            action="geography.imported", target_type_id=ids["city"], target_id=district.city_id, target_repr="city"
        )
        settings_entry = AuditEntry.objects.create(
            action="settings.changed",
            target_type_id=ids["cityparticipationsettings"],
            target_id=settings_row.pk,
            target_repr="settings",
        )
    finally:
        _migrate()

    assert {model: ContentType.objects.get(app_label="places", model=model).pk for model in OLD_LABELS} == ids
    staff = _fresh(staff)
    assert staff.has_perm("places.change_neighborhood")
    assert staff.has_perm("places.change_cityparticipationsettings")
    assert not staff.has_perm("neighborhoods.change_neighborhood")
    assert AuditEntry.objects.get(pk=city_entry.pk).target == district.city
    assert AuditEntry.objects.get(pk=settings_entry.pk).target == settings_row


@pytest.mark.django_db(transaction=True)
def test_rows_written_under_the_new_label_before_the_migration_are_merged(district):
    """New code deployed before ``migrate`` may already have made a ``places`` content type and used it."""
    staff = factories.StaffFactory(districts=[district])
    _migrate([("places", None)])
    try:
        original = _old_type("neighborhood")
        early = ContentType.objects.create(app_label="places", model="neighborhood")
        # post_migrate would also have given the early type its own permissions, held by a group
        early_permission = Permission.objects.create(
            content_type=early, codename="change_neighborhood", name="Can change neighbourhood"
        )
        group = Group.objects.create(name="geography editors")
        group.permissions.add(early_permission)
        staff.groups.add(group)
        entry = AuditEntry.objects.create(
            action="neighbourhood.changed", target_type=early, target_id=1, target_repr="early"
        )
    finally:
        _migrate()

    kept = ContentType.objects.get(app_label="places", model="neighborhood")
    assert kept.pk == original.pk
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert _fresh(staff).has_perm("places.change_neighborhood")
    assert list(group.permissions.values_list("content_type_id", flat=True)) == [original.pk]
    assert AuditEntry.objects.get(pk=entry.pk).target_type_id == original.pk
