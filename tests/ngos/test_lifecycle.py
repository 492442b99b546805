"""draft → submitted → verified / rejected; verified → suspended; re-verification after a licence edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from core.audit import history
from core.uploads import validate_upload
from ngos import services
from ngos.models import Organization, OrganizationStatus, StatusChange
from tests import factories

S = OrganizationStatus


def _register(user, district, **extra):
    return services.organization_register(
        user=user,
        city=district.city,
        kind="charity",
        name=extra.pop("name", "خیریه نیکان"),
        registration_number=extra.pop("registration_number", "۱۴۰۲۵۵"),
        managing_director="مریم احمدی",
        summary="کمک به خانواده‌های نیازمند",
        **extra,
    )


def _complete(user, organization, district):
    today = timezone.localdate()
    return services.organization_update(
        user=user,
        organization=organization,
        changes={
            "licence_number": "۱۲۳/۴۵",
            "licence_issuer": "welfare_organization",
            "licence_issued_on": today - dt.timedelta(days=10),
            "licence_expires_on": today + dt.timedelta(days=700),
            "licence_document": validate_upload(SimpleUploadedFile("l.pdf", factories.PDF_BYTES)),
            "activities": ["children", "relief"],
            "districts": [district],
            "address": "تهران، خیابان بهار",
        },
    )


def _trail(organization):
    return [(c.from_status, c.to_status) for c in StatusChange.objects.filter(organization=organization)]


@pytest.mark.django_db
def test_full_lifecycle_with_changes_requested_and_reverification(citizen, district, district_staff):
    organization = _register(citizen, district)
    citizen.refresh_from_db()
    assert organization.status == S.DRAFT
    assert organization.memberships.get().user == citizen
    assert citizen.role == Role.ORG_MANAGER

    with pytest.raises(ValidationError) as error:
        services.organization_submit(user=citizen, organization=organization)
    assert {"licence_number", "licence_document", "activities", "districts", "address"} <= set(error.value.message_dict)

    organization = _complete(citizen, organization, district)
    organization = services.organization_submit(user=citizen, organization=organization)
    assert organization.status == S.SUBMITTED

    organization = services.organization_request_changes(
        user=district_staff, organization=organization, note="تصویر پروانه خوانا نیست."
    )
    assert organization.status == S.DRAFT
    assert organization.review_note == "تصویر پروانه خوانا نیست."

    organization = services.organization_submit(user=citizen, organization=organization)
    organization = services.organization_verify(user=district_staff, organization=organization)
    assert organization.status == S.VERIFIED and organization.verified_at is not None
    assert organization.review_note == ""

    # A non-licence edit keeps it verified; a licence edit sends it back.
    organization = services.organization_update(user=citizen, organization=organization, changes={"address": "نو"})
    assert organization.status == S.VERIFIED
    organization = services.organization_update(
        user=citizen,
        organization=organization,
        changes={"licence_expires_on": timezone.localdate() + dt.timedelta(days=900)},
    )
    assert organization.status == S.SUBMITTED
    assert not Organization.objects.public().filter(pk=organization.pk).exists()

    organization = services.organization_verify(user=district_staff, organization=organization)
    organization = services.organization_suspend(
        user=district_staff, organization=organization, reason="گزارش مالی ارسال نشد."
    )
    assert organization.status == S.SUSPENDED
    organization = services.organization_reinstate(user=district_staff, organization=organization)
    assert organization.status == S.VERIFIED

    assert _trail(organization) == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.VERIFIED),
        (S.VERIFIED, S.SUBMITTED),
        (S.SUBMITTED, S.VERIFIED),
        (S.VERIFIED, S.SUSPENDED),
        (S.SUSPENDED, S.VERIFIED),
    ]
    relicensed = StatusChange.objects.get(organization=organization, from_status=S.VERIFIED, to_status=S.SUBMITTED)
    assert relicensed.actor == citizen and relicensed.note
    asked = StatusChange.objects.get(organization=organization, from_status=S.SUBMITTED, to_status=S.DRAFT)
    assert asked.actor == district_staff and asked.note == "تصویر پروانه خوانا نیست."
    actions = [entry.action for entry in history(organization)]
    assert actions[0] == "organization.registered"
    for action in ("changes_requested", "verified", "licence_changed", "suspended", "reinstated"):
        assert f"organization.{action}" in actions
    audit_update = next(
        e for e in history(organization) if e.action == "organization.updated" and "address" in e.changes
    )
    assert audit_update.actor == citizen


@pytest.mark.django_db
def test_new_licence_scan_also_triggers_reverification(manager, organization):
    new_scan = validate_upload(SimpleUploadedFile("new.pdf", factories.PDF_BYTES))
    organization = services.organization_update(
        user=manager, organization=organization, changes={"licence_document": new_scan}
    )
    assert organization.status == S.SUBMITTED


@pytest.mark.django_db
def test_rejection_is_final_and_needs_a_reason(manager, submitted, district_staff):
    with pytest.raises(ValidationError):
        services.organization_reject(user=district_staff, organization=submitted, reason="   ")
    rejected = services.organization_reject(user=district_staff, organization=submitted, reason="مدارک جعلی")
    assert rejected.status == S.REJECTED and rejected.review_note == "مدارک جعلی"
    with pytest.raises(PermissionDenied):
        services.organization_update(user=manager, organization=rejected, changes={"address": "x"})
    for service in (services.organization_verify, services.organization_reinstate):
        with pytest.raises(ValidationError):
            service(user=district_staff, organization=rejected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "service"),
    [
        (S.DRAFT, services.organization_verify),
        (S.VERIFIED, services.organization_verify),
        (S.DRAFT, services.organization_suspend),
        (S.SUBMITTED, services.organization_suspend),
        (S.SUBMITTED, services.organization_reinstate),
        (S.VERIFIED, services.organization_request_changes),
    ],
)
def test_transitions_outside_the_table_are_refused(start, service, district, district_staff):
    organization = factories.OrganizationFactory(city=district.city, districts=[district], status=start)
    kwargs = {"reason": "x"} if service is services.organization_suspend else {}
    if service is services.organization_request_changes:
        kwargs = {"note": "x"}
    with pytest.raises(ValidationError) as error:
        service(user=district_staff, organization=organization, **kwargs)
    assert error.value.code == "invalid_transition"
    organization.refresh_from_db()
    assert organization.status == start
    assert not StatusChange.objects.filter(organization=organization).exists()


@pytest.mark.django_db
def test_only_staff_in_scope_review_and_never_their_own(submitted, manager, other_district_staff, citizen, district):
    for user in (manager, other_district_staff, citizen):
        with pytest.raises(PermissionDenied):
            services.organization_verify(user=user, organization=submitted)
    staff_manager = factories.StaffFactory(districts=[district])
    factories.MembershipFactory(organization=submitted, user=staff_manager)
    with pytest.raises(PermissionDenied):
        services.organization_verify(user=staff_manager, organization=submitted)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


@pytest.mark.django_db
def test_expired_licence_cannot_be_submitted(manager, district):
    organization = factories.OrganizationFactory(
        city=district.city,
        districts=[district],
        managers=[manager],
        licence_expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        services.organization_submit(user=manager, organization=organization)
    assert list(error.value.message_dict) == ["licence_expires_on"]


@pytest.mark.django_db
def test_neighbourhoods_add_their_districts_and_must_be_in_the_city(manager, organization, other_district):
    hood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    organization = services.organization_update(
        user=manager, organization=organization, changes={"neighborhoods": [hood]}
    )
    assert other_district in organization.districts.all()
    foreign = factories.NeighborhoodFactory()
    with pytest.raises(ValidationError) as error:
        services.organization_update(user=manager, organization=organization, changes={"neighborhoods": [foreign]})
    assert "neighborhoods" in error.value.message_dict


@pytest.mark.django_db
def test_failed_update_writes_nothing(manager, organization, other_organization):
    before = (organization.name, organization.address)
    with pytest.raises(ValidationError):
        services.organization_update(
            user=manager,
            organization=organization,
            changes={"address": "جدید", "registration_number": other_organization.registration_number},
        )
    organization.refresh_from_db()
    assert (organization.name, organization.address) == before
