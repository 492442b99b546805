"""Supports under real concurrency: many simultaneous requests on PostgreSQL, exact counts, no duplicates."""

import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from projects.models import Project, Support
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

DISTINCT = 24
REPEATS = 16


@pytest.fixture(autouse=True)
def _postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_support": (1000, 600)}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min", "write": "10000/min"},
    }


def _run_together(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = [0] * len(calls)
    errors: list[BaseException] = []

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            statuses[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def _api(user, method: str, url: str):
    client = APIClient()
    client.force_authenticate(user)
    return lambda: getattr(client, method)(url).status_code


def _page(user, action: str, url: str):
    client = Client()
    client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    return lambda: client.post(url, {"action": action}).status_code


def test_simultaneous_supports_give_exact_counts_and_no_duplicates(district):
    project = factories.ProjectFactory(district=district)
    users = [factories.UserFactory() for _ in range(DISTINCT)]
    eager = factories.UserFactory()
    api_url = f"/api/v1/projects/{project.pk}/support/"
    page_url = f"/projects/{project.pk}/support/"
    calls = [_api(u, "post", api_url) if i % 2 else _page(u, "support", page_url) for i, u in enumerate(users)]
    calls += [_api(eager, "post", api_url) if i % 2 else _page(eager, "support", page_url) for i in range(REPEATS)]

    statuses = _run_together(calls)

    assert all(code in (200, 201, 302) for code in statuses), statuses
    rows = Support.objects.filter(project=project)
    assert rows.count() == DISTINCT + 1
    assert rows.filter(user=eager).count() == 1
    assert Project.objects.get(pk=project.pk).support_count == DISTINCT + 1


def test_simultaneous_withdrawals_and_supports_stay_exact(district):
    from projects.services import support_cast

    project = factories.ProjectFactory(district=district)
    leaving = [factories.UserFactory() for _ in range(DISTINCT // 2)]
    joining = [factories.UserFactory() for _ in range(DISTINCT // 2)]
    for user in leaving:
        support_cast(project=project, user=user)
    url = f"/api/v1/projects/{project.pk}/support/"
    calls = [_api(u, "delete", url) for u in leaving]
    calls += [_api(leaving[0], "delete", url) for _ in range(REPEATS)]
    calls += [_api(u, "post", url) for u in joining]
    calls += [_api(joining[0], "post", url) for _ in range(REPEATS)]

    _run_together(calls)

    project.refresh_from_db()
    assert set(Support.objects.filter(project=project).values_list("user_id", flat=True)) == {u.pk for u in joining}
    assert project.support_count == len(joining)
