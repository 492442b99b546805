import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import history
from projects.models import SUPPORTABLE_PHASES, Phase, PhaseChange, Support
from projects.services import project_change_phase, project_create, project_post_update, support_cast, support_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


def test_create_opens_the_timeline_and_audit(district_staff, district, neighborhood):
    project = project_create(
        actor=district_staff, title="  پارک   محله ", district=district, neighborhoods=[neighborhood]
    )
    assert project.title == "پارک محله"
    change = PhaseChange.objects.get(project=project)
    assert (change.from_phase, change.to_phase, change.changed_by) == ("", Phase.PROPOSED, district_staff)
    assert [e.action for e in history(project)] == ["project.created"]


def test_staff_cannot_create_outside_their_district(district_staff, other_district):
    with pytest.raises(PermissionDenied):
        project_create(actor=district_staff, title="x", district=other_district)


def test_neighbourhoods_must_belong_to_the_district(district_staff, district, other_district):
    elsewhere = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    with pytest.raises(ValidationError) as err:
        project_create(actor=district_staff, title="x", district=district, neighborhoods=[elsewhere])
    assert "neighborhoods" in err.value.message_dict


def test_phase_walk_records_who_when_and_why(project, district_staff):
    for phase in (Phase.UNDER_REVIEW, Phase.APPROVED, Phase.IN_EXECUTION, Phase.COMPLETED):
        project_change_phase(project=project, actor=district_staff, to_phase=phase, note=f"to {phase}")
    project.refresh_from_db()
    assert project.phase == Phase.COMPLETED
    assert project.progress == 100
    changes = list(project.phase_changes.order_by("changed_at", "id"))
    assert [c.to_phase for c in changes] == [Phase.UNDER_REVIEW, Phase.APPROVED, Phase.IN_EXECUTION, Phase.COMPLETED]
    assert all(c.changed_by == district_staff for c in changes)
    assert changes[-1].note == "to completed"
    assert [e.action for e in history(project)].count("project.phase_changed") == 4


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Phase.PROPOSED, Phase.APPROVED),
        (Phase.PROPOSED, Phase.COMPLETED),
        (Phase.IN_EXECUTION, Phase.REJECTED),
        (Phase.COMPLETED, Phase.PROPOSED),
        (Phase.APPROVED, Phase.PROPOSED),
    ],
)
def test_illegal_phase_moves_are_refused(district, district_staff, start, target):
    project = factories.ProjectFactory(district=district, phase=start)
    with pytest.raises(ValidationError) as err:
        project_change_phase(project=project, actor=district_staff, to_phase=target)
    assert "phase" in err.value.message_dict
    project.refresh_from_db()
    assert project.phase == start
    assert not project.phase_changes.exists()


def test_other_district_staff_cannot_change_phase(project, other_district_staff):
    with pytest.raises(PermissionDenied):
        project_change_phase(project=project, actor=other_district_staff, to_phase=Phase.UNDER_REVIEW)


@pytest.mark.parametrize("phase", list(Phase))
def test_support_only_in_supportable_phases(district, citizen, phase):
    project = factories.ProjectFactory(district=district, phase=phase)
    if phase in SUPPORTABLE_PHASES:
        assert support_cast(project=project, user=citizen) is True
        assert project.support_count == 1
        assert support_withdraw(project=project, user=citizen) is True
        assert project.support_count == 0
    else:
        with pytest.raises(ValidationError):
            support_cast(project=project, user=citizen)
        assert not Support.objects.exists()


def test_support_is_frozen_once_the_project_moves_on(project, citizen, district_staff):
    support_cast(project=project, user=citizen)
    project_change_phase(project=project, actor=district_staff, to_phase=Phase.UNDER_REVIEW)
    project_change_phase(project=project, actor=district_staff, to_phase=Phase.APPROVED)
    with pytest.raises(ValidationError):
        support_withdraw(project=project, user=citizen)
    project.refresh_from_db()
    assert project.support_count == 1


def test_official_update_needs_text_and_scope(project, district_staff, other_district_staff):
    with pytest.raises(ValidationError):
        project_post_update(project=project, actor=district_staff, text="   ")
    with pytest.raises(PermissionDenied):
        project_post_update(project=project, actor=other_district_staff, text="x")
    update = project_post_update(project=project, actor=district_staff, text="گزارش پیشرفت")
    assert update.author == district_staff
    assert "project.update_posted" in [e.action for e in history(project)]
