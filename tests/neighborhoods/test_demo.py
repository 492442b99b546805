from io import StringIO

import pytest

from neighborhoods import demo
from neighborhoods.models import NeedReport, NeedStatus, TrusteeBoard, Trusteeship
from places import demo as places_demo
from places.models import District, Neighborhood


def counts():
    return (
        District.objects.count(),
        Neighborhood.objects.count(),
        TrusteeBoard.objects.count(),
        Trusteeship.objects.count(),
        NeedReport.objects.count(),
    )


@pytest.mark.django_db
def test_demo_seed_is_complete_and_idempotent():
    places_demo.seed(StringIO())
    demo.seed(StringIO())
    first = counts()
    districts, places, boards, members, needs = first
    assert districts == 22 + 1 and 330 <= places <= 370  # Tehran's 22 and Kashan's one
    assert boards > 40 and members > 5 * boards and needs == 2 * boards
    assert Trusteeship.objects.filter(term_end__lt="2023-01-01").count() == boards  # ended terms on record
    assert set(NeedReport.objects.values_list("status", flat=True)) == set(NeedStatus.values)
    assert Trusteeship.objects.filter(user__isnull=False).count() == 1  # the demo trustee can sign in
    places_demo.seed(StringIO())
    demo.seed(StringIO())
    assert counts() == first
