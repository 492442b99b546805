"""core.web: htmx detection, sign-in for htmx, the over-limit answer and service errors on forms."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from core.api.throttles import RateLimited, limit
from core.web import add_service_errors, is_htmx, safe_next, signed_in_required, too_many, within_limit
from tests import factories

TOO_MANY = "تعداد تلاش‌ها بیش از حد مجاز است"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()


def _anonymous(request):
    request.user = AnonymousUser()
    return request


# --- htmx and sign-in -----------------------------------------------------------
def test_only_htmx_requests_are_htmx(rf):
    assert is_htmx(rf.get("/", **HTMX))
    assert not is_htmx(rf.get("/"))
    assert not is_htmx(rf.get("/", HTTP_HX_REQUEST="false"))


@signed_in_required
def _write(request):
    return HttpResponse("written")


def test_an_anonymous_plain_request_is_redirected_to_sign_in_and_back(rf):
    response = _write(_anonymous(rf.post("/projects/7/support/?x=1")))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/projects/7/support/%3Fx%3D1"


def test_an_anonymous_htmx_request_loads_the_sign_in_page_whole_and_comes_back_to_the_page(rf):
    request = _anonymous(rf.post("/projects/7/support/", HTTP_HX_CURRENT_URL="http://testserver/projects/7/", **HTMX))
    response = _write(request)
    assert response.status_code == 204 and not response.content
    assert response["HX-Redirect"] == "/accounts/login/?next=http%3A//testserver/projects/7/"


def test_a_signed_in_request_reaches_the_view(rf, db):
    request = rf.post("/projects/7/support/", **HTMX)
    request.user = factories.UserFactory()
    assert _write(request).content == b"written"


@pytest.mark.django_db
def test_anonymous_htmx_mark_read_is_sent_to_sign_in_not_handed_the_login_page(client):
    response = client.post("/notifications/1/read/", HTTP_HX_CURRENT_URL="http://testserver/notifications/", **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_next_must_be_one_of_our_own_pages(rf):
    assert safe_next(rf.post("/", {"next": "/projects/3/"}), "/fallback/") == "/projects/3/"
    assert safe_next(rf.get("/", {"next": "/projects/3/"})) == "/projects/3/"
    assert safe_next(rf.post("/", {"next": "https://evil.example/"}), "/fallback/") == "/fallback/"
    assert safe_next(rf.post("/", {"next": "//evil.example/"})) == ""


# --- the over-limit answer ---------------------------------------------------------
def test_the_plain_page_is_persian_with_retry_after(rf, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_follow": (1, 600)}
    response = too_many(_anonymous(rf.post("/projects/follow/project/1/")), "project_follow")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert TOO_MANY in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


class _NoteForm(forms.Form):
    text = forms.CharField()


def test_the_form_page_shows_the_reason_as_a_form_error(rf):
    form = _NoteForm({"text": "سلام"})
    request = _anonymous(rf.post("/accounts/signup/"))
    response = too_many(request, "signup", template="accounts/signup.html", context={"form": form}, form=form)
    assert response.status_code == 429 and response["Retry-After"]
    assert form.non_field_errors() == ["تعداد تلاش‌ها بیش از حد مجاز است. کمی صبر کنید و دوباره تلاش کنید."]
    assert TOO_MANY in response.content.decode()


def test_under_api_the_answer_is_the_api_error_format(rf):
    response = too_many(_anonymous(rf.post("/api/v1/anything/")), "signup")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "detail": "تعداد تلاش‌ها بیش از حد مجاز است. کمی صبر کنید و دوباره تلاش کنید.",
        "code": "throttled",
    }
    assert 0 < int(response["Retry-After"]) <= 3600


def test_a_known_wait_is_the_retry_after(rf):
    assert too_many(_anonymous(rf.get("/accounts/login/")), wait=900)["Retry-After"] == "900"


@pytest.mark.django_db
def test_htmx_over_the_limit_gets_the_partial_with_the_reason(client_for, citizen, settings):
    project = factories.ProjectFactory()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_support": (1, 600), "project_follow": (1, 600)}
    client = client_for(citizen)
    client.post(f"/projects/{project.pk}/support/", **HTMX)
    response = client.post(f"/projects/{project.pk}/support/", {"action": "withdraw"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert html.lstrip().startswith('<section id="support"') and TOO_MANY in html
    assert project.supports.filter(user=citizen).exists()  # the withdrawal over the limit did nothing

    client.post(f"/follow/project/{project.pk}/", {"action": "follow"}, **HTMX)
    response = client.post(f"/follow/project/{project.pk}/", {"action": "unfollow"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert html.lstrip().startswith('<form class="follow-form"') and TOO_MANY in html
    assert 'aria-pressed="true"' in html  # still following


@pytest.mark.django_db
def test_htmx_swaps_a_429_so_the_partial_is_seen(client):
    """Without this, htmx would drop every over-limit partial above."""
    page = client.get("/").content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1))
    rules = config["responseHandling"]
    first_match = next(rule for rule in rules if re.fullmatch(rule["code"], "429"))
    assert first_match["swap"] is True and not first_match.get("error")
    assert next(rule for rule in rules if re.fullmatch(rule["code"], "403"))["swap"] is False


@pytest.mark.django_db
def test_a_locked_out_sign_in_page_says_when_to_come_back(client, settings):
    factories.UserFactory(phone="+989121112297")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "09121112297", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


@pytest.mark.django_db
def test_a_page_and_the_api_count_one_user_against_one_limit(rf, settings):
    """Per user first: the page and the API share the count, whatever address each came from."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_comment": (1, 600)}
    user = factories.UserFactory()
    page = rf.post("/projects/1/comments/", REMOTE_ADDR="10.0.0.1")
    page.user = user
    assert within_limit(page, "project_comment")
    api = rf.post("/api/v1/projects/1/comments/", REMOTE_ADDR="10.0.0.2")
    api.user = user
    with pytest.raises(RateLimited) as refused:
        limit(api, "project_comment")
    assert 0 < refused.value.wait <= 600
    # Someone else, and an anonymous visitor (counted by address), still have their own counts.
    other = rf.post("/projects/1/comments/", REMOTE_ADDR="10.0.0.1")
    other.user = factories.UserFactory()
    assert within_limit(other, "project_comment")
    assert within_limit(_anonymous(rf.post("/accounts/signup/", REMOTE_ADDR="10.0.0.1")), "project_comment")
    assert not within_limit(_anonymous(rf.post("/accounts/signup/", REMOTE_ADDR="10.0.0.1")), "project_comment")


# --- service errors onto forms --------------------------------------------------------
class _BallotForm(forms.Form):
    projects = forms.CharField(required=False)
    note = forms.CharField(required=False)


def _form() -> _BallotForm:
    form = _BallotForm({})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field_with_its_code_and_values():
    form = _form()
    error = ValidationError({"projects": ValidationError("%(n)s is too many.", code="over_cap", params={"n": 3})})
    add_service_errors(form, error)
    assert form.errors["projects"] == ["3 is too many."]
    assert form.has_error("projects", "over_cap")
    assert "projects" not in form.cleaned_data


def test_errors_about_fields_the_form_lacks_and_about_the_whole_request_go_on_the_form():
    form = _form()
    error = ValidationError({"district": "Not yours.", NON_FIELD_ERRORS: ["Voting is closed."], "note": "Long."})
    add_service_errors(form, error)
    assert form.non_field_errors() == ["Not yours.", "Voting is closed."]
    assert form.errors["note"] == ["Long."]


def test_a_plain_error_or_a_list_goes_on_the_form():
    form = _form()
    add_service_errors(form, ValidationError("Voting is closed.", code="closed"))
    add_service_errors(form, ValidationError(["One.", ValidationError("Two %(x)s.", params={"x": "!"})]))
    assert form.non_field_errors() == ["Voting is closed.", "One.", "Two !."]
    assert form.has_error(NON_FIELD_ERRORS, "closed")


@pytest.mark.django_db
def test_a_service_error_reaches_the_page_form(client_for, citizen, district):
    """The ballot service's field error shows next to the field on the round's page."""
    project = factories.ProjectFactory(district=district, budget=1_250_000)
    budgeting_round = factories.BudgetingRoundFactory(
        district=district, total_budget=1_000_000, eligible_projects=[project]
    )
    response = client_for(citizen).post(budgeting_round.get_absolute_url(), {"projects": [project.pk]})
    assert response.status_code == 400
    # Next to the field, with the amounts in Persian digits and separators.
    assert re.search(r'class="field-error"[^<]*>[^<]*۱٬۲۵۰٬۰۰۰ ریال[^<]*۱٬۰۰۰٬۰۰۰ ریال', response.content.decode())
