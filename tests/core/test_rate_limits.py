"""Every abusable action, in the pages and in the API, stops at its limit with a Persian answer.

Each row sets the action's limit to one, makes two requests that would each
write something, and checks the second is refused (HTTP 429 in the API with
Retry-After in the project's JSON error format; a Persian form error or 429
page in the pages) and wrote nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken, OneTimeCode, User
from ngos.models import Application
from projects.models import Comment, CommentFlag, Support
from tests import factories
from tests.factories import PASSWORD

TOO_MANY = "تعداد تلاش‌ها بیش از حد مجاز است"
COMMENTING_TOO_OFTEN = "شما پشت سر هم نظر می‌فرستید"
REPORTING_TOO_OFTEN = "شما پشت سر هم گزارش می‌فرستید"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing cost is not what these rows test; keep them quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """What the rows need: a resident citizen, two projects, two comments by others, two open opportunities."""

    citizen: User
    other: User
    projects: list
    comments: list
    opportunities: list


@pytest.fixture
def world(citizen, neighborhood, district) -> World:
    projects = [factories.ProjectFactory(district=district, neighborhoods=[neighborhood]) for _ in range(2)]
    other = factories.UserFactory(phone="+989121112244", email="other@example.org")
    comments = [factories.CommentFactory(project=projects[0], author=other) for _ in range(2)]
    factories.VolunteerProfileFactory(user=citizen, districts=[district])
    organization = factories.VerifiedOrganizationFactory(districts=[district])
    opportunities = [factories.OpportunityFactory(organization=organization) for _ in range(2)]
    return World(citizen=citizen, other=other, projects=projects, comments=comments, opportunities=opportunities)


@dataclass
class Case:
    scope: str
    # (world, attempt number 0 or 1) -> response; each attempt would write one row if allowed.
    send: Callable
    written: Callable[[World], int]
    # What a person sees on the refused page (API rows always answer the JSON error).
    message: str = TOO_MANY
    api: bool = False
    # Pages that answer with a redirect and a flash message rather than a 429 page.
    redirects: bool = False
    first_status: int | None = None


def _page(user: User | None, ip: str = "10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    return client


def _api(user: User | None, ip: str = "10.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=ip)
    if user is not None:
        client.force_authenticate(user)
    return client


def _sign_in_page(w: World, i: int, *, same_account: bool):
    # A wrong password first, then the right one: the right one is refused too.
    user = w.citizen if same_account or i == 0 else w.other
    ip = f"10.0.0.{i + 1}" if same_account else "10.0.0.1"
    client = _page(None, ip)
    response = client.post("/accounts/login/", {"username": user.phone, "password": PASSWORD if i else "wrong"})
    response.signed_in = "_auth_user_id" in client.session
    return response


def _sign_in_api(w: World, i: int, *, same_account: bool):
    user = w.citizen if same_account or i == 0 else w.other
    ip = f"10.0.0.{i + 1}" if same_account else "10.0.0.1"
    return _api(None, ip).post(
        "/api/v1/auth/token/", {"username": user.phone, "password": PASSWORD if i else "wrong"}, format="json"
    )


def _signup_page(w: World, i: int):
    data = {
        "phone": f"0935000000{i}",
        "display_name": "مریم کاظمی",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return _page(None).post("/accounts/signup/", data)


def _flag_url(w: World, i: int, prefix: str = "") -> str:
    comment = w.comments[i]
    return f"{prefix}/projects/{comment.project_id}/comments/{comment.pk}/flag/"


CASES = {
    "sign-in page, per account": Case(
        "login_account",
        lambda w, i: _sign_in_page(w, i, same_account=True),
        lambda w: 0,
        first_status=200,
    ),
    "sign-in page, per address": Case(
        "login_ip",
        lambda w, i: _sign_in_page(w, i, same_account=False),
        lambda w: 0,
        first_status=200,
    ),
    "sign-in API (token), per account": Case(
        "login_account",
        lambda w, i: _sign_in_api(w, i, same_account=True),
        lambda w: ApiToken.objects.count(),
        api=True,
        first_status=400,
    ),
    "sign-in API (token), per address": Case(
        "login_ip",
        lambda w, i: _sign_in_api(w, i, same_account=False),
        lambda w: ApiToken.objects.count(),
        api=True,
        first_status=400,
    ),
    # A sign-up writes the code that must confirm its number; the account waits for that code.
    "sign-up page": Case(
        "signup",
        _signup_page,
        lambda w: OneTimeCode.objects.filter(phone__startswith="+98935").count(),
    ),
    "sign-in code page, per address": Case(
        "otp_address",
        lambda w, i: _page(None).post("/accounts/otp/", {"mobile": f"0935000002{i}"}),
        lambda w: OneTimeCode.objects.filter(phone__startswith="+98935").count(),
        message="از شبکهٔ شما بیش از حد مجاز کد درخواست شده است",
    ),
    "password reset page": Case(
        "password_reset",
        lambda w, i: _page(None).post("/accounts/password/reset/", {"email": w.other.email}),
        lambda w: len(mail.outbox),
    ),
    "password reset page, per email": Case(
        "password_reset_account",
        lambda w, i: _page(None, f"10.0.1.{i + 1}").post("/accounts/password/reset/", {"email": w.other.email.upper()}),
        lambda w: len(mail.outbox),
    ),
    "comment page": Case(
        "project_comment",
        lambda w, i: _page(w.citizen).post(f"/projects/{w.projects[0].pk}/comments/", {"text": f"نظر {i}"}),
        lambda w: Comment.objects.filter(author=w.citizen).count(),
        message=COMMENTING_TOO_OFTEN,
    ),
    "comment API": Case(
        "project_comment",
        lambda w, i: _api(w.citizen).post(
            f"/api/v1/projects/{w.projects[0].pk}/comments/", {"text": f"نظر {i}"}, format="json"
        ),
        lambda w: Comment.objects.filter(author=w.citizen).count(),
        api=True,
    ),
    "flag page": Case(
        "project_flag",
        lambda w, i: _page(w.citizen).post(_flag_url(w, i), {"reason": "insult"}),
        lambda w: CommentFlag.objects.count(),
        message=REPORTING_TOO_OFTEN,
    ),
    "flag API": Case(
        "project_flag",
        lambda w, i: _api(w.citizen).post(_flag_url(w, i, "/api/v1"), {"reason": "insult"}, format="json"),
        lambda w: CommentFlag.objects.count(),
        api=True,
    ),
    "support page": Case(
        "project_support",
        lambda w, i: _page(w.citizen).post(f"/projects/{w.projects[i].pk}/support/"),
        lambda w: Support.objects.count(),
    ),
    "support API": Case(
        "project_support",
        lambda w, i: _api(w.citizen).post(f"/api/v1/projects/{w.projects[i].pk}/support/"),
        lambda w: Support.objects.count(),
        api=True,
    ),
    "volunteer application page": Case(
        "volunteer_apply",
        lambda w, i: _page(w.citizen).post(
            f"/volunteer/opportunities/{w.opportunities[i].pk}/apply/", {"message": "سلام"}, follow=True
        ),
        lambda w: Application.objects.count(),
        redirects=True,
    ),
    "volunteer application API": Case(
        "volunteer_apply",
        lambda w, i: _api(w.citizen).post(
            f"/api/v1/opportunities/{w.opportunities[i].pk}/apply/", {"message": "سلام"}, format="json"
        ),
        lambda w: Application.objects.count(),
        api=True,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_second_attempt_over_the_limit_is_refused_in_persian_and_writes_nothing(case, world, settings):
    window = 3600
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, case.scope: (1, window)}

    first = case.send(world, 0)
    if case.first_status is not None:
        assert first.status_code == case.first_status
    else:
        assert first.status_code in (200, 201, 302), first.content[:500]
    written = case.written(world)
    if case.first_status is None:
        assert written == 1  # the first attempt really did what the action does

    second = case.send(world, 1)
    assert case.written(world) == written

    if case.api:
        assert second.status_code == 429
        assert second.json() == {"detail": TOO_MANY + ". کمی صبر کنید و دوباره تلاش کنید.", "code": "throttled"}
        assert 0 < int(second["Retry-After"]) <= window
    elif case.redirects:
        assert second.status_code == 200
        assert case.message in second.content.decode()
    else:
        assert second.status_code == 429
        assert case.message in second.content.decode()
        assert getattr(second, "signed_in", False) is False


@pytest.mark.django_db
def test_sign_in_limit_is_counted_for_every_spelling_of_one_number(world, settings):
    """Typing the number in Persian digits or with +98 does not buy more attempts."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (2, 600)}
    for ip, spelling in (("10.0.0.1", "09121112244"), ("10.0.0.2", "+989121112244")):
        _page(None, ip).post("/accounts/login/", {"username": spelling, "password": "wrong"})
    third = _page(None, "10.0.0.3").post("/accounts/login/", {"username": "۰۹۱۲۱۱۱۲۲۴۴", "password": PASSWORD})
    assert third.status_code == 429
    assert TOO_MANY in third.content.decode()


@pytest.mark.django_db
def test_within_the_limit_sign_in_still_works(world):
    response = _page(None).post("/accounts/login/", {"username": world.citizen.phone, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_each_visitor_has_their_own_limit_and_cannot_forge_another(world, settings):
    """Every request arrives from the load balancer; the address it appended is the visitor's."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}

    def sign_up(i: int, forwarded_for: str):
        data = {"phone": f"0935000010{i}", "display_name": "مریم", "password1": PASSWORD, "password2": PASSWORD}
        return Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded_for).post("/accounts/signup/", data)

    assert sign_up(0, "5.5.5.1").status_code == 302
    assert sign_up(1, "5.5.5.2").status_code == 302  # another visitor, same balancer
    # The first visitor again, pretending (in the header they control) to be someone else.
    assert sign_up(2, "1.2.3.4, 5.5.5.1").status_code == 429
    assert OneTimeCode.objects.filter(phone__startswith="+98935").count() == 2
