"""Page-cache topics of the organisation registry: which writes make which cached pages stale."""

from __future__ import annotations

from core import pagecache
from neighborhoods import activity
from neighborhoods.topics import PLACES
from ngos import selectors
from ngos.models import Organization, OrganizationActivity

ORGANIZATIONS = "organizations"


def register() -> None:
    """Called from ``NgosConfig.ready()``: cached pages and what place pages show of organisations."""
    pagecache.watch(Organization, (ORGANIZATIONS,))
    pagecache.watch(OrganizationActivity, (ORGANIZATIONS,))
    pagecache.watch_relation(Organization.districts, (ORGANIZATIONS,))
    pagecache.watch_relation(Organization.neighborhoods, (ORGANIZATIONS,))
    pagecache.cache_lists(Organization, ORGANIZATIONS, PLACES)
    pagecache.cache_view("ngos:directory", lambda kw: (ORGANIZATIONS, PLACES))
    pagecache.cache_view("ngos:detail", lambda kw: (ORGANIZATIONS, PLACES))
    # Place pages count the organisations serving them.
    pagecache.cache_view("neighborhoods:neighborhood_detail", lambda kw: (ORGANIZATIONS,))
    pagecache.cache_view("neighborhoods:district_detail", lambda kw: (ORGANIZATIONS,))
    activity.register("district", selectors.district_organizations_activity)
    activity.register("neighborhood", selectors.neighborhood_organizations_activity)
