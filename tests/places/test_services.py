"""Places are written by ``places.services``: in the actor's scope, cleaned and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from core.audit import history
from places.models import Area
from places.services import place_save


@pytest.mark.django_db
def test_places_are_saved_in_the_actors_scope_cleaned_and_audited(district, other_district, district_staff):
    area = place_save(actor=district_staff, place=Area(district=district, name="ناحیه \u202eیک"))
    assert area.name == "ناحیه یک"
    assert [(e.action, e.actor_id) for e in history(area)] == [("area.created", district_staff.pk)]
    with pytest.raises(PermissionDenied):
        place_save(actor=district_staff, place=Area(district=other_district, name="ناحیه دو"))
    area.district = other_district  # moving it away needs the other district too
    with pytest.raises(PermissionDenied):
        place_save(actor=district_staff, place=area)
    area.district, area.name = district, "ناحیه ۱"
    place_save(actor=district_staff, place=area)
    assert history(area).last().changes == {"name": ["ناحیه یک", "ناحیه ۱"]}
    assert not Area.objects.filter(district=other_district).exists()
