from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgosConfig(AppConfig):
    name = "ngos"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        register_action_labels(
            {
                "organization.registered": _("Organisation registered"),
                "organization.submitted": _("Organisation sent for verification"),
                "organization.verified": _("Organisation verified"),
                "organization.rejected": _("Organisation rejected"),
                "organization.changes_requested": _("Organisation asked for changes"),
                "organization.suspended": _("Organisation suspended"),
                "organization.reinstated": _("Organisation's suspension lifted"),
                "organization.licence_changed": _("Licence changed, sent for verification again"),
                "organization.licence_expired": _("Licence expired"),
                "organization.manager_invited": _("Manager invited"),
                "organization.manager_joined": _("Manager joined"),
                "organization.invitation_revoked": _("Manager invitation withdrawn"),
                "organization.manager_removed": _("Manager removed"),
                "plan.submitted": _("Plan submitted"),
                "plan.resubmitted": _("Plan submitted again"),
                "plan.under_review": _("Plan taken under review"),
                "plan.accepted": _("Plan accepted"),
                "plan.returned": _("Plan returned with a comment"),
                "meeting.scheduled": _("Meeting scheduled"),
                "meeting.minutes_published": _("Meeting minutes published"),
                "opportunity.posted": _("Volunteer opportunity posted"),
                "opportunity.closed": _("Volunteer opportunity closed"),
                "application.accepted": _("Volunteer application accepted"),
                "application.declined": _("Volunteer application declined"),
            }
        )
        from ngos import topics

        topics.register()
        # Its work queues and activity on the staff dashboard (the admin index).
        from ngos import selectors as dashboard_entries

        dashboard_entries.register_dashboard()
        # Its notification events, and organisations as something people follow.
        from ngos import events
        from ngos.models import Organization
        from ngos.permissions import can_view_organization
        from notifications.events import register
        from notifications.subscriptions import register_kind

        register(*events.ALL)
        # Drafts and rejected profiles are not public: only who may see one may follow it.
        register_kind(name="organization", model=Organization, visible=can_view_organization)
        # A citizen's export, and the last manager of an organisation keeps their account until it is handed on.
        from accounts import personal_data
        from ngos import permissions, selectors

        personal_data.register_section("volunteer_profile", selectors.my_volunteer_profile)
        personal_data.register_section("volunteer_applications", selectors.my_volunteer_applications)
        personal_data.register_section("organisations_managed", selectors.my_organisations_managed)
        personal_data.register_deletion_check(permissions.account_deletion_blocker)
