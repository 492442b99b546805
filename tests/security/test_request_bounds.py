"""Request work is bounded and malformed input is a 400, on every endpoint found from the resolver.

Two kinds of attack are swept here:

- **unbounded work**: every list of ids (or choices) a serializer or page
  form takes, found by introspection, refuses more than its maximum with a
  Persian field error at a constant query count, and a list up to the maximum
  is resolved with one query; JSON bodies over ``API_JSON_MAX_BYTES`` are
  refused before they are parsed;
- **cheap 500s**: deep JSON, non-finite numbers, NUL characters and huge
  arrays sent to every API route with a write method, and keyset cursors
  holding such values sent to every list route, are answered with the API's
  JSON error, never a 5xx.
"""

from __future__ import annotations

import base64
import importlib
import json
import re

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import get_resolver, reverse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import ManyRelatedField
from rest_framework.test import APIClient
from rest_framework.views import APIView

from core.api.keyset import KeysetPagination
from tests.security.routes import Route, all_routes, close_quietly, page_kwargs
from tests.security.scene import build_world

PERSIAN = re.compile(r"[\u0600-\u06ff]")
APPS = ("accounts", "neighborhoods", "ngos", "notifications", "places", "projects", "core", "civic_portal")
BACKEND = "accounts.backends.PhoneOrEmailBackend"


def _subclasses(base: type) -> list[type]:
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in APPS


def _load_everything() -> None:
    """Import every app's API (through the URLconf) and page forms, so their classes exist."""
    get_resolver().url_patterns  # noqa: B018
    for app in APPS:
        try:
            importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            pass


# --- lists of ids in serializers ----------------------------------------------
def _list_fields(serializer: serializers.BaseSerializer, prefix: str = ""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, ManyRelatedField | serializers.ListField | serializers.ListSerializer):
            yield f"{prefix}{name}", field
        if isinstance(field, serializers.Serializer):
            yield from _list_fields(field, f"{prefix}{name}.")


def serializer_list_fields() -> list[tuple[str, serializers.Field]]:
    _load_everything()
    found = []
    for cls in _subclasses(serializers.BaseSerializer):
        if not _ours(cls) or cls.__name__.startswith("_") or issubclass(cls, serializers.ListSerializer):
            continue
        for name, field in _list_fields(cls()):
            found.append((f"{cls.__module__}.{cls.__name__}.{name}", field))
    return found


def _ids(field, count: int) -> list:
    child = getattr(field, "child_relation", None) or getattr(field, "child", None)
    if isinstance(child, serializers.ChoiceField):
        values = list(child.choices)
        return [values[i % len(values)] for i in range(count)]
    return list(range(1, count + 1))


def test_the_sweep_finds_the_known_lists_of_ids():
    names = {name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1] for name, _field in serializer_list_fields()}
    assert {"BallotSerializer.projects", "PlanSerializer.target_neighborhoods"} <= names
    assert {"OrganizationWriteSerializer.neighborhoods"} <= names or any(n.endswith(".neighborhoods") for n in names)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "field"), serializer_list_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_api_list_of_ids_is_bounded_and_costs_one_query(name, field, django_assert_max_num_queries):
    most = getattr(field, "max_length", None)
    assert most, f"{name} takes a list without a maximum"
    assert most <= 10_000, f"{name} allows {most} items"
    with django_assert_max_num_queries(1), pytest.raises(ValidationError) as refused:
        field.run_validation(_ids(field, most + 1))
    assert PERSIAN.search(str(refused.value.detail)), refused.value.detail
    # Up to the maximum, the ids are resolved with one query (unknown ids are refused, not looked up one by one).
    with django_assert_max_num_queries(1):
        try:
            field.run_validation(_ids(field, most))
        except ValidationError:
            pass


# --- lists of ids in page forms ---------------------------------------------------
def _form_instances() -> list[forms.BaseForm]:
    from ngos.models import Organization
    from tests.factories import OrganizationFactory

    _load_everything()
    made = []
    for cls in _subclasses(forms.BaseForm):
        if not _ours(cls) or ".admin" in cls.__module__ or cls.__name__.startswith("_"):
            continue
        attempts = [{}, {"instance": Organization()}, {"organization": OrganizationFactory.build()}]
        if "eligible" in cls.__init__.__code__.co_varnames:
            attempts = [{"eligible": Organization.objects.none()}]
        for kwargs in attempts:
            try:
                made.append(cls(**kwargs))
                break
            except (TypeError, KeyError, AttributeError):
                continue
        else:
            made.append(cls.__new__(cls))  # the class's own fields only
            made[-1].fields = dict(cls.base_fields)
    return made


def form_list_fields() -> list[tuple[str, forms.Field]]:
    found = []
    for form in _form_instances():
        for name, field in form.fields.items():
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                found.append((f"{type(form).__module__}.{type(form).__name__}.{name}", field))
    return found


@pytest.mark.django_db
def test_every_page_form_list_of_ids_is_bounded_and_costs_one_query(django_assert_max_num_queries):
    fields = form_list_fields()
    names = [name for name, _f in fields]
    assert any(n.endswith("BallotForm.projects") for n in names), names
    assert any(n.endswith("AreasForm.neighborhoods") for n in names), names
    for name, field in fields:
        most = getattr(field, "max_choices", None)
        assert most, f"{name} takes a list without a maximum"
        values = [str(i) for i in range(1, most + 2)]
        if not isinstance(field, forms.ModelMultipleChoiceField):
            choices = [str(key) for key, _label in field.choices] or ["x"]
            values = [choices[i % len(choices)] for i in range(most + 1)]
        with django_assert_max_num_queries(1), pytest.raises(DjangoValidationError) as refused:
            field.clean(values)
        assert PERSIAN.search(" ".join(refused.value.messages)), (name, refused.value.messages)


# --- the ballot, end to end ----------------------------------------------------------
@pytest.mark.django_db
def test_a_ballot_with_thousands_of_ids_is_a_cheap_400(django_assert_max_num_queries):
    from tests.factories import BudgetingRoundFactory, ProjectFactory, UserFactory

    project = ProjectFactory()
    budgeting_round = BudgetingRoundFactory(district=project.district, eligible_projects=[project])
    client = APIClient()
    client.force_authenticate(UserFactory())
    url = reverse("api:budgeting-round-ballot", args=[budgeting_round.pk])
    with django_assert_max_num_queries(12):
        response = client.put(url, {"projects": list(range(1, 5001))}, format="json")
    assert response.status_code == 400
    assert PERSIAN.search(" ".join(response.json()["errors"]["projects"]))


# --- JSON bodies -----------------------------------------------------------------------
def _deep(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


BAD_BODIES = {
    "deep-object": _deep(100_000),
    "deep-array": b"[" * 100_000 + b"]" * 100_000,
    "nan": b'{"title": NaN, "text": NaN, "note": NaN}',
    "infinity": b'{"title": Infinity, "estimated_budget": -Infinity}',
    "overflow": b'{"estimated_budget": 1e400, "projects": [1e400], "latitude": 1e400}',
    "nul": json.dumps({"text": "a\u0000b", "note": "\u0000", "reason": "\u0000", "\u0000": 1}).encode(),
    "huge-array": json.dumps({"projects": [1] * 200_000, "target_neighborhoods": [1] * 200_000}).encode(),
}


def write_routes() -> list[tuple[Route, str]]:
    """Every API route with a write method, read from the resolver."""
    routes = []
    patterns = {}
    for pattern in _flat(get_resolver()):
        patterns.setdefault(pattern[0], pattern[1])
    for route in all_routes():
        callback = patterns.get(route.name)
        if not route.is_api or callback is None or not hasattr(callback, "cls"):
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:
            methods = [m for m in actions if m in ("post", "put", "patch")]
        else:
            methods = [m for m in ("post", "put", "patch") if hasattr(callback.cls, m)]
        routes.extend((route, method) for method in methods)
    return routes


def _flat(resolver, namespace=""):
    from django.urls.resolvers import URLPattern, URLResolver

    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _flat(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return build_world()


def _kwargs(world) -> dict[str, dict]:
    return {**page_kwargs(world), "api:project-flag": {"pk": world.project.pk, "comment_id": world.reply.pk}}


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_login(user, backend=BACKEND)
    return client


def _json_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["detail"] and body["code"]
    return body


def test_every_write_route_reads_json_with_the_bounded_parser():
    from core.api.parsers import JSONParser as BoundedJSONParser

    patterns = dict(_flat(get_resolver()))
    checked = 0
    for route, _method in write_routes():
        callback = patterns[route.name]
        view = callback.cls(**getattr(callback, "initkwargs", {}))
        parsers = view.get_parsers()
        json_parsers = [p for p in parsers if "json" in p.media_type]
        assert json_parsers, route.name
        assert all(isinstance(p, BoundedJSONParser) for p in json_parsers), (route.name, parsers)
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("shape", list(BAD_BODIES))
def test_malformed_json_on_every_write_route_is_a_400(world, shape, settings):
    settings.RATE_LIMITS = {key: (100_000, window) for key, (_n, window) in settings.RATE_LIMITS.items()}
    kwargs = _kwargs(world)
    body = BAD_BODIES[shape]
    failures = []
    for person in ("admin", "citizen", "manager"):
        client = _client(world.people[person])
        for route, method in write_routes():
            url = reverse(route.name, kwargs=kwargs.get(route.name, {}))
            response = getattr(client, method)(url, body, content_type="application/json")
            close_quietly(response)
            if response.status_code >= 500 or not response["Content-Type"].startswith("application/json"):
                failures.append((person, method, route.name, response.status_code))
                continue
            if response.status_code == 400 and shape != "huge-array":
                error = _json_error(response)
                # An action that reads no body may still refuse for its own reason (non_field_errors);
                # a field error means a malformed value got past the parser.
                if error["code"] != "parse_error" and set(error.get("errors", {})) - {"non_field_errors"}:
                    failures.append((person, method, route.name, "accepted", response.json()))
            # A 2xx is an action that reads no body at all (follow, support): nothing of it was parsed.
    assert not failures


def test_a_json_body_over_the_limit_is_refused_before_parsing(world, settings):
    settings.API_JSON_MAX_BYTES = 10_000
    kwargs = _kwargs(world)
    client = _client(world.people["admin"])
    body = b'{"projects": [' + b"1," * 6_000 + b"1"  # too long, and not even finished
    answered = set()
    for route, method in write_routes():
        url = reverse(route.name, kwargs=kwargs.get(route.name, {}))
        response = getattr(client, method)(url, body, content_type="application/json")
        close_quietly(response)
        assert response.status_code < 500, (route.name, response.status_code)
        if response.status_code == 413:
            assert PERSIAN.search(_json_error(response)["detail"])
            assert _json_error(response)["code"] == "too_large"
        answered.add(response.status_code)
        assert response.status_code != 400 or _json_error(response)["code"] != "parse_error", route.name
    assert 413 in answered


# --- token endpoint ---------------------------------------------------------------------
@pytest.mark.django_db
def test_a_token_request_with_an_overlong_username_is_a_field_error_before_the_lockout_table(api_client):
    from axes.models import AccessAttempt

    column = AccessAttempt._meta.get_field("username").max_length
    response = api_client.post("/api/v1/auth/token/", {"username": "9" * (column + 1), "password": "x"}, format="json")
    assert response.status_code == 400
    assert PERSIAN.search(" ".join(_json_error(response)["errors"]["username"]))
    assert not AccessAttempt.objects.exists()


# --- keyset cursors ---------------------------------------------------------------------
def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def bad_cursors() -> list[str]:
    cursors = [_cursor("[" * 50_000 + "]" * 50_000)]
    for width in range(1, 5):
        for value in ("Infinity", "-Infinity", "NaN", "1e400", '"a\\u0000b"', "1" + "0" * 30, '"' + "x" * 5000 + '"'):
            cursors.append(_cursor("[" + ",".join([value] * width) + "]"))
    return cursors


def list_routes() -> list[Route]:
    patterns = dict(_flat(get_resolver()))
    found = []
    for route in all_routes():
        callback = patterns.get(route.name)
        if not route.is_api or not issubclass(getattr(callback, "cls", object), APIView):
            continue
        actions = getattr(callback, "actions", None)
        # Lists, and the GET routes of views that are not viewsets (their own lists, or none).
        if (actions is None and hasattr(callback.cls, "get")) or (actions or {}).get("get") == "list":
            found.append(route)
    return found


def test_every_bad_cursor_on_every_list_route_is_a_400(world):
    kwargs = _kwargs(world)
    patterns = dict(_flat(get_resolver()))
    client = _client(world.people["admin"])
    keyset_routes = 0
    for route in list_routes():
        callback = patterns[route.name]
        view = callback.cls(**getattr(callback, "initkwargs", {}))
        view.action = (getattr(callback, "actions", None) or {}).get("get")
        keyset = isinstance(getattr(view, "paginator", None), KeysetPagination)
        keyset_routes += keyset
        url = reverse(route.name, kwargs=kwargs.get(route.name, {}))
        for cursor in bad_cursors():
            response = client.get(url, {"cursor": cursor})
            close_quietly(response)
            assert response.status_code < 500, (route.name, cursor[:40], response.status_code)
            if keyset:
                assert response.status_code == 400, (route.name, cursor[:40], response.status_code)
                assert PERSIAN.search(" ".join(_json_error(response)["errors"]["cursor"]))
    assert keyset_routes >= 2


def test_settings_name_the_bounds():
    assert django_settings.API_JSON_MAX_BYTES <= django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert django_settings.MAX_IDS_PER_FIELD > 0
