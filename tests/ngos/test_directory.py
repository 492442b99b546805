"""The public directory, profile page, open data, and constant query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from ngos.models import OrganizationStatus
from tests import factories


@pytest.fixture
def registry(district, other_district, neighborhood):
    city = district.city
    return {
        "charity": factories.VerifiedOrganizationFactory(
            city=city,
            kind="charity",
            name="خیریه علی‌اکبر",
            description="یاری به سالمندان محله",
            districts=[district],
            neighborhoods=[neighborhood],
            activities=["elderly"],
        ),
        "ngo": factories.VerifiedOrganizationFactory(
            city=city,
            kind="ngo",
            name="کانون محیط زیست",
            districts=[other_district],
            activities=["environment"],
            licence_expires_on=timezone.localdate() + dt.timedelta(days=10),
        ),
        "expired": factories.VerifiedOrganizationFactory(
            city=city,
            kind="jihadi_group",
            name="گروه جهادی شهید",
            districts=[district],
            licence_expires_on=timezone.localdate() - dt.timedelta(days=1),
        ),
        "draft": factories.OrganizationFactory(city=city, name="سمن پیش‌نویس", districts=[district]),
        "submitted": factories.OrganizationFactory(
            city=city, name="سمن در انتظار", districts=[district], status=OrganizationStatus.SUBMITTED
        ),
        "suspended": factories.VerifiedOrganizationFactory(
            city=city, name="سمن معلق", districts=[district], status=OrganizationStatus.SUSPENDED
        ),
    }


def _names(response) -> set[str]:
    return {o["name"] for o in response.json()["results"]}


@pytest.mark.django_db
def test_directory_lists_only_verified_by_default(client, registry):
    html = client.get("/organizations/").content.decode()
    for key in ("charity", "ngo", "expired"):
        assert registry[key].name in html
    for key in ("draft", "submitted", "suspended"):
        assert registry[key].name not in html
    assert "<script>alert(1)</script>" not in html  # hostile factory text is escaped
    assert "021-55001234" not in html and "@example.org" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "علي اكبر"}, {"charity"}),  # Arabic ي/ك and a space for the ZWNJ still find it
        ({"search": "سالمندان"}, {"charity"}),  # description is searched too
        ({"kind": "ngo"}, {"ngo"}),
        ({"field": "environment"}, {"ngo"}),
        ({"licence": "expiring"}, {"ngo"}),
        ({"licence": "expired"}, {"expired"}),
        ({"status": "draft"}, set()),  # the public cannot widen the list
    ],
)
def test_api_filters(api_client, registry, params, expected):
    response = api_client.get("/api/v1/organizations/", params)
    assert response.status_code == 200
    assert _names(response) == {registry[k].name for k in expected}


@pytest.mark.django_db
def test_district_and_neighbourhood_filters_on_page_and_api(client, api_client, registry, district, neighborhood):
    api = _names(api_client.get("/api/v1/organizations/", {"district": district.pk}))
    assert api == {registry["charity"].name, registry["expired"].name}
    page = client.get("/organizations/", {"neighborhood": neighborhood.pk}).content.decode()
    assert registry["charity"].name in page and registry["expired"].name not in page


@pytest.mark.django_db
def test_sorting(api_client, registry):
    names = [
        o["name"] for o in api_client.get("/api/v1/organizations/", {"ordering": "licence_expiry"}).json()["results"]
    ]
    assert names[0] == registry["expired"].name
    names = [o["name"] for o in api_client.get("/api/v1/organizations/", {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True) or len(names) == 3


@pytest.mark.django_db
def test_staff_and_managers_reach_further_with_status(api_client, registry, district_staff, other_district_staff):
    api_client.force_authenticate(district_staff)
    assert _names(api_client.get("/api/v1/organizations/", {"status": "submitted"})) == {registry["submitted"].name}
    api_client.force_authenticate(other_district_staff)
    assert _names(api_client.get("/api/v1/organizations/", {"status": "submitted"})) == set()
    manager = factories.UserFactory()
    factories.MembershipFactory(organization=registry["draft"], user=manager)
    api_client.force_authenticate(manager)
    assert _names(api_client.get("/api/v1/organizations/", {"status": "draft"})) == {registry["draft"].name}


@pytest.mark.django_db
def test_bad_filter_is_a_400(api_client, registry):
    response = api_client.get("/api/v1/organizations/", {"kind": "bank"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


@pytest.mark.django_db
def test_profile_page_shows_public_data_only(client, registry):
    organization = registry["charity"]
    html = client.get(f"/organizations/{organization.pk}/").content.decode()
    assert organization.name in html
    assert "۱" in html  # Persian digits
    assert organization.phone not in html and organization.email not in html
    assert "licence.pdf" not in html  # the scan is not public
    assert client.get(f"/organizations/{registry['draft'].pk}/").status_code == 404


@pytest.mark.django_db
def test_public_api_has_no_private_fields(api_client, registry):
    body = api_client.get(f"/api/v1/organizations/{registry['charity'].pk}/").json()
    for private in ("phone", "email", "licence_document", "review_note"):
        assert private not in body
    assert body["licence_expires_on"] == registry["charity"].licence_expires_on.isoformat()
    assert body["licence_expires_on_jalali"].count("/") == 2
    assert body["activities"] == ["elderly"]


@pytest.mark.django_db
def test_managers_see_private_fields(api_client, registry):
    manager = factories.UserFactory()
    factories.MembershipFactory(organization=registry["draft"], user=manager)
    api_client.force_authenticate(manager)
    body = api_client.get(f"/api/v1/organizations/{registry['draft'].pk}/").json()
    assert body["phone"] == registry["draft"].phone
    assert body["licence_document"]


@pytest.mark.django_db
def test_open_data_csv_and_json(client, registry):
    response = client.get("/organizations/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["name"] for r in rows} == {registry[k].name for k in ("charity", "ngo", "expired")}
    assert "phone" not in rows[0] and "email" not in rows[0]
    assert {r["licence_status"] for r in rows} == {"valid", "expiring", "expired"}
    body = json.loads(client.get("/organizations/export.json", {"kind": "charity", "status": "draft"}).content)
    assert body["count"] == 1
    assert body["results"][0]["name"] == registry["charity"].name
    assert body["results"][0]["licence_expires_on_jalali"]


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(client, district):
    factories.VerifiedOrganizationFactory(city=district.city, name="=HYPERLINK(1)", districts=[district])
    text = b"".join(client.get("/organizations/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def _fill(city, districts, n):
    for _ in range(n):
        factories.VerifiedOrganizationFactory(city=city, districts=districts, activities=["children", "health"])


@pytest.mark.django_db
def test_directory_page_uses_constant_queries(client, district, other_district, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the rendering, not a cached copy
    _fill(district.city, [district], 2)
    client.get("/organizations/")  # warm up (session, content types, the filters' place rows)
    with django_assert_num_queries(4) as few:
        client.get("/organizations/")
    _fill(district.city, [district, other_district], 15)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/organizations/")
    assert response.context["page_obj"].paginator.count == 17


@pytest.mark.django_db
def test_api_list_uses_constant_queries(api_client, district, other_district, django_assert_num_queries):
    _fill(district.city, [district], 2)
    # count, page, then one prefetch each for activities, districts and neighbourhoods
    with django_assert_num_queries(5) as few:
        api_client.get("/api/v1/organizations/")
    _fill(district.city, [district, other_district], 15)
    with django_assert_num_queries(len(few.captured_queries)):
        body = api_client.get("/api/v1/organizations/").json()
    assert body["count"] == 17
