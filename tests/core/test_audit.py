import pytest

from core.audit import history, log_action
from core.models import AuditEntry
from tests import factories


@pytest.mark.django_db
def test_log_action_records_who_what_and_why_in_order(city_admin):
    district = factories.DistrictFactory()
    log_action(actor=city_admin, action="district.renamed", target=district, note="typo", changes={"name": ["a", "b"]})
    log_action(actor=None, action="district.checked", target=district)
    entries = list(history(district))
    assert [e.action for e in entries] == ["district.renamed", "district.checked"]
    assert entries[0].actor == city_admin and entries[0].note == "typo"
    assert entries[0].changes == {"name": ["a", "b"]}
    assert entries[1].actor is None


@pytest.mark.django_db
def test_staff_cannot_add_change_or_delete_audit_entries_in_admin(client_for, city_admin):
    entry = log_action(actor=city_admin, action="x", target=factories.DistrictFactory())
    client = client_for(city_admin)
    url = f"/admin/core/auditentry/{entry.pk}/change/"
    assert client.get("/admin/core/auditentry/").status_code == 200
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="note"' not in page.content  # read-only view, no form fields
    assert client.post(url, {"note": "rewritten", "action": "y"}).status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert (entry.action, entry.note) == ("x", "")
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_log_actions_writes_an_entry_per_target_in_one_insert_cleaned_as_log_action(city_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.audit import log_actions

    districts = [factories.DistrictFactory() for _ in range(3)]
    single = log_action(actor=city_admin, action="district.checked", target=districts[0], note="\u202ebulk")
    with CaptureQueriesContext(connection) as queries:
        log_actions(actor=city_admin, action="district.checked", targets=districts, note="\u202ebulk")
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    for district in districts:
        entry = list(history(district))[-1]
        assert (entry.action, entry.actor, entry.note, entry.target_repr) == (
            single.action,
            city_admin,
            "bulk",
            str(district),
        )
