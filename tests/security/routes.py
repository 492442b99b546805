"""Every URL pattern of the portal, read from the resolver, and how to fill it from the world."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.security.scene import World


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the full pattern text
    params: tuple[str, ...]  # the URL parameters, e.g. ("pk",)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = tuple(entry.pattern.regex.groupindex) + tuple(
                p for p in getattr(entry.pattern, "converters", {}) if p not in entry.pattern.regex.groupindex
            )
            full = prefix + str(entry.pattern)
            prefix_params = tuple(resolver.pattern.regex.groupindex)
            yield Route(name, full, tuple(dict.fromkeys(prefix_params + params)))


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver()):
        seen.setdefault(route.name, route)
    return list(seen.values())


def object_routes() -> list[Route]:
    """Routes that name one object: any parameter other than a fixed word (section, answer, decision, kind)."""
    words = {"section", "answer", "decision", "kind", "format", "app_label", "url"}
    return [r for r in all_routes() if set(r.params) - words]


def page_kwargs(world: World) -> dict[str, dict]:
    """URL kwargs of every page and API route that takes an object, filled with the world's first records."""
    w = world
    pk = lambda obj: {"pk": obj.pk}  # noqa: E731
    return {
        # neighbourhoods
        "neighborhoods:neighborhood_detail": pk(w.neighborhood),
        "neighborhoods:need_create": pk(w.neighborhood),
        "neighborhoods:district_detail": pk(w.district),
        "neighborhoods:need_detail": pk(w.need),
        "neighborhoods:need_status": pk(w.need),
        "neighborhoods:trusteeship_decree": pk(w.trusteeship),
        # organisations
        "ngos:detail": pk(w.organization),
        "ngos:manage": pk(w.organization),
        "ngos:edit": pk(w.organization),
        "ngos:edit_section": {"pk": w.organization.pk, "section": "contacts"},
        "ngos:submit": pk(w.draft),
        "ngos:licence_document": pk(w.organization),
        "ngos:managers": pk(w.organization),
        "ngos:manager_remove": {"pk": w.organization.pk, "membership_pk": w.second_membership.pk},
        "ngos:invitation_revoke": {"pk": w.organization.pk, "invitation_pk": w.invitation.pk},
        "ngos:invitation": {"invitation_pk": w.invitation.pk, "answer": "accept"},
        "ngos:plans": pk(w.organization),
        "ngos:plan_new": pk(w.organization),
        "ngos:plan_detail": {"plan_pk": w.plan.pk},
        "ngos:plan_edit": {"plan_pk": w.returned_plan.pk},
        "ngos:plan_attachment": {"plan_pk": w.plan.pk},
        "ngos:meeting_detail": {"meeting_pk": w.meeting.pk},
        "ngos:meeting_rsvp": {"meeting_pk": w.meeting.pk},
        "ngos:opportunities": pk(w.organization),
        "ngos:opportunity_new": pk(w.organization),
        "ngos:opportunity": {"opportunity_pk": w.opportunity.pk},
        "ngos:apply": {"opportunity_pk": w.opportunity.pk},
        "ngos:opportunity_close": {"opportunity_pk": w.opportunity.pk},
        "ngos:application_withdraw": {"application_pk": w.application.pk},
        "ngos:application_decide": {"application_pk": w.application.pk, "decision": "accept"},
        # projects
        "projects:detail": pk(w.project),
        "projects:support": pk(w.project),
        "projects:follow_project": pk(w.project),
        "projects:comment_create": pk(w.project),
        "projects:project_comments_export": pk(w.project),
        "projects:comment_edit": {"pk": w.project.pk, "comment_id": w.comment.pk},
        "projects:comment_delete": {"pk": w.project.pk, "comment_id": w.comment.pk},
        "projects:comment_flag": {"pk": w.project.pk, "comment_id": w.reply.pk},
        "projects:district_comments_export": {"district_id": w.district.pk},
        "projects:round": pk(w.round),
        "projects:ballot_withdraw": pk(w.round),
        "projects:idea_submit": {"round_id": w.idea_round.pk},
        # notifications
        "notifications:follow": {"kind": "neighborhood", "pk": w.neighborhood.pk},
        "notifications:mark_read": pk(w.notification),
        # API
        "api:city-detail": pk(w.city),
        "api:district-detail": pk(w.district),
        "api:district-follow": pk(w.district),
        "api:neighborhood-detail": pk(w.neighborhood),
        "api:neighborhood-follow": pk(w.neighborhood),
        "api:trustee-board-detail": pk(w.board),
        "api:need-report-detail": pk(w.need),
        "api:need-report-change-status": pk(w.need),
        "api:need-report-history": pk(w.need),
        "api:organization-detail": pk(w.organization),
        "api:organization-follow": pk(w.organization),
        "api:organization-history": pk(w.organization),
        "api:organization-invitations": pk(w.organization),
        "api:organization-managers": pk(w.organization),
        "api:organization-reinstate": pk(w.organization),
        "api:organization-reject": pk(w.organization),
        "api:organization-remove-manager": {"pk": w.organization.pk, "membership_pk": w.second_membership.pk},
        "api:organization-request-changes": pk(w.organization),
        "api:organization-submit": pk(w.draft),
        "api:organization-suspend": pk(w.organization),
        "api:organization-verify": pk(w.draft),
        "api:plan-detail": pk(w.plan),
        "api:plan-resubmit": pk(w.returned_plan),
        "api:plan-review": pk(w.plan),
        "api:plan-project-create": pk(w.accepted_plan),
        "api:meeting-detail": pk(w.meeting),
        "api:meeting-minutes": pk(w.meeting),
        "api:meeting-rsvp": pk(w.meeting),
        "api:opportunity-detail": pk(w.opportunity),
        "api:opportunity-apply": pk(w.opportunity),
        "api:opportunity-close": pk(w.opportunity),
        "api:application-detail": pk(w.application),
        "api:application-accept": pk(w.application),
        "api:application-decline": pk(w.application),
        "api:application-withdraw": pk(w.application),
        "api:project-detail": pk(w.project),
        "api:project-comments": pk(w.project),
        "api:project-follow": pk(w.project),
        "api:project-support": pk(w.project),
        "api:project-flag": {"pk": w.project.pk, "comment_id": w.reply.pk},
        "api:budgeting-round-detail": pk(w.round),
        "api:budgeting-round-ballot": pk(w.round),
        "api:notification-detail": pk(w.notification),
        "api:notification-read": pk(w.notification),
        "api:me-token-detail": pk(w.api_token),
    }


def url_of(world: World, route: Route, kwargs: dict | None = None) -> str:
    if kwargs is None:
        kwargs = page_kwargs(world).get(route.name, {})
    return reverse(route.name, kwargs=kwargs)


def close_quietly(response) -> None:
    """Close a (file) response's resources without ending the test's database connection.

    ``response.close()`` sends ``request_finished``, whose handler would close
    the connection the test's transaction lives on; the test client mutes it
    the same way.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def body_of(response) -> str:
    """The response text, streamed or not."""
    if getattr(response, "streaming", False):
        text = b"".join(response.streaming_content)
        close_quietly(response)
        return text.decode(errors="replace")
    return response.content.decode(errors="replace")
