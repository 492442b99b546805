from django.urls import path

from ngos.views import directory, files, manage, plans, volunteers

app_name = "ngos"

urlpatterns = [
    # public directory and open data
    path("organizations/", directory.directory, name="directory"),
    path("organizations/export.csv", directory.export_csv, name="export_csv"),
    path("organizations/export.json", directory.export_json, name="export_json"),
    path("organizations/<int:pk>/", directory.detail, name="detail"),
    # managers
    path("organizations/register/", manage.register, name="register"),
    path("organizations/dashboard/", manage.dashboard, name="dashboard"),
    path("organizations/<int:pk>/manage/", manage.manage, name="manage"),
    path("organizations/<int:pk>/edit/", manage.edit, name="edit"),
    path("organizations/<int:pk>/edit/<slug:section>/", manage.edit, name="edit_section"),
    path("organizations/<int:pk>/submit/", manage.submit, name="submit"),
    path("organizations/<int:pk>/licence/", files.licence_document, name="licence_document"),
    path("organizations/<int:pk>/managers/", manage.managers, name="managers"),
    path("organizations/<int:pk>/managers/<int:membership_pk>/remove/", manage.manager_remove, name="manager_remove"),
    path(
        "organizations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        manage.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organizations/invitations/<int:invitation_pk>/<slug:answer>/", manage.invitation_answer, name="invitation"),
    # plans and meetings
    path("organizations/<int:pk>/plans/", plans.organization_plans, name="plans"),
    path("organizations/<int:pk>/plans/new/", plans.plan_new, name="plan_new"),
    path("organizations/plans/<int:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("organizations/plans/<int:plan_pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("organizations/plans/<int:plan_pk>/attachment/", files.plan_attachment, name="plan_attachment"),
    path("organizations/meetings/", plans.meetings, name="meetings"),
    path("organizations/meetings/<int:meeting_pk>/", plans.meeting_detail, name="meeting_detail"),
    path("organizations/meetings/<int:meeting_pk>/rsvp/", plans.meeting_rsvp, name="meeting_rsvp"),
    # volunteer club
    path("organizations/<int:pk>/opportunities/", volunteers.organization_opportunities, name="opportunities"),
    path("organizations/<int:pk>/opportunities/new/", volunteers.opportunity_new, name="opportunity_new"),
    path("volunteer/", volunteers.opportunity_list, name="volunteer"),
    path("volunteer/profile/", volunteers.profile, name="volunteer_profile"),
    path("volunteer/applications/", volunteers.my_applications, name="my_applications"),
    path("volunteer/opportunities/<int:opportunity_pk>/", volunteers.opportunity_detail, name="opportunity"),
    path("volunteer/opportunities/<int:opportunity_pk>/apply/", volunteers.apply, name="apply"),
    path("volunteer/opportunities/<int:opportunity_pk>/close/", volunteers.close, name="opportunity_close"),
    path("volunteer/applications/<int:application_pk>/withdraw/", volunteers.withdraw, name="application_withdraw"),
    path("volunteer/applications/<int:application_pk>/<slug:decision>/", volunteers.decide, name="application_decide"),
]
