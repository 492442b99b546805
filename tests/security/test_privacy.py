"""Privacy crawl: no page or API answer shows another person's mobile number, email or national code.

Every person in the world has a known number, address and code. The crawl
starts at the home page and the public lists, follows every same-site link
(anonymous, then signed in as an ordinary citizen), and reads every API list
and detail; each answer is searched for everyone else's secrets in any
spelling: 09…, +989…, 989…, 00989…, with Persian or Arabic digits, with
spaces or dashes, HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.identity import keyed_digest, network_key
from accounts.models import CensusEntry, OneTimeCode, OtpPurpose, User
from core.persian import to_ascii_digits, to_persian_digits
from ngos.models import Organization
from projects.models import Ballot, Support
from projects.services import support_cast
from tests import factories
from tests.security.routes import all_routes, body_of, page_kwargs
from tests.security.scene import build_world

BACKEND = "accounts.backends.PhoneOrEmailBackend"
START = [
    "/",
    "/projects/",
    "/organizations/",
    "/neighborhoods/",
    "/needs/",
    "/volunteer/",
    "/organizations/meetings/",
    "/budgeting/",
    "/ideas/",
    "/projects/export.csv",
    "/projects/export.json",
    "/organizations/export.csv",
    "/organizations/export.json",
]
NOT_CRAWLED = ("/admin/", "/accounts/logout", "/i18n/", "/static/", "/media/", "/api/docs", "/api/schema")
MAX_PAGES = 150
# The organisation's own phone number is for staff and its managers only (see ContactsForm).
ORGANIZATION_PHONE = "+989351239876"
_JOINED_DIGITS = re.compile(r"(?<=\d)[\s\-\u200c.()/]+(?=\d)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "link", "form"):
            for name, value in attrs:
                if name in ("href", "action") and value:
                    self.links.append(value)


def _same_site(link: str) -> str | None:
    link = urldefrag(html.unescape(link))[0]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NOT_CRAWLED):
        return None
    query = parts.query if parts.query.startswith("page=") else ""
    return parts.path + (f"?{query}" if query else "")


def _plain(text: str) -> str:
    """Text with entities decoded, Persian/Arabic digits made ASCII and digit groups joined up."""
    text = to_ascii_digits(html.unescape(text))
    return _JOINED_DIGITS.sub("", text)


def _leaks(text: str, secrets: dict[str, tuple[str, ...]]) -> list[str]:
    plain = _plain(text).lower()
    found = []
    for owner, values in secrets.items():
        for value in values:
            if value.lower() in plain:
                found.append(f"{owner}: {value}")
    return found


def _secrets(world, viewer: str | None) -> dict[str, tuple[str, ...]]:
    """Every secret except the viewer's own; a phone is searched by its 10 local digits (9xxxxxxxxx)."""
    result = {
        name: (secret.phone[3:], secret.email, secret.national_code)
        for name, secret in world.secrets.items()
        if name != viewer
    }
    result["organization phone"] = (ORGANIZATION_PHONE[3:],)
    result["keyed hashes"] = _keyed_hashes()
    return result


def _keyed_hashes() -> tuple[str, ...]:
    """Voter keys, sign-up network labels, one-time code and census digests: none is for any page or answer."""
    hashes = [
        *Support.objects.values_list("voter_key", flat=True),
        *Ballot.objects.values_list("voter_key", flat=True),
        *User.objects.exclude(signup_network="").values_list("signup_network", flat=True),
        *OneTimeCode.objects.values_list("digest", flat=True),
        *CensusEntry.objects.values_list("digest", flat=True),
    ]
    return tuple(hashes)


def test_the_search_finds_every_spelling():
    """The matcher itself: a leak written any way people write numbers is found."""
    secrets = {"x": ("9351234567", "a.b@private-mail.test", "0012345679")}
    for spelling in (
        "09351234567",
        "+98 935 123 4567",
        "98-935-123-4567",
        "00989351234567",
        to_persian_digits("09351234567"),
        "٠٩٣٥١٢٣٤٥٦٧",
        "۰۹۳۵ ۱۲۳ ۴۵ ۶۷",
        "A.B&#64;private-mail.test",
        "کد ملی: ۰۰۱-۲۳۴۵۶۷-۹",
    ):
        assert _leaks(f"<p>{spelling}</p>", secrets), spelling
    assert not _leaks("<p>09350000000 and nobody@example.org</p>", secrets)


@pytest.fixture
def world(db):
    w = build_world()
    Organization.objects.filter(pk__in=[w.organization.pk, w.other_organization.pk]).update(phone=ORGANIZATION_PHONE)
    # One of each keyed hash the portal keeps, for the crawl to look for.
    citizen = w.people["citizen"]
    User.objects.filter(pk=citizen.pk).update(signup_network=network_key("198.51.100.7"))
    support_cast(project=w.project, user=w.people["other_citizen"])
    OneTimeCode.objects.create(
        phone=citizen.phone,
        purpose=OtpPurpose.SIGN_IN,
        digest=keyed_digest("otp", "123456"),
        expires_at=timezone.now() + dt.timedelta(minutes=2),
    )
    round_ = factories.BudgetingRoundFactory(district=w.project.district, eligible_projects=[w.project])
    factories.BallotFactory(round=round_, voter=citizen)
    CensusEntry.objects.create(
        city=w.project.district.city,
        neighborhood=citizen.home_neighborhood or factories.NeighborhoodFactory(),
        digest=keyed_digest("national_code", "0084575948"),
    )
    assert len(_keyed_hashes()) >= 5, "the world holds one of each kind of keyed hash"
    return w


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


@pytest.mark.parametrize("viewer", [None, "other_citizen"])
def test_crawl_of_public_pages_finds_no_personal_data(world, viewer):
    client = _client(world.people.get(viewer) if viewer else None)
    secrets = _secrets(world, viewer)
    seen: set[str] = set()
    queue = deque(START + [world.project.get_absolute_url(), f"/organizations/{world.organization.pk}/"])
    leaks: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = body_of(response)
        leaks += [f"{url} shows {leak}" for leak in _leaks(body, secrets)]
        if response.get("Content-Type", "").startswith("text/html"):
            parser = _Links()
            parser.feed(body)
            for link in parser.links:
                target = _same_site(link)
                if target and target not in seen:
                    queue.append(target)
    assert not leaks, "\n".join(leaks)
    # The crawl really went round the portal.
    assert len(seen) >= 25, sorted(seen)
    assert any(u.startswith("/projects/") and u[10:-1].isdigit() for u in seen)
    assert any(u.startswith("/organizations/") and u[15:-1].isdigit() for u in seen)


@pytest.mark.parametrize("viewer", [None, "other_citizen", "other_manager", "other_trustee"])
def test_api_lists_and_details_show_no_personal_data_of_others(world, viewer):
    client = _client(world.people.get(viewer) if viewer else None)
    secrets = _secrets(world, viewer)
    kwargs = page_kwargs(world)
    leaks, read = [], 0
    for route in all_routes():
        if not route.is_api or route.name in ("api:api-root",):
            continue
        if route.params and route.name not in kwargs:
            continue
        response = client.get(reverse(route.name, kwargs=kwargs.get(route.name, {})))
        if response.status_code != 200:
            continue
        read += 1
        leaks += [f"{route.name} shows {leak}" for leak in _leaks(body_of(response), secrets)]
    assert not leaks, "\n".join(leaks)
    assert read >= 15


def test_the_crawl_can_fail(world):
    """A page that does show the data is caught: a person's own profile shows their number and address."""
    w = world
    body = body_of(_client(w.people["citizen"]).get(reverse("accounts:profile")))
    secret = w.secrets["citizen"]
    assert len(_leaks(body, {"citizen": (secret.phone[3:], secret.email)})) == 2
    # ...but not their national code: it is written on the profile, never shown again.
    assert not _leaks(body, {"citizen": (secret.national_code,)})


@pytest.mark.parametrize("first", ["token", "anonymous"])
def test_api_answers_for_a_token_holder_are_never_shared_with_anonymous_visitors(world, first):
    """An API token is a sign-in the page cache must see: no private answer is cached for everyone.

    Staff with a token see submitted organisations and the private fields
    (phone, email, licence scan); an anonymous visitor asking the same URL
    must not get that answer from the cache, and the staff member must not
    get the anonymous one.
    """
    from accounts.services import api_token_issue

    w = world
    Organization.objects.filter(pk=w.draft.pk).update(status="submitted")
    _token, key = api_token_issue(user=w.people["staff"])
    staff = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    anonymous = APIClient()
    urls = ["/api/v1/organizations/?status=submitted", f"/api/v1/organizations/{w.organization.pk}/"]
    for url in urls:
        order = [("token", staff), ("anonymous", anonymous)]
        if first == "anonymous":
            order.reverse()
        answers = {name: client.get(url) for name, client in order}
        staff_body, anonymous_body = answers["token"].json(), answers["anonymous"].json()
        if "results" in staff_body:
            assert w.draft.pk in {row["id"] for row in staff_body["results"]}
            assert w.draft.pk not in {row["id"] for row in anonymous_body["results"]}
        else:
            assert "phone" in staff_body and "email" in staff_body
            assert "phone" not in anonymous_body and "email" not in anonymous_body
