from django.urls import path

from notifications.views import follow
from projects.views import budgeting, exports, ideas, participation, projects

app_name = "projects"

urlpatterns = [
    path("projects/", projects.project_list_view, name="list"),
    path("projects/export.csv", exports.projects_csv_view, name="export_csv"),
    path("projects/export.json", exports.projects_json_view, name="export_json"),
    path("projects/<int:pk>/", projects.project_detail_view, name="detail"),
    path("projects/<int:pk>/support/", participation.support_view, name="support"),
    path("projects/<int:pk>/follow/", follow, {"kind": "project"}, name="follow_project"),
    path("projects/<int:pk>/comments/", participation.comment_create_view, name="comment_create"),
    path("projects/<int:pk>/comments/export/", exports.project_comments_export_view, name="project_comments_export"),
    path("projects/<int:pk>/comments/<int:comment_id>/edit/", participation.comment_edit_view, name="comment_edit"),
    path(
        "projects/<int:pk>/comments/<int:comment_id>/delete/",
        participation.comment_delete_view,
        name="comment_delete",
    ),
    path("projects/<int:pk>/comments/<int:comment_id>/flag/", participation.comment_flag_view, name="comment_flag"),
    path(
        "projects/districts/<int:district_id>/comments/export/",
        exports.district_comments_export_view,
        name="district_comments_export",
    ),
    path("budgeting/", budgeting.round_list_view, name="budgeting"),
    path("budgeting/<int:pk>/", budgeting.round_detail_view, name="round"),
    path("budgeting/<int:pk>/ballot/withdraw/", budgeting.ballot_withdraw_view, name="ballot_withdraw"),
    path("ideas/", ideas.idea_index_view, name="ideas"),
    path("ideas/<int:round_id>/submit/", ideas.idea_submit_view, name="idea_submit"),
]
