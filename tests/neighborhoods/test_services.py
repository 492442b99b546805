from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from core.audit import history
from neighborhoods.models import NeedStatus, Trusteeship
from neighborhoods.permissions import can_file_need, neighborhoods_user_can_report_for
from neighborhoods.services import need_report_change_status, need_report_file, trusteeship_save
from tests import factories


def seat(board, **kwargs) -> Trusteeship:
    defaults = {
        "board": board,
        "member_name": "مریم احمدی",
        "category": "education",
        "decree_number": "1",
        "decree_date": dt.date(2024, 1, 1),
        "decree_issuer": "شهردار",
        "term_start": dt.date(2024, 1, 10),
        "term_end": dt.date(2028, 1, 10),
    }
    return Trusteeship(**(defaults | kwargs))


# --- trusteeships -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_term_must_end_after_it_starts(board, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        trusteeship_save(actor=district_staff, trusteeship=seat(board, term_end=dt.date(2024, 1, 10)))
    assert "term_end" in excinfo.value.message_dict
    assert "پایان دوره باید بعد از آغاز آن باشد" in excinfo.value.message_dict["term_end"][0]
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        factories.TrusteeshipFactory(board=board, term_start=dt.date(2024, 1, 1), term_end=dt.date(2023, 1, 1))


@pytest.mark.django_db
def test_terms_of_one_person_on_one_board_may_not_overlap(board, other_board, district_staff):
    trusteeship_save(actor=district_staff, trusteeship=seat(board))
    # The same person written with Arabic letters and a ZWNJ is the same person.
    with pytest.raises(ValidationError) as excinfo:
        trusteeship_save(
            actor=district_staff,
            trusteeship=seat(
                board, member_name="مريم  احمدي", term_start=dt.date(2027, 1, 1), term_end=dt.date(2030, 1, 1)
            ),
        )
    assert "term_start" in excinfo.value.message_dict
    assert "۱۴۰۲/۱۰/۲۰" in excinfo.value.message_dict["term_start"][0]  # the clashing term, in Jalali
    # A term right after the first one, another board, or another person are all fine.
    trusteeship_save(
        actor=district_staff, trusteeship=seat(board, term_start=dt.date(2028, 1, 11), term_end=dt.date(2032, 1, 1))
    )
    trusteeship_save(actor=district_staff, trusteeship=seat(other_board))
    trusteeship_save(actor=district_staff, trusteeship=seat(board, member_name="زهرا رضایی"))
    assert Trusteeship.objects.count() == 4


@pytest.mark.django_db
def test_overlap_is_judged_by_account_when_there_is_one(board, district_staff):
    user = factories.UserFactory()
    trusteeship_save(actor=district_staff, trusteeship=seat(board, user=user, member_name=""))
    with pytest.raises(ValidationError):
        trusteeship_save(actor=district_staff, trusteeship=seat(board, user=user, member_name="نام دیگر"))


@pytest.mark.django_db
def test_a_member_needs_a_name_or_an_account(board, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        trusteeship_save(actor=district_staff, trusteeship=seat(board, member_name="  "))
    assert "member_name" in excinfo.value.message_dict


@pytest.mark.django_db
def test_trusteeship_writes_are_scoped_and_audited(board, district_staff, other_district_staff):
    with pytest.raises(PermissionDenied):
        trusteeship_save(actor=other_district_staff, trusteeship=seat(board))
    saved = trusteeship_save(actor=district_staff, trusteeship=seat(board))
    saved.decree_number = "2"
    trusteeship_save(actor=district_staff, trusteeship=saved)
    entries = list(history(saved))
    assert [e.action for e in entries] == ["trusteeship.created", "trusteeship.changed"]
    assert entries[1].changes["decree_number"] == ["1", "2"] and entries[1].actor == district_staff


@pytest.mark.django_db
def test_authority_to_file_comes_from_an_active_trusteeship_not_the_role(neighborhood, board):
    from accounts.models import Role

    labelled = factories.UserFactory(role=Role.TRUSTEE)
    assert not can_file_need(labelled, neighborhood)
    past = factories.trustee_of(board, term_start=dt.date(2010, 1, 1), term_end=dt.date(2014, 1, 1)).user
    future = factories.trustee_of(board, term_start=dt.date(2090, 1, 1), term_end=dt.date(2094, 1, 1)).user
    current = factories.trustee_of(board).user
    assert [can_file_need(u, neighborhood) for u in (past, future, current)] == [False, False, True]
    assert list(neighborhoods_user_can_report_for(current)) == [neighborhood]


# --- need reports ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_only_active_members_of_the_board_file_needs(neighborhood, other_trustee, citizen, district_staff):
    for user in (other_trustee, citizen, district_staff):
        with pytest.raises(PermissionDenied):
            need_report_file(reporter=user, neighborhood=neighborhood, category="gas", title="t", description="d")


@pytest.mark.django_db
def test_a_status_change_is_recorded_with_who_when_from_to_and_why(report, district_staff):
    need_report_change_status(actor=district_staff, report=report, status="referred", agency=" شرکت  آب ", note="فوری")
    report.refresh_from_db()
    assert report.status == NeedStatus.REFERRED and report.agency == "شرکت آب"
    change = report.status_changes.last()
    assert (change.actor, change.from_status, change.to_status, change.note) == (
        district_staff,
        "reported",
        "referred",
        "فوری",
    )
    assert change.created_at == report.status_changed_at
    audit = history(report).get()
    assert audit.action == "need_report.status_changed" and audit.actor == district_staff
    assert audit.changes["status"] == ["reported", "referred"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "in_progress"),
        ([], "resolved"),
        (["referred"], "reported"),
        (["referred", "in_progress", "resolved"], "declined"),
        (["declined"], "referred"),
        ([], "lost"),
    ],
)
def test_the_workflow_refuses_skipped_or_backward_steps(report, district_staff, path, refused):
    for status in path:
        need_report_change_status(actor=district_staff, report=report, status=status, agency="آبفا")
    before = report.status_changes.count()
    with pytest.raises(ValidationError) as excinfo:
        need_report_change_status(actor=district_staff, report=report, status=refused, agency="آبفا")
    assert "status" in excinfo.value.message_dict
    assert report.status_changes.count() == before


@pytest.mark.django_db
def test_staff_of_another_district_may_not_move_a_report(report, other_district_staff):
    with pytest.raises(PermissionDenied):
        need_report_change_status(actor=other_district_staff, report=report, status="declined")
    report.refresh_from_db()
    assert report.status == "reported"


def test_a_status_change_notifies_the_reporter(report, trustee, district_staff):
    from notifications.models import Notification

    need_report_change_status(actor=district_staff, report=report, status="declined", note="تکراری")
    rows = Notification.objects.filter(event="need_report_status_changed")
    assert {row.recipient_id for row in rows} == {trustee.pk}


@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_one_report_at_once_make_one_step(district, neighborhood):
    """Under PostgreSQL the row lock serialises them: one succeeds, the other sees the new status."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    trustee = factories.trustee_of(board).user
    staff = [factories.StaffFactory(districts=[district]) for _ in range(2)]
    report = need_report_file(reporter=trustee, neighborhood=neighborhood, category="gas", title="t", description="d")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(user):
        try:
            barrier.wait()
            need_report_change_status(actor=user, report=report, status="referred", agency="گاز")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert report.status_changes.filter(to_status="referred").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_overlapping_terms_at_once_keep_one(district, neighborhood):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    staff = [factories.StaffFactory(districts=[district]) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(user):
        try:
            barrier.wait()
            trusteeship_save(actor=user, trusteeship=seat(board))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Trusteeship.objects.filter(board=board).count() == 1
