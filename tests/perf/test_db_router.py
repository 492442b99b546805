"""Read replicas: which database alias serves which query.

``replica`` is a test mirror of the default database (tests/settings.py), so
both aliases see the same committed rows while each connection records its
own queries.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

import pytest
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.db_router import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(district, neighborhood):
    return factories.ProjectFactory(title="بوستان آزادی", district=district, neighborhoods=[neighborhood])


@contextmanager
def served_by():
    """``{"default": [sql, …], "replica": [sql, …]}`` for the queries run inside the block."""
    with ExitStack() as stack:
        captured = {alias: stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections}
        result: dict[str, list[str]] = {}
        yield result
    for alias, context in captured.items():
        result[alias] = [query["sql"] for query in context.captured_queries]


def test_anonymous_pages_and_api_read_from_the_replica(client, project):
    with served_by() as sql:
        page = client.get("/projects/")
        api = client.get(f"/api/v1/projects/{project.pk}/", HTTP_ACCEPT="application/json")
    assert page.status_code == 200 and project.title in page.content.decode()
    assert api.status_code == 200 and api.json()["id"] == project.pk
    assert sql["default"] == []
    assert sql["replica"] and all(q.lstrip().upper().startswith(("SELECT", "DECLARE")) for q in sql["replica"])
    assert PIN_COOKIE not in page.cookies


def test_a_write_goes_to_the_primary_and_pins_the_browser_there(client, project, citizen):
    client.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    with served_by() as sql:
        response = client.post(f"/projects/{project.pk}/follow/", {"next": f"/projects/{project.pk}/"})
    assert response.status_code == 302
    assert sql["replica"] == []
    assert any(q.startswith("INSERT") for q in sql["default"])
    assert response.cookies[PIN_COOKIE]["max-age"] > 0

    # The page the form redirects to is read from the primary, even if the replica lags.
    with served_by() as sql:
        page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert sql["replica"] == [] and sql["default"]


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary(project):
    seen: list[str] = []

    def view(request):
        seen.append(Project.objects.get(pk=project.pk).title)
        Project.objects.filter(pk=project.pk).update(progress=55)
        seen.append(str(Project.objects.get(pk=project.pk).progress))
        return HttpResponse("ok")

    with served_by() as sql:
        response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert seen == [project.title, "55"]
    assert len(sql["replica"]) == 1
    assert [q.split()[0] for q in sql["default"]] == ["UPDATE", "SELECT"]
    assert PIN_COOKIE in response.cookies


def test_a_transaction_and_work_outside_requests_use_the_primary(project):
    def view(request):
        with transaction.atomic():
            Project.objects.get(pk=project.pk)
        return HttpResponse("ok")

    with served_by() as sql:
        ReplicaMiddleware(view)(RequestFactory().get("/"))
        Project.objects.get(pk=project.pk)  # a Celery task or a management command
    assert sql["replica"] == []
    assert len([q for q in sql["default"] if q.startswith("SELECT")]) == 2


def test_replicas_take_turns_and_are_never_migrated(settings):
    settings.DATABASE_REPLICAS = ["replica", "replica2"]
    router = ReplicaRouter()
    chosen: list[str | None] = []

    def view(request):
        chosen.extend(router.db_for_read(Project) for _ in range(4))
        return HttpResponse("ok")

    ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert sorted(chosen) == ["replica", "replica", "replica2", "replica2"]
    assert chosen[0] != chosen[1]
    assert router.allow_migrate("replica2", "projects") is False
    assert router.allow_migrate("default", "projects") is None
    # A POST never reads from a replica.
    chosen.clear()
    ReplicaMiddleware(view)(RequestFactory().post("/"))
    assert chosen == [None] * 4
