import io

import pytest

from accounts import demo as accounts_demo
from ngos import demo
from ngos.models import (
    Meeting,
    Membership,
    Opportunity,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Plan,
    PlanStatus,
)
from places import demo as places_demo


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent():
    out = io.StringIO()
    places_demo.seed(out)
    accounts_demo.seed(out)
    demo.seed(out)
    counts = (Organization.objects.count(), Plan.objects.count(), Meeting.objects.count(), Opportunity.objects.count())
    assert counts[0] >= 40
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    assert set(Organization.objects.values_list("status", flat=True)) == set(OrganizationStatus.values)
    assert Organization.objects.values("districts").distinct().count() > 10
    assert not Organization.objects.filter(memberships__isnull=True).exists()
    assert counts[1] and counts[2] and counts[3]
    # Every waiting state has a few rows, so staff see the decision buttons on their pages.
    assert Organization.objects.filter(status=OrganizationStatus.SUBMITTED).count() >= 3
    assert Plan.objects.filter(status=PlanStatus.SUBMITTED).count() >= 3
    assert Plan.objects.filter(status=PlanStatus.UNDER_REVIEW).count() >= 2
    manager = Membership.objects.first().user
    assert manager.check_password(accounts_demo.DEMO_PASSWORD)
    demo.seed(out)
    assert counts == (
        Organization.objects.count(),
        Plan.objects.count(),
        Meeting.objects.count(),
        Opportunity.objects.count(),
    )
