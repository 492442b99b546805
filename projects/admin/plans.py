"""The organisations' plan review gains one action here: an accepted plan becomes a project.

Projects sit above organisations, so this app extends the plan admin rather
than the plan admin reaching up into projects.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import run_for_each
from ngos.admin.club import PlanAdmin as ReviewPlanAdmin
from ngos.models import Plan
from projects.services import project_create_from_plan


class PlanAdmin(ReviewPlanAdmin):
    actions = [*ReviewPlanAdmin.actions, "create_project"]

    @admin.action(description=_("Create a project from the plan"), permissions=["review"])
    def create_project(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.select_related("organization"),
            lambda plan: project_create_from_plan(plan=plan, actor=request.user),
            gettext("%(count)s project(s) created from plans."),
        )


admin.site.unregister(Plan)
admin.site.register(Plan, PlanAdmin)
