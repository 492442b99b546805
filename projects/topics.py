"""Page-cache topics of projects: which writes make which cached pages stale."""

from __future__ import annotations

from collections.abc import Iterable

from core import pagecache
from neighborhoods import activity
from neighborhoods.topics import PLACES
from ngos.topics import ORGANIZATIONS
from places.models import CityParticipationSettings
from projects import selectors
from projects.models import Comment, PhaseChange, Project, ProjectImage, ProjectUpdate, ProjectUpdateImage, Support

PROJECTS = "projects"


def project_topic(project_id) -> str:
    return f"project:{project_id}"


def bump_project(project_id) -> None:
    """A project changed: its own page and every list that shows it."""
    pagecache.bump(PROJECTS, project_topic(project_id))


def _of_project(instance, **kwargs) -> Iterable[str]:
    return (PROJECTS, project_topic(instance.pk if isinstance(instance, Project) else instance.project_id))


def _of_update_image(instance, **kwargs) -> Iterable[str]:
    project_id = ProjectUpdate.objects.filter(pk=instance.update_id).values_list("project_id", flat=True).first()
    return (PROJECTS, *([project_topic(project_id)] if project_id else []))


def _of_neighborhood_change(instance, **kwargs) -> Iterable[str]:
    """``project.neighborhoods`` changed; from the neighbourhood's side the projects are in ``pk_set``."""
    if kwargs.get("reverse"):
        return (PROJECTS, *(project_topic(pk) for pk in kwargs.get("pk_set") or ()))
    return (PROJECTS, project_topic(instance.pk))


def register() -> None:
    """Called from ``ProjectsConfig.ready()``: cached pages and what place pages show of projects."""
    for model in (Project, ProjectImage, PhaseChange, ProjectUpdate, Comment, Support):
        pagecache.watch(model, _of_project)
    pagecache.watch(ProjectUpdateImage, _of_update_image)
    pagecache.watch(CityParticipationSettings, (PROJECTS,))
    pagecache.watch_relation(Project.neighborhoods, _of_neighborhood_change)
    pagecache.cache_lists(Project, PROJECTS, PLACES)
    pagecache.cache_view("projects:list", lambda kw: (PROJECTS, PLACES))
    pagecache.cache_view("projects:detail", lambda kw: (project_topic(kw.get("pk")), PLACES, ORGANIZATIONS))
    # Place pages list the projects there.
    pagecache.cache_view("neighborhoods:neighborhood_detail", lambda kw: (PROJECTS,))
    pagecache.cache_view("neighborhoods:district_detail", lambda kw: (PROJECTS,))
    activity.register("district", selectors.district_projects_activity)
    activity.register("neighborhood", selectors.neighborhood_projects_activity)
