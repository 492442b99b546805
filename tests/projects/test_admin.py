import pytest

from projects.models import CommentStatus, Phase, PhaseChange, Project, RoundStatus
from projects.services import comment_post
from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/projects/moderationqueueitem/"


def _bulk(client, url, action, ids, **extra):
    return client.post(url, {"action": action, "_selected_action": ids, **extra})


def test_queue_lists_pending_hidden_and_flagged_in_scope(client_for, district_staff, project, other_project, citizen):
    pending = comment_post(project=project, author=citizen, text="در صف")
    hidden = factories.CommentFactory(project=project, status=CommentStatus.HIDDEN, text="پنهان")
    flagged = factories.CommentFactory(project=project, open_flag_count=1, text="گزارش‌شده")
    fine = factories.CommentFactory(project=project, text="بی‌مشکل")
    elsewhere = factories.CommentFactory(project=other_project, status=CommentStatus.PENDING, text="منطقه دیگر")
    html = client_for(district_staff).get(QUEUE).content.decode()
    for comment in (pending, hidden, flagged):
        assert comment.text in html
    assert fine.text not in html and elsewhere.text not in html
    assert citizen.phone not in html


def test_bulk_approve_and_reject_with_reason(client_for, district_staff, project, citizen):
    a = comment_post(project=project, author=citizen, text="یک")
    b = comment_post(project=project, author=citizen, text="دو")
    client = client_for(district_staff)
    assert _bulk(client, QUEUE, "approve_selected", [a.pk]).status_code == 302
    a.refresh_from_db()
    assert a.status == CommentStatus.PUBLISHED and a.moderated_by == district_staff
    ask = _bulk(client, QUEUE, "reject_selected", [b.pk])
    assert ask.status_code == 200 and 'name="reason"' in ask.content.decode()
    b.refresh_from_db()
    assert b.status == CommentStatus.PENDING
    empty = _bulk(client, QUEUE, "reject_selected", [b.pk], apply="1", reason="")
    assert empty.status_code == 200
    done = _bulk(client, QUEUE, "reject_selected", [b.pk], apply="1", reason="توهین‌آمیز")
    assert done.status_code == 302
    b.refresh_from_db()
    assert b.status == CommentStatus.REJECTED and b.moderation_reason == "توهین‌آمیز"


def test_staff_cannot_moderate_other_districts(client_for, other_district_staff, project, citizen):
    comment = comment_post(project=project, author=citizen, text="یک")
    client = client_for(other_district_staff)
    _bulk(client, QUEUE, "approve_selected", [comment.pk])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert client.get(f"/admin/projects/comment/{comment.pk}/change/").status_code == 302  # not in their list


def test_comment_admin_is_read_only(client_for, district_staff, project):
    comment = factories.CommentFactory(project=project)
    client = client_for(district_staff)
    url = f"/admin/projects/comment/{comment.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"text": "rewritten"})
    comment.refresh_from_db()
    assert comment.text != "rewritten"


def test_project_admin_add_with_jalali_dates_and_change_phase(client_for, district_staff, district, neighborhood):
    client = client_for(district_staff)
    form = {
        "title": "پروژه ادمین",
        "description": "",
        "category": "health",
        "district": district.pk,
        "neighborhoods": [neighborhood.pk],
        "budget": "1000",
        "responsible_unit": "",
        "proposer_kind": "municipality",
        "proposer_name": "",
        "phase": "proposed",
        "progress": "0",
        "start_date": "۱۴۰۳/۰۵/۱۲",
        "end_date": "1403-06-01",
        "latitude": "",
        "longitude": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "updates-0-text": "نخستین گزارش",
        "phase_changes-TOTAL_FORMS": "0",
        "phase_changes-INITIAL_FORMS": "0",
    }
    assert client.get("/admin/projects/project/add/").status_code == 200
    response = client.post("/admin/projects/project/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(title="پروژه ادمین")
    assert str(project.start_date) == "2024-08-02"
    assert project.created_by == district_staff
    assert project.updates.get().author == district_staff
    assert PhaseChange.objects.filter(project=project).count() == 1

    change = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert 'value="1403/05/12"' in change
    form.update(
        {
            "new_phase": "under_review",
            "phase_note": "آغاز بررسی",
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "1",
            "updates-0-id": str(project.updates.get().pk),
            "updates-0-project": str(project.pk),
        }
    )
    form.pop("phase")
    response = client.post(f"/admin/projects/project/{project.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.phase == Phase.UNDER_REVIEW
    assert project.phase_changes.last().note == "آغاز بررسی"


def test_project_admin_scope(client_for, district_staff, project, other_project):
    client = client_for(district_staff)
    html = client.get("/admin/projects/project/").content.decode()
    assert f"/admin/projects/project/{project.pk}/change/" in html
    assert f"/admin/projects/project/{other_project.pk}/change/" not in html
    assert client.get(f"/admin/projects/project/{other_project.pk}/change/").status_code == 302


def test_round_admin_open_and_publish(client_for, district_staff, district):
    projects = [factories.ProjectFactory(district=district, budget=3) for _ in range(2)]
    draft = factories.BudgetingRoundFactory(district=district, status=RoundStatus.DRAFT, eligible_projects=projects)
    client = client_for(district_staff)
    _bulk(client, "/admin/projects/budgetinground/", "open_rounds", [draft.pk])
    draft.refresh_from_db()
    assert draft.status == RoundStatus.OPEN
    _bulk(client, "/admin/projects/budgetinground/", "publish_results", [draft.pk])  # still open: refused
    draft.refresh_from_db()
    assert draft.status == RoundStatus.OPEN


def test_idea_admin_accept_and_return(client_for, district_staff, district, neighborhood):
    round_ = factories.IdeaRoundFactory(city=district.city)
    a = factories.IdeaFactory(round=round_, neighborhood=neighborhood)
    b = factories.IdeaFactory(round=round_, neighborhood=neighborhood)
    client = client_for(district_staff)
    url = "/admin/projects/idea/"
    ask = _bulk(client, url, "accept_selected", [a.pk])
    assert ask.status_code == 200 and 'name="category"' in ask.content.decode()
    _bulk(client, url, "accept_selected", [a.pk], apply="1", category="sport", budget="10", reason="")
    _bulk(client, url, "return_selected", [b.pk], apply="1", reason="تکراری")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.project is not None and b.status == "returned" and b.review_reason == "تکراری"


def test_city_settings_are_for_city_admins(client_for, district_staff, city_admin):
    assert client_for(district_staff).get("/admin/places/cityparticipationsettings/").status_code == 403
    assert client_for(city_admin).get("/admin/places/cityparticipationsettings/").status_code == 200


def test_only_draft_rounds_are_deleted_and_the_terms_of_an_open_round_stay(client_for, district_staff, district):
    from core.audit import history
    from projects.models import BudgetingRound

    projects = [factories.ProjectFactory(district=district, budget=3) for _ in range(2)]
    draft = factories.BudgetingRoundFactory(district=district, status=RoundStatus.DRAFT, eligible_projects=projects)
    running = factories.BudgetingRoundFactory(district=district, status=RoundStatus.OPEN, eligible_projects=projects)
    client = client_for(district_staff)
    assert client.post(f"/admin/projects/budgetinground/{running.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = _bulk(client, "/admin/projects/budgetinground/", "delete_selected", [draft.pk, running.pk], post="yes")
    assert bulk.status_code == 403  # all or nothing: the open round refuses, so the draft stays too
    assert BudgetingRound.objects.count() == 2
    assert client.post(f"/admin/projects/budgetinground/{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not BudgetingRound.objects.filter(pk=draft.pk).exists()
    assert [e.action for e in history(draft)] == ["budgeting.round_deleted"]

    url = f"/admin/projects/budgetinground/{running.pk}/change/"
    form = admin_form_data(client, url) | {"title": "دورهٔ بهار", "total_budget": "1"}
    assert client.post(url, form).status_code == 302
    running.refresh_from_db()
    assert running.title == "دورهٔ بهار" and running.total_budget != 1
    entry = history(running).get()
    assert entry.action == "budgeting.round_changed" and set(entry.changes) == {"title"}


def test_the_plan_action_speaks_persian(client_for, district_staff, district, neighborhood):
    from ngos.models import PlanStatus

    plan = factories.PlanFactory(target_neighborhoods=[neighborhood], status=PlanStatus.ACCEPTED)
    client = client_for(district_staff)
    assert "ساخت پروژه از طرح" in client.get("/admin/ngos/plan/").content.decode()
    done = client.post(
        "/admin/ngos/plan/", {"action": "create_project", "_selected_action": [plan.pk]}, follow=True
    ).content.decode()
    assert "۱ پروژه از طرح‌ها ساخته شد." in done
    again = client.post(
        "/admin/ngos/plan/", {"action": "create_project", "_selected_action": [plan.pk]}, follow=True
    ).content.decode()
    assert "این طرح پیش‌تر به پروژه تبدیل شده است." in again
