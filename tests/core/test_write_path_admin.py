"""The admin is one more door to the data: it writes through the same services as pages and the API.

``test_every_registered_admin_is_read_only_or_routes_its_writes`` walks the
admin registry, so a new model admin that saves with Django's defaults (or
with the refusing defaults of ``ServiceAdmin``) fails it. The behaviour tests
below make the same change once in the admin, as district staff, and once by
the service (or the API) on a twin record, and compare what is left behind:
the audit entries and the cleaned text.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from accounts.models import Role, User
from core.admin import ServiceAdmin, ServiceInline, StaffAdmin, StaffInlineMixin
from core.audit import history
from ngos.models import Organization, OrganizationStatus, Plan, PlanStatus
from places.models import CityParticipationSettings
from projects.models import (
    BudgetingRound,
    FlaggedWord,
    IdeaRound,
    Project,
    ProjectImage,
)
from projects.services import (
    idea_round_create,
    project_add_image,
    project_create_from_plan,
    project_update,
    round_create,
)
from tests import factories
from tests.admin_forms import admin_form_data

RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the registry ------------------------------------------------------------------------
def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(phone="+989120000001", is_active=True, is_staff=True, is_superuser=True, role=Role.CITY_ADMIN)
    return request


def _routed(cls, hook: str, django_default) -> bool:
    """``hook`` is neither Django's own (a direct save) nor ``ServiceAdmin``'s refusal."""
    impl = getattr(cls, hook)
    return impl is not getattr(django_default, hook, None) and not getattr(impl, "refuses_writes", False)


def write_path_problems(site: AdminSite) -> list[str]:
    """Model admins of ``site`` that could write without a service, each with what is wrong.

    An admin nobody may add to, change or delete in (superusers included) is
    read-only and passes; any other must derive from ``ServiceAdmin`` and
    route ``save_model`` (when it adds or changes) and ``delete_model`` (when
    it deletes), and every inline that writes must be a ``ServiceInline`` with
    its own ``save_rows``. Actions are covered by the scan of admin modules
    for direct writes (``test_no_direct_writes``).
    """
    request = _superuser_request()
    problems = []
    for model, model_admin in site._registry.items():
        name = f"{model._meta.label} ({type(model_admin).__name__})"
        saves = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        deletes = model_admin.has_delete_permission(request)
        if not (saves or deletes):
            continue
        if not isinstance(model_admin, ServiceAdmin):
            problems.append(f"{name}: writes with Django's defaults; derive it from StaffAdmin")
            continue
        cls = type(model_admin)
        hooks = [*(["save_model"] if saves else []), *(["delete_model"] if deletes else [])]
        problems += [f"{name}: {hook} calls no service" for hook in hooks if not _routed(cls, hook, ModelAdmin)]
        for hook in ("save_related", "save_formset", "delete_queryset"):
            if getattr(cls, hook) is getattr(ModelAdmin, hook):
                problems.append(f"{name}: {hook} is Django's, which writes directly")
        for inline_class in model_admin.inlines:
            inline = inline_class(model, site)
            writes = (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or inline.has_delete_permission(request)
            )
            if writes and not (isinstance(inline, ServiceInline) and _routed(inline_class, "save_rows", None)):
                problems.append(f"{name}: inline {inline_class.__name__} saves its rows without a service")
    return problems


def test_every_registered_admin_is_read_only_or_routes_its_writes():
    assert admin.site._registry
    assert write_path_problems(admin.site) == []


def test_read_only_admins_refuse_even_a_superuser():
    request = _superuser_request()
    read_only = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not any(
            (
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
        )
    ]
    # The trail, the registry's decisions and the outbox are read-only; the check above is not vacuous.
    assert {"core.AuditEntry", "ngos.Organization", "projects.Comment", "notifications.Notification"} <= set(read_only)


class _Unrouted(StaffAdmin):
    district_path = None


class _GalleryInline(StaffInlineMixin, admin.TabularInline):
    model = ProjectImage


class _ProjectWithUnroutedInline(StaffAdmin):
    inlines = [_GalleryInline]

    def save_model(self, request, obj, form, change):
        project_update(actor=request.user, project=obj)


def test_the_check_catches_an_admin_registered_without_routing():
    site = AdminSite(name="probe")
    site.register(FlaggedWord)  # Django's own ModelAdmin
    site.register(CityParticipationSettings, _Unrouted)  # the base, with nothing routed
    site.register(Project, _ProjectWithUnroutedInline)  # routed itself, but an inline is not
    problems = write_path_problems(site)
    assert any("projects.FlaggedWord" in p and "Django's defaults" in p for p in problems), problems
    assert any("CityParticipationSettings" in p and "save_model" in p for p in problems), problems
    assert any("CityParticipationSettings" in p and "delete_model" in p for p in problems), problems
    assert any("_GalleryInline" in p for p in problems), problems
    assert not any("projects.Project (" in p and "save_model" in p for p in problems), problems


def test_the_base_refuses_to_save_or_delete_until_routed(district):
    request = _superuser_request()
    model_admin = _Unrouted(CityParticipationSettings, AdminSite(name="probe"))
    settings = CityParticipationSettings(city=district.city)
    with pytest.raises(ImproperlyConfigured):
        model_admin.save_model(request, settings, None, False)
    with pytest.raises(ImproperlyConfigured):
        model_admin.delete_model(request, settings)
    with pytest.raises(ImproperlyConfigured):
        ServiceInline().save_rows(request, settings, None)
    assert not CityParticipationSettings.objects.exists()


# --- the same trail by every door ---------------------------------------------------------
def trail(target) -> list[tuple]:
    """What the audit trail says about ``target``, without ids and times."""
    return [(e.action, e.actor_id, e.note, e.changes) for e in history(target)]


def test_a_project_edited_in_the_admin_leaves_what_the_service_leaves(client_for, district_staff, district):
    hood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    in_admin, by_service = (
        factories.ProjectFactory(district=district, neighborhoods=[hood], title="پارک محله", budget=10)
        for _ in range(2)
    )
    title = f"پارک {RLO}محله{PDF} تازه"
    client = client_for(district_staff)
    url = f"/admin/projects/project/{in_admin.pk}/change/"
    data = admin_form_data(client, url) | {"title": title, "budget": "25"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    by_service.title, by_service.budget = title, 25
    project_update(actor=district_staff, project=by_service, neighborhoods=[hood])

    in_admin.refresh_from_db()
    by_service.refresh_from_db()
    assert in_admin.title == by_service.title == "پارک محله تازه"
    assert trail(in_admin)[-1] == trail(by_service)[-1]
    assert trail(in_admin)[-1] == (
        "project.changed",
        district_staff.pk,
        "",
        {"title": ["پارک محله", "پارک محله تازه"], "budget": ["10", "25"]},
    )


def test_a_budgeting_round_created_in_the_admin_leaves_what_the_service_leaves(client_for, district_staff, district):
    eligible = factories.ProjectFactory(district=district, budget=5)
    title = f"دوره {RLO}بهار"
    response = client_for(district_staff).post(
        "/admin/projects/budgetinground/add/",
        {
            "district": district.pk,
            "title": title,
            "description": "",
            "total_budget": "100",
            "opens_on": "1404/01/01",
            "closes_on": "1404/02/01",
            "eligible_projects": [eligible.pk],
            "results-TOTAL_FORMS": "0",
            "results-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    in_admin = BudgetingRound.objects.get()
    by_service = round_create(
        actor=district_staff,
        district=district,
        title=title,
        total_budget=100,
        opens_on=in_admin.opens_on,
        closes_on=in_admin.closes_on,
        eligible_projects=[eligible],
    )
    by_service.refresh_from_db()
    assert in_admin.title == by_service.title == "دوره بهار"
    assert in_admin.created_by == district_staff
    assert list(in_admin.eligible_projects.all()) == [eligible]
    assert trail(in_admin) == trail(by_service) == [("budgeting.round_created", district_staff.pk, "", {})]


def test_an_idea_round_created_in_the_admin_leaves_what_the_service_leaves(client_for, district):
    city_admin = factories.UserFactory(role=Role.CITY_ADMIN, staff_city=district.city)
    title = f"فراخوان {RLO}ایده"
    response = client_for(city_admin).post(
        "/admin/projects/idearound/add/",
        {
            "city": district.city_id,
            "title": title,
            "description": "",
            "opens_on": "1404/01/01",
            "closes_on": "1404/03/01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    in_admin = IdeaRound.objects.get()
    by_service = idea_round_create(
        actor=city_admin, city=district.city, title=title, opens_on=in_admin.opens_on, closes_on=in_admin.closes_on
    )
    by_service.refresh_from_db()
    assert in_admin.title == by_service.title == "فراخوان ایده"
    assert trail(in_admin) == trail(by_service) == [("ideas.round_created", city_admin.pk, "", {})]


def test_an_image_added_through_the_inline_leaves_what_the_service_leaves(client_for, district_staff, district):
    in_admin, by_service = (factories.ProjectFactory(district=district) for _ in range(2))
    caption = f"نمای {RLO}شمالی"
    client = client_for(district_staff)
    url = f"/admin/projects/project/{in_admin.pk}/change/"
    data = admin_form_data(client, url) | {
        "images-TOTAL_FORMS": "1",
        "images-0-image": SimpleUploadedFile("by-hand.png", factories.png_bytes(), content_type="image/png"),
        "images-0-caption": caption,
        "images-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    upload = SimpleUploadedFile("by-hand.png", factories.png_bytes(), content_type="image/png")
    project_add_image(project=by_service, actor=district_staff, image=upload, caption=caption)

    added, expected = in_admin.images.get(), by_service.images.get()
    assert added.caption == expected.caption == "نمای شمالی"
    assert "by-hand" not in added.image.name  # re-encoded under a name of its own, as the service does
    assert trail(in_admin) == trail(by_service) == [("project.image_added", district_staff.pk, "نمای شمالی", {})]


def test_verifying_in_the_admin_leaves_what_the_api_leaves(client_for, api_client, district_staff, district):
    in_admin, by_api = (
        factories.OrganizationFactory(city=district.city, districts=[district], status=OrganizationStatus.SUBMITTED)
        for _ in range(2)
    )
    client_for(district_staff).post(
        "/admin/ngos/organization/", {"action": "verify", "_selected_action": [in_admin.pk]}
    )
    api_client.force_authenticate(district_staff)
    assert api_client.post(f"/api/v1/organizations/{by_api.pk}/verify/", {}, format="json").status_code == 200
    for organization in (in_admin, by_api):
        organization.refresh_from_db()
        assert organization.status == OrganizationStatus.VERIFIED
    assert trail(in_admin) == trail(by_api)
    assert trail(in_admin)[-1][:2] == ("organization.verified", district_staff.pk)


def test_a_rejection_reason_is_cleaned_the_same_in_the_admin_and_the_api(
    client_for, api_client, district_staff, district
):
    in_admin, by_api = (
        factories.OrganizationFactory(city=district.city, districts=[district], status=OrganizationStatus.SUBMITTED)
        for _ in range(2)
    )
    reason = f"مدارک {RLO}ناقص"
    client_for(district_staff).post(
        "/admin/ngos/organization/",
        {"action": "reject", "_selected_action": [in_admin.pk], "apply": "1", "note": reason},
    )
    api_client.force_authenticate(district_staff)
    api_client.post(f"/api/v1/organizations/{by_api.pk}/reject/", {"reason": reason}, format="json")
    assert Organization.objects.filter(pk__in=[in_admin.pk, by_api.pk], status="rejected").count() == 2
    assert trail(in_admin) == trail(by_api)
    assert trail(in_admin)[-1][:3] == ("organization.rejected", district_staff.pk, "مدارک ناقص")


def test_a_plan_made_a_project_in_the_admin_leaves_what_the_api_leaves(
    client_for, api_client, district_staff, district
):
    hood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
    in_admin, by_api = (
        factories.PlanFactory(organization=organization, target_neighborhoods=[hood], status=PlanStatus.ACCEPTED)
        for _ in range(2)
    )
    # A row written before text was cleaned on save still reaches the project clean.
    Plan.objects.filter(pk__in=[in_admin.pk, by_api.pk]).update(title=f"طرح {RLO}کتابخانه")
    client_for(district_staff).post(
        "/admin/ngos/plan/", {"action": "create_project", "_selected_action": [in_admin.pk]}
    )
    api_client.force_authenticate(district_staff)
    response = api_client.post(f"/api/v1/plans/{by_api.pk}/project/", {}, format="json")
    assert response.status_code == 201, response.content
    made_in_admin = Project.objects.get(source_plan=in_admin)
    made_by_api = Project.objects.get(source_plan=by_api)
    assert response.json()["id"] == made_by_api.pk
    assert made_in_admin.title == made_by_api.title == "طرح کتابخانه"
    assert trail(made_in_admin) == trail(made_by_api)
    assert trail(made_in_admin)[0][:2] == ("project.created", district_staff.pk)
    # ...and the same as the service called directly.
    third = factories.PlanFactory(organization=organization, target_neighborhoods=[hood], status=PlanStatus.ACCEPTED)
    Plan.objects.filter(pk=third.pk).update(title=f"طرح {RLO}کتابخانه")
    assert trail(project_create_from_plan(plan=third, actor=district_staff)) == trail(made_in_admin)
