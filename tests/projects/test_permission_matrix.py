"""Role × action × expected result for every write of the projects app, in pages, the API and the admin.

Each action returns what happened: "ok" (done), "denied" (refused, nothing changed) or "login" (sent to sign in).
"""

import pytest
from rest_framework.test import APIClient

from notifications.models import Subscription
from projects.models import Ballot, Comment, CommentFlag, CommentStatus, Idea, Phase, RoundStatus, Support
from projects.services import support_cast
from tests import factories

pytestmark = pytest.mark.django_db

# ``unverified``: a resident of the district whose mobile number no SMS code has proved yet.
ROLES = ("anonymous", "citizen", "stranger", "district_staff", "other_district_staff", "city_admin", "unverified")


@pytest.fixture
def world(project, district, neighborhood):
    author = factories.UserFactory(home_neighborhood=neighborhood)
    comment = factories.CommentFactory(project=project, author=author)
    pending = factories.CommentFactory(project=project, status=CommentStatus.PENDING)
    option = factories.ProjectFactory(district=district, budget=5)
    budgeting_round = factories.BudgetingRoundFactory(district=district, total_budget=10, eligible_projects=[option])
    draft = factories.BudgetingRoundFactory(district=district, status=RoundStatus.DRAFT, eligible_projects=[option])
    idea_round = factories.IdeaRoundFactory(city=district.city)
    idea = factories.IdeaFactory(round=idea_round, neighborhood=neighborhood)
    return {
        "project": project,
        "author": author,
        "comment": comment,
        "pending": pending,
        "option": option,
        "round": budgeting_round,
        "draft": draft,
        "idea_round": idea_round,
        "idea": idea,
        "neighborhood": neighborhood,
    }


def _page_result(response, done: bool) -> str:
    if response.status_code == 302 and "/login/" in response.get("Location", ""):
        return "login"
    return "ok" if done else "denied"


def _api_result(response, done: bool) -> str:
    if response.status_code in (401, 403) and not done:
        return "login" if response.wsgi_request.user.is_anonymous else "denied"
    return "ok" if done else "denied"


# --- page actions ---------------------------------------------------------------------
def page_support(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/support/", {"action": "support"})
    return _page_result(r, Support.objects.filter(project=w["project"]).exists())


def page_follow(client, w, user):
    r = client.post(f"/follow/neighborhood/{w['neighborhood'].pk}/", {"action": "follow"})
    return _page_result(r, Subscription.objects.exists())


def page_comment(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/comments/", {"text": "نظر تازه"})
    return _page_result(r, Comment.objects.filter(text="نظر تازه").exists())


def page_reply(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/comments/", {"text": "پاسخ تازه", "parent": w["comment"].pk})
    return _page_result(r, Comment.objects.filter(text="پاسخ تازه").exists())


def page_edit_others_comment(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/comments/{w['comment'].pk}/edit/", {"text": "دستکاری"})
    return _page_result(r, Comment.objects.filter(text="دستکاری").exists())


def page_delete_others_comment(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/comments/{w['comment'].pk}/delete/")
    return _page_result(r, Comment.objects.filter(status=CommentStatus.DELETED).exists())


def page_flag(client, w, user):
    r = client.post(f"/projects/{w['project'].pk}/comments/{w['comment'].pk}/flag/", {"reason": "spam"})
    return _page_result(r, CommentFlag.objects.exists())


def page_ballot(client, w, user):
    r = client.post(f"/budgeting/{w['round'].pk}/", {"projects": [w["option"].pk]})
    return _page_result(r, Ballot.objects.exists())


def page_idea(client, w, user):
    r = client.post(
        f"/ideas/{w['idea_round'].pk}/submit/",
        {"neighborhood": w["neighborhood"].pk, "title": "ایده تازه", "description": "شرح"},
    )
    return _page_result(r, Idea.objects.filter(title="ایده تازه").exists())


def page_export_comments(client, w, user):
    r = client.get(f"/projects/{w['project'].pk}/comments/export/")
    return _page_result(r, r.status_code == 200)


# --- API actions --------------------------------------------------------------------
def api_support(api, w, user):
    r = api.post(f"/api/v1/projects/{w['project'].pk}/support/")
    return _api_result(r, Support.objects.exists())


def api_withdraw(api, w, user):
    if user is not None:
        support_cast(project=w["project"], user=user)
    r = api.delete(f"/api/v1/projects/{w['project'].pk}/support/")
    return _api_result(r, user is not None and not Support.objects.exists())


def api_follow(api, w, user):
    r = api.post(f"/api/v1/projects/{w['project'].pk}/follow/")
    return _api_result(r, Subscription.objects.exists())


def api_comment(api, w, user):
    r = api.post(f"/api/v1/projects/{w['project'].pk}/comments/", {"text": "از API"}, format="json")
    return _api_result(r, Comment.objects.filter(text="از API").exists())


def api_ballot(api, w, user):
    r = api.put(f"/api/v1/budgeting-rounds/{w['round'].pk}/ballot/", {"projects": [w["option"].pk]}, format="json")
    return _api_result(r, Ballot.objects.exists())


# --- admin actions ------------------------------------------------------------------
def _admin_result(response, done: bool) -> str:
    if response.status_code == 302 and "/admin/login/" in response.get("Location", ""):
        return "login"
    return "ok" if done else "denied"


def admin_approve(client, w, user):
    r = client.post(
        "/admin/projects/moderationqueueitem/", {"action": "approve_selected", "_selected_action": [w["pending"].pk]}
    )
    w["pending"].refresh_from_db()
    return _admin_result(r, w["pending"].status == CommentStatus.PUBLISHED)


def admin_reject(client, w, user):
    r = client.post(
        "/admin/projects/comment/",
        {"action": "reject_selected", "_selected_action": [w["pending"].pk], "apply": "1", "reason": "نامناسب"},
    )
    w["pending"].refresh_from_db()
    return _admin_result(r, w["pending"].status == CommentStatus.REJECTED)


def admin_phase(client, w, user):
    project = w["project"]
    r = client.get(f"/admin/projects/project/{project.pk}/change/")
    if r.status_code != 200:
        return _admin_result(r, False)
    from projects.services import project_change_phase  # the admin form posts to this service

    project_change_phase(project=project, actor=user, to_phase=Phase.UNDER_REVIEW)
    project.refresh_from_db()
    return "ok" if project.phase == Phase.UNDER_REVIEW else "denied"


def admin_open_round(client, w, user):
    r = client.post("/admin/projects/budgetinground/", {"action": "open_rounds", "_selected_action": [w["draft"].pk]})
    w["draft"].refresh_from_db()
    return _admin_result(r, w["draft"].status == RoundStatus.OPEN)


def admin_return_idea(client, w, user):
    r = client.post(
        "/admin/projects/idea/",
        {"action": "return_selected", "_selected_action": [w["idea"].pk], "apply": "1", "reason": "تکراری"},
    )
    w["idea"].refresh_from_db()
    return _admin_result(r, w["idea"].status == "returned")


def admin_city_settings(client, w, user):
    r = client.post(
        "/admin/places/cityparticipationsettings/add/",
        {
            "city": w["project"].district.city_id,
            "moderation_policy": "post",
            "flags_to_hide": "2",
            "residency_cooldown_days": "90",
            "announcement_sms_approval_threshold": "200",
            "use_default_flagged_words": "on",
        },
    )
    from places.models import CityParticipationSettings

    return _admin_result(r, CityParticipationSettings.objects.exists())


def admin_start_cycle(client, w, user):
    from projects.models import BudgetingCycle

    r = client.post(
        "/admin/projects/budgetingcycle/add/", {"city": w["project"].district.city_id, "title": "چرخهٔ تازه"}
    )
    return _admin_result(r, BudgetingCycle.objects.filter(title="چرخهٔ تازه").exists())


def admin_round_joins_cycle(client, w, user):
    from projects.models import BudgetingRound

    district = w["project"].district
    r = client.post(
        "/admin/projects/budgetinground/add/",
        {
            "district": district.pk,
            "cycle": w["round"].cycle_id,
            "title": "دورهٔ هم‌زمان",
            "description": "",
            "total_budget": "10",
            "opens_on": "1405/01/01",
            "closes_on": "1405/02/01",
            "results-TOTAL_FORMS": "0",
            "results-INITIAL_FORMS": "0",
        },
    )
    return _admin_result(r, BudgetingRound.objects.filter(title="دورهٔ هم‌زمان", cycle=w["round"].cycle).exists())


def admin_import_page(client, w, user):
    r = client.get("/admin/projects/project/import/")
    return _admin_result(r, r.status_code == 200)


#                         anonymous  citizen  stranger  d.staff  other staff  city admin  unverified
EXPECTED = {
    page_support: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    page_follow: ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    page_comment: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    page_reply: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    page_edit_others_comment: ("login", "denied", "denied", "denied", "denied", "denied", "denied"),
    page_delete_others_comment: ("login", "denied", "denied", "denied", "denied", "denied", "denied"),
    page_flag: ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    page_ballot: ("login", "ok", "denied", "denied", "denied", "denied", "denied"),
    page_idea: ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    page_export_comments: ("login", "denied", "denied", "ok", "denied", "ok", "denied"),
    api_support: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    api_withdraw: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    api_follow: ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    api_comment: ("login", "ok", "ok", "ok", "ok", "ok", "denied"),
    api_ballot: ("login", "ok", "denied", "denied", "denied", "denied", "denied"),
    admin_approve: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_reject: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_phase: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_open_round: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_return_idea: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_city_settings: ("login", "login", "login", "denied", "denied", "ok", "login"),
    admin_start_cycle: ("login", "login", "login", "denied", "denied", "ok", "login"),
    admin_round_joins_cycle: ("login", "login", "login", "ok", "denied", "ok", "login"),
    admin_import_page: ("login", "login", "login", "ok", "ok", "ok", "login"),
}
CASES = [(action, role, expected[i]) for action, expected in EXPECTED.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=[f"{a.__name__}-{r}" for a, r, _e in CASES])
def test_matrix(request, client, world, action, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if action.__name__.startswith("api_"):
        actor = APIClient()
        if user is not None:
            actor.force_authenticate(user)
    else:
        actor = client
        if user is not None:
            client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    try:
        outcome = action(actor, world, user)
    except Exception as exc:  # a refused service call in the admin_phase helper
        from django.core.exceptions import PermissionDenied

        if not isinstance(exc, PermissionDenied):
            raise
        outcome = "denied"
    assert outcome == expected
