from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        register_action_labels(
            {
                "project.phase_changed": _("Project moved to a new phase"),
                "project.update_posted": _("Official update posted"),
                "project.image_added": _("Project photo added"),
                "project.image_removed": _("Project photo removed"),
                "comment.approved": _("Comment approved"),
                "comment.rejected": _("Comment rejected"),
                "comment.decision_undone": _("Comment decision undone"),
                "comment.hidden_by_flags": _("Comment hidden after reports"),
                "budgeting.cycle_created": _("Budgeting cycle started"),
                "budgeting.cycle_changed": _("Budgeting cycle changed"),
                "budgeting.cycle_deleted": _("Budgeting cycle deleted"),
                "budgeting.round_created": _("Budgeting round created"),
                "budgeting.round_changed": _("Budgeting round changed"),
                "budgeting.round_deleted": _("Budgeting round deleted"),
                "budgeting.round_opened": _("Budgeting round opened for voting"),
                "budgeting.results_published": _("Budgeting results published"),
                "ideas.round_created": _("Call for ideas created"),
                "ideas.round_changed": _("Call for ideas changed"),
                "ideas.round_deleted": _("Call for ideas deleted"),
                "ideas.accepted": _("Idea accepted as a project"),
                "ideas.returned": _("Idea returned with a reason"),
            }
        )
        from projects import topics

        topics.register()
        # Its work queues and activity on the staff dashboard (the admin index).
        from projects import selectors as dashboard_entries

        dashboard_entries.register_dashboard()
        # Counters stay exact when an account's supports and comments go by cascade.
        from projects import counters, moderation

        counters.connect_signals()
        moderation.connect_signals()
        # Its notification events, and projects as something people follow.
        from notifications.events import register
        from notifications.subscriptions import register_kind
        from projects import events
        from projects.models import Project

        register(*events.ALL)
        register_kind(name="project", model=Project)
        # A citizen's export: what they said, supported, voted for and proposed.
        from accounts.personal_data import register_section
        from projects import selectors

        register_section("comments", selectors.my_comments)
        register_section("supports", selectors.my_supports)
        register_section("ballots", selectors.my_ballots)
        register_section("ideas", selectors.my_ideas)
