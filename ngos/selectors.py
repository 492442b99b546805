"""Reads of the registry that other pages share."""

from __future__ import annotations

from ngos.models import Organization


# --- what place pages show of organisations (neighborhoods.activity) ---------------------
def district_organizations_activity(district) -> dict:
    return {"organization_count": Organization.objects.public().filter(districts=district).count()}


def neighborhood_organizations_activity(neighborhood) -> dict:
    return {"organization_count": Organization.objects.public().filter(neighborhoods=neighborhood).count()}
