"""Page-cache topics of places, boards and need reports: which writes make which cached pages stale."""

from __future__ import annotations

from core import pagecache
from neighborhoods.models import Announcement, NeedReport, NeighborhoodHouse, TrusteeBoard, Trusteeship
from places.models import Area, City, District, Neighborhood

PLACES = "places"
# Sent announcements, kept in the cache for every page that lists them (``selectors.announcements_of``).
ANNOUNCEMENTS = "announcements"


def register() -> None:
    """Called from ``NeighborhoodsConfig.ready()``."""
    for model in (City, District, Area, Neighborhood, NeighborhoodHouse, TrusteeBoard, Trusteeship, NeedReport):
        pagecache.watch(model, (PLACES,))
    pagecache.watch(Announcement, (PLACES, ANNOUNCEMENTS))
    for model in (City, District, Neighborhood):
        pagecache.cache_lists(model, PLACES)
    pagecache.cache_view("neighborhoods:index", lambda kw: (PLACES,))
    pagecache.cache_view("neighborhoods:neighborhood_detail", lambda kw: (PLACES,))
    pagecache.cache_view("neighborhoods:district_detail", lambda kw: (PLACES,))
