"""Deleting one's own account: the person goes, what they said stays under "deleted user", their votes keep counting.

The same service answers the profile page and ``DELETE /api/v1/me/``; staff,
a trustee in office and an organisation's last manager are refused with what
to do first.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import api_token_issue, user_delete_self
from core.models import AuditEntry
from neighborhoods.models import Trusteeship
from ngos.models import Membership
from notifications.models import Notification, Subscription
from projects import exports
from projects.models import Ballot, CommentStatus, Idea, Project, Support
from projects.services import ballot_submit, comment_moderate, idea_accept, support_cast
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
BACKEND = "accounts.backends.PhoneOrEmailBackend"
DELETED = "کاربر حذف‌شده"
PHONE = "+989351239876"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(neighborhood):
    return factories.UserFactory(phone=PHONE, email="leaving@example.com", home_neighborhood=neighborhood)


@pytest.fixture
def project(district, neighborhood):
    return factories.ProjectFactory(district=district, neighborhoods=[neighborhood])


def _token(user) -> str:
    return api_token_issue(user=user, name="phone")[1]


def _api(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def _session(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


# --- the effects ---------------------------------------------------------------------------------
def test_delete_through_the_api_ends_the_account_its_tokens_and_every_session(person):
    token, spare = _token(person), _token(person)
    elsewhere = _session(person)
    assert elsewhere.get(reverse("accounts:profile")).status_code == 200
    response = _api(token).delete("/api/v1/me/")
    assert response.status_code == 204
    assert not User.objects.filter(pk=person.pk).exists()
    assert not ApiToken.objects.exists()
    for key in (token, spare):
        after = _api(key).get("/api/v1/me/")
        assert after.status_code == 403 and after.json()["code"] == "authentication_failed"
    # The other browser's session (in the cached session store) finds nobody: it is signed out.
    page = elsewhere.get(reverse("accounts:profile"))
    assert page.status_code == 302 and reverse("accounts:login") in page["Location"]
    assert elsewhere.get("/api/v1/me/").status_code == 403


def test_delete_through_the_api_with_a_session_signs_that_browser_out(person):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person, backend=BACKEND)
    assert client.delete("/api/v1/me/").status_code == 403  # no CSRF token: refused, nothing deleted
    assert User.objects.filter(pk=person.pk).exists()
    client = APIClient()
    client.force_login(person, backend=BACKEND)
    assert client.delete("/api/v1/me/").status_code == 204
    assert "_auth_user_id" not in client.session


def test_the_deletion_is_audited_without_the_number(person):
    user_delete_self(user=person)
    entry = AuditEntry.objects.get(action="user.deleted_self")
    assert entry.target_id == person.pk and entry.target_repr == f"#{person.pk}"
    stored = json.dumps([entry.target_repr, entry.note, entry.changes], ensure_ascii=False)
    assert "9351239876" not in stored and "leaving@example.com" not in stored and person.display_name not in stored


def test_follows_notifications_and_volunteering_go_with_the_account(person, project):
    factories.SubscriptionFactory(user=person, target=project)
    factories.NotificationFactory(recipient=person)
    factories.ApplicationFactory(volunteer=person)
    factories.VolunteerProfileFactory(user=person)
    user_delete_self(user=person)
    assert not Subscription.objects.exists() and not Notification.objects.exists()


def test_the_comment_thread_stays_readable_under_deleted_user(client_for, person, project, district_staff):
    other = factories.UserFactory(display_name="همسایه")
    top = factories.CommentFactory(project=project, author=person, text="نظر من می‌ماند")
    reply = factories.CommentFactory(project=project, author=other, parent=top, text="پاسخ همسایه")
    own_reply = factories.CommentFactory(project=project, author=person, parent=top, text="پاسخ خودم")
    pending = factories.CommentFactory(project=project, author=person, status=CommentStatus.PENDING, text="در صف")
    name = person.display_name
    user_delete_self(user=person)

    page = Client().get(f"/projects/{project.pk}/").content.decode()
    assert "نظر من می‌ماند" in page and "پاسخ همسایه" in page and "پاسخ خودم" in page
    assert page.count(DELETED) >= 2 and name not in page and "همسایه" in page

    api = APIClient().get(f"/api/v1/projects/{project.pk}/comments/").json()["results"]
    by_id = {row["id"]: row for row in api}
    assert by_id[top.pk]["author"] == DELETED and by_id[top.pk]["author_deleted"] is True
    assert by_id[own_reply.pk]["author"] == DELETED
    assert by_id[reply.pk]["author"] == "همسایه" and by_id[reply.pk]["author_deleted"] is False

    rows = list(exports.comment_rows(exports.published_comments(project_id=project.pk)))
    assert {row["author"] for row in rows} == {DELETED, "همسایه"}

    staff = client_for(district_staff)
    queue = staff.get("/admin/projects/moderationqueueitem/").content.decode()
    assert "در صف" in queue and DELETED in queue
    comments = staff.get("/admin/projects/comment/").content.decode()
    assert DELETED in comments
    detail = staff.get(f"/admin/projects/comment/{top.pk}/change/")
    assert detail.status_code == 200 and DELETED in detail.content.decode()

    # A moderator still decides on the deleted author's pending comment; nobody is left to notify.
    comment_moderate(comment=pending, actor=district_staff, approve=True)
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED


def test_a_reply_to_a_deleted_authors_comment_is_published_without_a_notification(person, project, district_staff):
    top = factories.CommentFactory(project=project, author=person)
    user_delete_self(user=person)
    other = factories.UserFactory()
    reply = factories.CommentFactory(project=project, author=other, parent=top, status=CommentStatus.PENDING)
    comment_moderate(comment=reply, actor=district_staff, approve=True)
    assert not Notification.objects.filter(event="comment_replied").exists()


def test_an_idea_of_a_deleted_author_can_still_be_accepted(person, neighborhood, district_staff):
    idea = factories.IdeaFactory(author=person, neighborhood=neighborhood)
    user_delete_self(user=person)
    idea.refresh_from_db()
    assert idea.author is None
    project = idea_accept(idea=Idea.objects.get(pk=idea.pk), actor=district_staff)
    assert project.proposer_name == DELETED and project.proposer_user is None


def test_flags_the_person_raised_go_and_the_open_count_follows(person, project):
    comment = factories.CommentFactory(project=project, open_flag_count=2)
    factories.CommentFlagFactory(comment=comment, user=person)
    factories.CommentFlagFactory(comment=comment)
    user_delete_self(user=person)
    comment.refresh_from_db()
    assert comment.open_flag_count == 1


# --- supports and ballots outlive the account; the same number gets no second vote ---------------
def _sign_up_again(neighborhood, committed, enter_code) -> User:
    client = Client()
    response = committed(
        client.post,
        reverse("accounts:signup"),
        {
            "phone": "09351239876",
            "display_name": "دوباره",
            "email": "leaving@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "home_neighborhood": neighborhood.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert enter_code(client, "09351239876").status_code == 302  # the number is confirmed by SMS first
    return User.objects.get(phone=PHONE)


def test_supports_and_ballots_stay_counted_and_a_new_account_cannot_vote_again(
    person, project, neighborhood, committed, enter_code
):
    round_ = factories.BudgetingRoundFactory(district=project.district, eligible_projects=[project])
    assert support_cast(project=project, user=person)
    ballot_submit(budgeting_round=round_, voter=person, projects=[project])
    old_pk = person.pk
    user_delete_self(user=person)

    project.refresh_from_db()
    assert project.support_count == 1
    assert Support.objects.filter(project=project, user__isnull=True).count() == 1
    assert Ballot.objects.filter(round=round_, voter__isnull=True).count() == 1

    again = _sign_up_again(neighborhood, committed, enter_code)
    assert again.pk != old_pk and again.email == "leaving@example.com"
    with pytest.raises(ValidationError) as refused:
        support_cast(project=project, user=again)
    assert refused.value.code == "already_supported"
    assert "پشتیبانی" in refused.value.messages[0] or "حمایت" in refused.value.messages[0]
    assert Project.objects.get(pk=project.pk).support_count == 1
    other_round = factories.BudgetingRoundFactory(district=project.district, cycle=round_.cycle)
    other_round.eligible_projects.set([project])
    with pytest.raises(ValidationError) as refused:
        ballot_submit(budgeting_round=other_round, voter=again, projects=[project])
    assert refused.value.code == "already_voted_in_cycle"
    assert Ballot.objects.count() == 1


def test_the_export_holds_the_comments_before_the_account_goes(person, project):
    factories.CommentFactory(project=project, author=person, text="برای بایگانی من")
    client = APIClient()
    client.force_authenticate(person)
    export = client.get("/api/v1/me/export/").json()
    assert [c["text"] for c in export["comments"]] == ["برای بایگانی من"]
    assert export["comments"][0]["project"]["title"] == project.title


# --- refusals ------------------------------------------------------------------------------------
def test_staff_cannot_delete_themselves_here(district_staff, city_admin):
    for staff in (district_staff, city_admin):
        response = _api(_token(staff)).delete("/api/v1/me/")
        assert response.status_code == 403
        assert response.json()["code"] == "staff_account" and "مدیر سامانه" in response.json()["detail"]
        assert User.objects.filter(pk=staff.pk).exists()
    page = _session(district_staff).get(reverse("accounts:delete_account")).content.decode()
    assert "مدیر سامانه" in page and 'name="confirm"' not in page


def test_a_trustee_in_office_is_told_to_ask_the_district_office(person, neighborhood):
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    factories.trustee_of(board, user=person)
    response = _api(_token(person)).delete("/api/v1/me/")
    assert response.status_code == 400
    message = response.json()["errors"]["non_field_errors"][0]
    assert "هیئت امنای محله" in message and neighborhood.name in message and "منطقه" in message
    assert User.objects.filter(pk=person.pk).exists()
    page = _session(person).get(reverse("accounts:delete_account")).content.decode()
    assert "هیئت امنای محله" in page and 'name="confirm"' not in page


def test_an_ended_seat_lets_the_account_go_and_keeps_the_members_name(person, neighborhood):
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    today = timezone.localdate()
    seat = factories.trustee_of(
        board, user=person, term_start=today - dt.timedelta(days=800), term_end=today - dt.timedelta(days=10)
    )
    name = person.display_name
    user_delete_self(user=person)
    seat = Trusteeship.objects.get(pk=seat.pk)
    assert seat.user is None and seat.member_name == " ".join(name.split())


def test_the_last_manager_of_an_organisation_hands_it_on_first(person):
    organisation = factories.VerifiedOrganizationFactory(managers=[person])
    response = _api(_token(person)).delete("/api/v1/me/")
    assert response.status_code == 400
    assert organisation.name in response.json()["errors"]["non_field_errors"][0]
    colleague = factories.UserFactory()
    Membership.objects.create(organization=organisation, user=colleague)
    assert _api(_token(person)).delete("/api/v1/me/").status_code == 204
    assert list(Membership.objects.filter(organization=organisation).values_list("user", flat=True)) == [colleague.pk]


def test_the_api_delete_needs_a_signed_in_caller():
    assert APIClient().delete("/api/v1/me/").status_code == 403


# --- the page ------------------------------------------------------------------------------------
def test_the_page_asks_for_the_word_then_deletes_and_signs_out(person, project):
    factories.CommentFactory(project=project, author=person, text="می‌ماند")
    client = _session(person)
    url = reverse("accounts:delete_account")
    page = client.get(url).content.decode()
    assert 'name="confirm"' in page and "«حذف»" in page
    wrong = client.post(url, {"confirm": "بله"})
    assert wrong.status_code == 200 and "«حذف»" in wrong.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    done = client.post(url, {"confirm": " حذف "}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert "حذف شد" in done.content.decode()
    assert not User.objects.filter(pk=person.pk).exists()
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert "می‌ماند" in Client().get(f"/projects/{project.pk}/").content.decode()


def test_the_page_refuses_a_post_without_csrf_and_a_get_changes_nothing(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person, backend=BACKEND)
    url = reverse("accounts:delete_account")
    assert client.get(url, {"confirm": "حذف"}).status_code == 200
    assert client.post(url, {"confirm": "حذف"}).status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_the_page_shows_a_refusal_from_the_service_on_the_form(person, neighborhood):
    client = _session(person)
    url = reverse("accounts:delete_account")
    assert 'name="confirm"' in client.get(url).content.decode()
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    factories.trustee_of(board, user=person)  # became a trustee while the page was open
    response = client.post(url, {"confirm": "حذف"})
    assert response.status_code == 200 and "هیئت امنای محله" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
