"""Schemathesis fuzzes every operation of /api/schema/ on a live server holding the demo data.

One test per persona (anonymous, citizen, organisation manager, district
staff), each signed in with an API token; every operation is a subtest with a
bounded number of derandomised examples, so CI is reproducible and the whole
run stays within a few minutes. The checks: no 5xx, and every status code,
content type, header and body is the one the schema documents; data that
breaks the schema is refused with a 4xx. The end of the run prints
operations × personas with the status codes each one received. A second
test sends every operation shapes the schema does not allow at all (deep or
huge JSON, non-finite numbers, NUL), in bodies and query parameters.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.core.parameters import ParameterLocation

from accounts.models import User
from accounts.services import api_token_issue
from tests.api.fuzz_summary import SUMMARY_KEY

# Sequences restart, so "object 1" below is the first demo row of its kind in every persona's run.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

# Fuzzing examples per operation and persona, on top of the explicit and boundary (coverage) cases.
MAX_EXAMPLES = 8
SEED = 1404

# Demo accounts (accounts/demo.py, ngos/demo.py): None is the anonymous visitor.
PERSONAS = {
    "anonymous": None,
    "citizen": "+989120000002",
    "manager": "+989121000001",
    "staff": "+989120000001",
}

CONFIG = {
    "seed": SEED,
    "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
    "checks": {
        # An id the schema allows may simply not exist, a password may be wrong: a 400 for
        # schema-valid data is often right, so refusals are judged by the documented codes instead.
        "positive_data_acceptance": {"enabled": False},
    },
    "phases": {"stateful": {"enabled": False}},
    # Boundary cases of every parameter for reads; writes, whose bodies multiply them, are fuzzed only.
    "operations": [{"include-method-regex": "^(POST|PUT|PATCH|DELETE)$", "phases": {"coverage": {"enabled": False}}}],
}
# Signed in, the public lists answer as they do to the anonymous visitor, whose run already walks
# their boundary cases; a persona's own lists and inbox get them again.
OWN = "^/api/v1/(me|notifications|plans|applications)/"
SIGNED_IN = {
    **CONFIG,
    # A real token is sent; only the anonymous visitor also sends made-up credentials, which must be refused.
    "generation": {**CONFIG["generation"], "with-security-parameters": False},
    "operations": [*CONFIG["operations"], {"exclude-path-regex": OWN, "phases": {"coverage": {"enabled": False}}}],
}


# Deleting the account (DELETE /api/v1/me/) would end a persona for the rest of its run: its demo
# follows, comments and memberships go with it and it can never sign in again, so every later operation
# would be made by a stranger with a dead token. The personas the service lets go (citizen, manager)
# never send it; tests/accounts/test_delete_account.py covers what it does. Staff are refused (403)
# and the anonymous visitor is not signed in, so both still fuzz it.
DELETES_OWN_ACCOUNT = {"include-name": "DELETE /api/v1/me/", "enabled": False}
MAY_DELETE_THEMSELVES = {"citizen", "manager"}


def _config(persona: str) -> dict:
    if PERSONAS[persona] is None:
        return CONFIG
    if persona in MAY_DELETE_THEMSELVES:
        return {**SIGNED_IN, "operations": [*SIGNED_IN["operations"], DELETES_OWN_ACCOUNT]}
    return SIGNED_IN


@pytest.fixture
def _generous_throttles():
    """The global anon/user throttles would turn most of the run into 429s; the per-action limits stay."""
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "anon": "100000/min", "user": "100000/min", "write": "100000/min"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.fixture
def demo_data(transactional_db, eager_tasks):
    """The demo data; what the run sends (SMS codes) goes out in-process, not into a queue no worker reads."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(params=list(PERSONAS))
def persona(request) -> str:
    return request.param


@pytest.fixture
def fuzz_schema(live_server, demo_data, _generous_throttles, persona):
    config = schemathesis.Config.from_dict(_config(persona))
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", config=config)


def _sign_in(persona: str) -> dict[str, str]:
    _token, key = api_token_issue(user=User.objects.get(phone=PERSONAS[persona]), name="schemathesis")
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def credentials(demo_data, persona) -> dict[str, str] | None:
    return None if PERSONAS[persona] is None else _sign_in(persona)


# Operations that may end the persona's own token (sign out everywhere, revoke one): it signs in again
# after each, so the rest of the run is still made as that persona rather than as a stranger.
ENDS_OWN_TOKEN = "/api/v1/me/tokens/"


class Tally:
    """Status codes per operation, kept in the test report so the run's summary can show them."""

    def __init__(self, node, persona: str) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.persona = persona
        self.entry = [SUMMARY_KEY, ""]
        node.user_properties.append(self.entry)

    def add(self, label: str, status: int) -> None:
        self.counts[label][status] += 1
        # Rewritten each time so the report carries the tally even when a later case fails.
        self.entry[1] = json.dumps({"persona": self.persona, "counts": self.counts})


@pytest.fixture
def tally(request, persona) -> Tally:
    return Tally(request.node, persona)


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, credentials, tally, persona):
    if "id" in case.path_parameters and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        # Object 1 of every kind exists in the demo data, so actions reach their rules, not only a 404.
        case.path_parameters["id"] = 1
    response = case.call(headers=credentials)
    tally.add(case.operation.label, response.status_code)
    transport = {"headers": credentials} if credentials else None
    case.validate_response(response, headers=credentials, transport_kwargs=transport)
    if credentials and case.operation.path.startswith(ENDS_OWN_TOKEN):
        credentials.update(_sign_in(persona))


# --- malformed input, outside what the schema allows ------------------------------------------
# Shapes a parser or a keyset cursor once turned into a 500: every operation of the schema gets
# each of them, in its body and in each of its query parameters, and must answer a 4xx in JSON.
DEEP = "[" * 5000 + "]" * 5000
MALFORMED_BODIES = {
    "deep JSON": DEEP,
    "huge array": "[" + ",".join(["1"] * 300_000) + "]",
    "huge id list": json.dumps({"projects": list(range(20_000)), "neighborhoods": list(range(20_000))}),
    "NaN": '{"title": NaN, "amount": NaN}',
    "Infinity": '{"title": Infinity, "budget": -Infinity}',
    "1e400": '{"budget": 1e400, "progress": 1e400}',
    "NUL in a string": '{"title": "a\\u0000b", "text": "\\u0000", "body": "x\\u0000"}',
    "NUL in a key": '{"a\\u0000": 1}',
    "not JSON": "{'title': ",
}
MALFORMED_VALUES = {"NUL": "a\x00b", "1e400": "1e400", "long": "9" * 5000}


def _operations(live_server) -> list[tuple[str, str, dict]]:
    import requests

    document = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=30).json()
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append((method.upper(), path, operation))
    return found


def _filled(path: str) -> str:
    """Every path parameter is 1: object 1 of every kind exists in the demo data."""
    import re

    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("persona", ["anonymous", "staff"])
def test_malformed_bodies_and_parameters_never_cause_a_server_error(
    live_server, demo_data, _generous_throttles, persona
):
    import requests

    headers = {} if PERSONAS[persona] is None else _sign_in(persona)
    problems, sent = [], 0
    session = requests.Session()
    for method, path, operation in _operations(live_server):
        url = live_server.url + _filled(path)
        attempts = []
        if "requestBody" in operation:
            attempts += [(name, {"data": body.encode()}, {}) for name, body in MALFORMED_BODIES.items()]
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                attempts += [
                    (f"{parameter['name']}={name}", {}, {parameter["name"]: value})
                    for name, value in MALFORMED_VALUES.items()
                ]
        for name, body, params in attempts:
            response = session.request(
                method,
                url,
                params=params,
                headers={**headers, "Content-Type": "application/json", "Accept": "application/json"},
                timeout=60,
                **body,
            )
            sent += 1
            if response.status_code >= 500 or not response.headers.get("Content-Type", "").startswith(
                "application/json"
            ):
                problems.append(f"{method} {path} [{name}]: {response.status_code} {response.text[:120]!r}")
            if PERSONAS[persona] and path.startswith(ENDS_OWN_TOKEN):
                headers = _sign_in(persona)
    assert sent > 300
    assert not problems, "\n".join(problems)
