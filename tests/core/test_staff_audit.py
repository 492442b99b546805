"""Staff decisions leave an audit entry (who, what, which record, before → after) that nobody can rewrite."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Role, User
from core.models import AuditEntry, AuditTrailIsAppendOnly
from ngos.models import Organization, OrganizationStatus
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def entry_for(target, action: str) -> AuditEntry:
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        action=action,
    )
    assert entries.count() == 1, list(AuditEntry.objects.values_list("action", "target_repr"))
    return entries.get()


def _org_action(client, name: str, organization: Organization, **extra):
    data = {"action": name, "_selected_action": [organization.pk], **extra}
    return client.post("/admin/ngos/organization/", data)


ORGANISATION_DECISIONS = {
    # action in the admin, starting status, extra form data, audit action, status after
    "verify": ("verify", OrganizationStatus.SUBMITTED, {}, "organization.verified", OrganizationStatus.VERIFIED),
    "reject": (
        "reject",
        OrganizationStatus.SUBMITTED,
        {"apply": "1", "note": "مدارک ناقص"},
        "organization.rejected",
        OrganizationStatus.REJECTED,
    ),
    "suspend": (
        "suspend",
        OrganizationStatus.VERIFIED,
        {"apply": "1", "note": "تخلف"},
        "organization.suspended",
        OrganizationStatus.SUSPENDED,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ORGANISATION_DECISIONS.values(), ids=ORGANISATION_DECISIONS.keys())
def test_organisation_decisions_in_the_admin_are_audited(decision, client_for, district_staff, district):
    admin_action, start, extra, audited, end = decision
    organization = factories.OrganizationFactory(city=district.city, districts=[district], status=start)
    _org_action(client_for(district_staff), admin_action, organization, **extra)
    organization.refresh_from_db()
    assert organization.status == end
    entry = entry_for(organization, audited)
    assert entry.actor == district_staff
    assert entry.changes == {"status": [start, end]}
    assert entry.note == extra.get("note", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("admin_action", "extra", "audited", "after"),
    [
        ("approve_selected", {}, "comment.approved", "published"),
        ("reject_selected", {"apply": "1", "reason": "توهین"}, "comment.rejected", "rejected"),
    ],
)
def test_comment_moderation_in_the_admin_is_audited(
    admin_action, extra, audited, after, client_for, district_staff, district
):
    comment = factories.CommentFactory(project=factories.ProjectFactory(district=district), status="pending")
    client_for(district_staff).post(
        "/admin/projects/comment/", {"action": admin_action, "_selected_action": [comment.pk], **extra}
    )
    comment.refresh_from_db()
    assert comment.status == after
    entry = entry_for(comment, audited)
    assert entry.actor == district_staff
    assert entry.changes == {"status": ["pending", after]}
    assert entry.note == extra.get("reason", "")


@pytest.mark.django_db
def test_project_phase_change_is_audited(district_staff, district):
    from projects.services import project_change_phase

    project = factories.ProjectFactory(district=district, phase="proposed")
    project_change_phase(project=project, actor=district_staff, to_phase="under_review", note="بررسی فنی")
    entry = entry_for(project, "project.phase_changed")
    assert (entry.actor, entry.note) == (district_staff, "بررسی فنی")
    assert entry.changes == {"phase": ["proposed", "under_review"]}


@pytest.mark.django_db
def test_need_report_status_change_is_audited(district_staff, neighborhood):
    from neighborhoods.services import need_report_change_status

    report = factories.NeedReportFactory(neighborhood=neighborhood)
    need_report_change_status(actor=district_staff, report=report, status="declined", note="تکراری")
    entry = entry_for(report, "need_report.status_changed")
    assert entry.actor == district_staff
    assert entry.changes["status"] == ["reported", "declined"]


def _user_form(user: User, **changes) -> dict:
    data = {
        "phone": user.phone,
        "display_name": "کارمند",
        "email": "",
        "national_code": "",
        "home_neighborhood": "",
        "role": user.role,
        "staff_city": "",
        "is_active": "on",
        "date_joined_0": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_granting_a_staff_role_and_districts_in_the_admin_is_audited(client_for, city_admin, district, other_district):
    citizen = factories.UserFactory()
    response = client_for(city_admin).post(
        f"/admin/accounts/user/{citizen.pk}/change/",
        _user_form(citizen, role=Role.DISTRICT_STAFF, staff_districts=[district.pk, other_district.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    citizen.refresh_from_db()
    assert citizen.role == Role.DISTRICT_STAFF and citizen.is_staff
    entry = entry_for(citizen, "user.access_changed")
    assert entry.actor == city_admin
    assert entry.changes == {
        "role": [Role.CITIZEN, Role.DISTRICT_STAFF],
        "is_staff": [False, True],
        "staff_districts": [[], sorted([district.pk, other_district.pk])],
    }


@pytest.mark.django_db
def test_making_someone_superuser_in_the_admin_is_audited_and_a_plain_save_is_not(client_for, city_admin):
    staff = factories.StaffFactory()
    client = client_for(city_admin)
    url = f"/admin/accounts/user/{staff.pk}/change/"
    assert client.post(url, _user_form(staff, is_staff="on")).status_code == 302
    assert not AuditEntry.objects.filter(action="user.access_changed").exists()  # nothing about access changed
    assert client.post(url, _user_form(staff, is_staff="on", is_superuser="on")).status_code == 302
    entry = entry_for(staff, "user.access_changed")
    assert entry.changes == {"is_superuser": [False, True]}


@pytest.mark.django_db
def test_a_role_given_by_a_service_is_audited(citizen, district_staff, district):
    from ngos.services.organizations import add_manager

    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
    add_manager(organization=organization, user=citizen, added_by=district_staff)
    citizen.refresh_from_db()
    assert citizen.role == Role.ORG_MANAGER
    entry = entry_for(citizen, "user.access_changed")
    assert entry.actor == district_staff
    assert entry.changes == {"role": [Role.CITIZEN, Role.ORG_MANAGER]}


@pytest.mark.django_db
def test_the_model_refuses_to_change_or_delete_an_entry(city_admin):
    from core.audit import log_action

    entry = log_action(actor=city_admin, action="x", target=city_admin, note="first")
    entry.note = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


@pytest.mark.django_db
def test_even_a_superuser_cannot_edit_or_delete_entries_in_the_admin(client_for, city_admin):
    from core.audit import log_action

    assert city_admin.is_superuser
    entry = log_action(actor=city_admin, action="x", target=city_admin, note="first")
    client = client_for(city_admin)
    changelist = client.get("/admin/core/auditentry/")
    assert changelist.status_code == 200
    assert b'value="delete_selected"' not in changelist.content
    assert client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"note": "y"}).status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/core/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


@pytest.mark.django_db
def test_deleting_a_staff_account_keeps_their_entries_without_an_actor(district_staff, district):
    from core.audit import log_action

    entry = log_action(actor=district_staff, action="x", target=district, note="kept")
    district_staff.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor, entry.note) == (None, "kept")
