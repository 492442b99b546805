"""The decision buttons on the change pages of organisations, plans, ideas and need reports.

Role × step for each of the four records: a city admin and the district's
staff decide, staff of another district get 403 with nothing written, and an
organisation's manager (no staff account) is sent to sign in. A step that
needs a reason re-shows the page with a Persian error and writes nothing. A
decision opens the next record waiting in the same queue of the user's
districts, oldest first, or the emptied queue's list with a message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from neighborhoods.models import NeedReport, NeedStatus
from ngos.models import Organization, OrganizationStatus, Plan, PlanStatus
from projects.models import Category, Idea, IdeaStatus, Project
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

S = OrganizationStatus


@dataclass
class World:
    district: object
    other_district: object
    neighborhood: object
    people: dict
    rows: dict


def _old(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def world(district, other_district, neighborhood) -> World:
    manager = factories.UserFactory()
    city = district.city
    people = {
        "city_admin": factories.CityAdminFactory(is_superuser=False, staff_city=city),
        "district_staff": factories.StaffFactory(districts=[district]),
        "other_district_staff": factories.StaffFactory(districts=[other_district]),
        "manager": manager,
    }

    def organization(status, days, **kwargs):
        kwargs.setdefault("districts", [district])
        return factories.OrganizationFactory(
            city=city, status=status, status_changed_at=_old(days), managers=[manager], **kwargs
        )

    verified = organization(S.VERIFIED, 40)
    rows = {
        "submitted": organization(S.SUBMITTED, 30),
        "submitted_next": organization(S.SUBMITTED, 20),
        "verified": verified,
        "suspended": organization(S.SUSPENDED, 10),
        "plan": factories.PlanFactory(organization=verified, target_neighborhoods=[neighborhood]),
        "idea": factories.IdeaFactory(neighborhood=neighborhood),
        "reported": factories.NeedReportFactory(neighborhood=neighborhood, created_at=_old(9)),
        "referred": factories.NeedReportFactory(
            neighborhood=neighborhood, status=NeedStatus.REFERRED, agency="شرکت آب"
        ),
        "in_progress": factories.NeedReportFactory(
            neighborhood=neighborhood, status=NeedStatus.IN_PROGRESS, agency="شرکت آب"
        ),
    }
    return World(district, other_district, neighborhood, people, rows)


def _url(model: str, pk: int, step: str) -> str:
    app = {"organization": "ngos", "plan": "ngos", "idea": "projects", "needreport": "neighborhoods"}[model]
    return reverse(f"admin:{app}_{model}_lifecycle", args=[pk, step])


def _status(row) -> str:
    return type(row).objects.values_list("status", flat=True).get(pk=row.pk)


# (model, row, step, POST data, the status it leads to)
STEPS = {
    "verify": ("organization", "submitted", "verify", {}, S.VERIFIED),
    "reject": ("organization", "submitted", "reject", {"reason_text": "مدارک ناقص است"}, S.REJECTED),
    "request changes": ("organization", "submitted", "request_changes", {"reason_choice": "?"}, S.DRAFT),
    "suspend": ("organization", "verified", "suspend", {"reason_text": "گزارش سالانه نرسید"}, S.SUSPENDED),
    "reinstate": ("organization", "suspended", "reinstate", {}, S.VERIFIED),
    "accept plan": ("plan", "plan", "accept", {}, PlanStatus.ACCEPTED),
    "review plan": ("plan", "plan", "start_review", {}, PlanStatus.UNDER_REVIEW),
    "return plan": ("plan", "plan", "return", {"reason_text": "بودجه را تفکیک کنید"}, PlanStatus.RETURNED),
    "accept idea": (
        "idea",
        "idea",
        "accept",
        {"category": Category.OTHER, "budget": "0", "reason": ""},
        IdeaStatus.ACCEPTED,
    ),
    "return idea": ("idea", "idea", "return", {"reason_text": "شرح کوتاه است"}, IdeaStatus.RETURNED),
    "refer": ("needreport", "reported", "refer", {"agency_text": "شرکت آب و فاضلاب"}, NeedStatus.REFERRED),
    "in progress": ("needreport", "referred", "in_progress", {}, NeedStatus.IN_PROGRESS),
    "resolve": ("needreport", "in_progress", "resolve", {}, NeedStatus.RESOLVED),
    "decline": ("needreport", "reported", "decline", {"reason_text": "تکراری است"}, NeedStatus.DECLINED),
}
EXPECTED = {"city_admin": "ok", "district_staff": "ok", "other_district_staff": 403, "manager": "login"}


def _usual_change() -> str:
    """The first usual request offered, as the list shows it (the value posted is the Persian text)."""
    from ngos.admin.decisions import CHANGE_NOTES

    return str(CHANGE_NOTES[0])


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("name", STEPS)
def test_each_role_takes_each_step(world, client_for, role, name):
    model, key, step, data, after = STEPS[name]
    row = world.rows[key]
    if data.get("reason_choice") == "?":
        data = {"reason_choice": _usual_change()}
    before = _status(row)
    response = client_for(world.people[role]).post(_url(model, row.pk, step), data)
    expected = EXPECTED[role]
    if expected == "ok":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _status(row) == after
        return
    if expected == "login":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == expected
    assert _status(row) == before


def test_a_usual_reason_from_the_list_is_what_the_managers_read(world, client_for):
    organization = world.rows["submitted"]
    client_for(world.people["district_staff"]).post(
        _url("organization", organization.pk, "request_changes"), {"reason_choice": _usual_change()}
    )
    organization.refresh_from_db()
    assert organization.status == S.DRAFT
    assert organization.review_note == "تصویر واضح‌تری از پروانهٔ فعالیت بارگذاری کنید."


def test_the_idea_accepted_on_its_page_becomes_a_project(world, client_for):
    idea = world.rows["idea"]
    client_for(world.people["district_staff"]).post(
        _url("idea", idea.pk, "accept"), {"category": Category.OTHER, "budget": "1000", "reason": ""}
    )
    assert Project.objects.filter(pk=Idea.objects.get(pk=idea.pk).project_id, budget=1000).exists()


NO_REASON = {
    "reject": ("organization", "submitted", "reject", "لطفاً دلیل را بنویسید یا از فهرست انتخاب کنید"),
    "request changes": ("organization", "submitted", "request_changes", "لطفاً دلیل را بنویسید"),
    "suspend": ("organization", "verified", "suspend", "مدیران تشکل آن را می‌بینند"),
    "return plan": ("plan", "plan", "return", "لطفاً دلیل را بنویسید"),
    "return idea": ("idea", "idea", "return", "نویسنده"),
    "decline need": ("needreport", "reported", "decline", "گزارش‌دهنده آن را می‌بیند"),
    "refer without agency": ("needreport", "reported", "refer", "دستگاه"),
}


@pytest.mark.parametrize("name", NO_REASON)
def test_a_step_without_its_reason_shows_a_persian_error_and_changes_nothing(world, client_for, name):
    model, key, step, words = NO_REASON[name]
    row = world.rows[key]
    before = _status(row)
    response = client_for(world.people["district_staff"]).post(
        _url(model, row.pk, step), {"reason_choice": "", "reason_text": "   ", "agency_text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert f'id="lifecycle-{step}" open' in html  # the step's fields stay open beside the error
    assert _status(row) == before


def test_verifying_opens_the_next_organisation_waiting_in_the_staff_members_districts(world, client_for):
    first, second = world.rows["submitted"], world.rows["submitted_next"]
    # Older still, but in a district this staff member does not serve: never offered to them.
    factories.OrganizationFactory(
        city=world.district.city, status=S.SUBMITTED, status_changed_at=_old(90), districts=[world.other_district]
    )
    client = client_for(world.people["district_staff"])

    response = client.post(_url("organization", first.pk, "verify"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:ngos_organization_change", args=[second.pk])
    html = response.content.decode()
    assert f"تشکل «{escape(first.name)}» تأیید شد." in html
    assert 'action="' + _url("organization", second.pk, "verify") + '"' in html

    response = client.post(_url("organization", second.pk, "verify"), follow=True)
    changelist = reverse("admin:ngos_organization_changelist") + "?status__exact=submitted"
    assert response.redirect_chain[-1][0] == changelist
    assert "صف خالی است" in response.content.decode()


def test_the_verification_queue_leads_on_to_its_own_next_row(world, client_for):
    first, second = world.rows["submitted"], world.rows["submitted_next"]
    url = reverse("admin:ngos_verificationqueue_lifecycle", args=[first.pk, "verify"])
    response = client_for(world.people["city_admin"]).post(url)
    assert response["Location"] == reverse("admin:ngos_verificationqueue_change", args=[second.pk])


def test_the_next_need_report_is_the_oldest_one_left_in_the_same_status(world, client_for):
    older = world.rows["reported"]
    newest = factories.NeedReportFactory(neighborhood=world.neighborhood, created_at=_old(1))
    oldest = factories.NeedReportFactory(neighborhood=world.neighborhood, created_at=_old(30))
    response = client_for(world.people["district_staff"]).post(
        _url("needreport", newest.pk, "refer"), {"agency_choice": "شرکت آب و فاضلاب استان تهران"}
    )
    assert response["Location"] == reverse("admin:neighborhoods_needreport_change", args=[oldest.pk])
    assert NeedReport.objects.get(pk=newest.pk).agency == "شرکت آب و فاضلاب استان تهران"
    assert older.pk != oldest.pk


def test_a_suspension_stays_on_the_organisation_it_changed(world, client_for):
    verified = world.rows["verified"]
    response = client_for(world.people["district_staff"]).post(
        _url("organization", verified.pk, "suspend"), {"reason_text": "تخلف"}
    )
    assert response["Location"] == reverse("admin:ngos_organization_change", args=[verified.pk])


def _buttons(html: str) -> set[str]:
    import re

    return set(re.findall(r'/lifecycle/([a-z_]+)/"', html))


@pytest.mark.parametrize(
    ("key", "model", "app", "shown"),
    [
        ("submitted", "organization", "ngos", {"verify", "reject", "request_changes"}),
        ("verified", "organization", "ngos", {"suspend"}),
        ("suspended", "organization", "ngos", {"reinstate"}),
        ("plan", "plan", "ngos", {"accept", "start_review", "return"}),
        ("idea", "idea", "projects", {"accept", "return"}),
        ("reported", "needreport", "neighborhoods", {"refer", "decline"}),
        ("referred", "needreport", "neighborhoods", {"in_progress", "decline"}),
        ("in_progress", "needreport", "neighborhoods", {"resolve", "decline"}),
    ],
)
def test_the_page_offers_the_steps_its_state_allows_with_persian_labels(
    world, client_for, django_assert_max_num_queries, key, model, app, shown
):
    row = world.rows[key]
    client = client_for(world.people["district_staff"])
    with django_assert_max_num_queries(18):  # measured 10-16: the buttons add the permission check
        response = client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk]))
    html = response.content.decode()
    assert _buttons(html) == shown
    assert "تصمیم" in html and "وضعیت کنونی" in html
    assert "Verify" not in html and "Reject" not in html and "Choose from the list" not in html


def test_no_buttons_for_a_staff_member_who_manages_the_organisation(world, client_for):
    staff_manager = factories.StaffFactory(districts=[world.district])
    organization = world.rows["submitted"]
    organization.memberships.create(user=staff_manager)
    client = client_for(staff_manager)
    html = client.get(reverse("admin:ngos_organization_change", args=[organization.pk])).content.decode()
    assert _buttons(html) == set()
    assert client.post(_url("organization", organization.pk, "verify")).status_code == 403
    assert Organization.objects.get(pk=organization.pk).status == S.SUBMITTED


def test_a_decided_record_shows_no_stale_step_and_a_second_click_changes_nothing(world, client_for):
    plan = world.rows["plan"]
    client = client_for(world.people["district_staff"])
    client.post(_url("plan", plan.pk, "accept"))
    response = client.post(_url("plan", plan.pk, "accept"), follow=True)
    assert "این تصمیم دیگر ممکن نیست" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACCEPTED


def test_the_buttons_only_post(world, client_for):
    organization = world.rows["submitted"]
    response = client_for(world.people["district_staff"]).get(_url("organization", organization.pk, "verify"))
    assert response.status_code == 405
    assert _status(organization) == S.SUBMITTED
