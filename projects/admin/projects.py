"""Projects in the admin: Jalali dates, phase changes through the service, updates inline, the import."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import scope
from core.admin import ReadOnlyInline, ServiceInline, StaffAdmin, admin_jalali_field
from core.importing import ImportFileError, check_size, limits
from core.tasks import enqueue_on_commit
from core.uploads import IMAGE_KINDS, validate_upload
from core.web import add_service_errors
from neighborhoods.models import TrusteeBoard
from ngos.models import Organization
from places.models import City, District, Neighborhood
from projects import conf, exports
from projects.admin import campaigns
from projects.importing import submit_import
from projects.models import (
    PHASE_TRANSITIONS,
    Comment,
    CommentStatus,
    ImportJob,
    Phase,
    PhaseChange,
    Project,
    ProjectImage,
    ProjectUpdate,
)
from projects.selectors import project_campaign_signals
from projects.services import (
    project_add_image,
    project_change_phase,
    project_delete,
    project_image_update,
    project_post_update,
    project_register,
    project_remove_image,
    project_update,
)
from projects.services.projects import check_neighborhoods
from projects.tasks import import_projects_job


class ProjectAdminForm(forms.ModelForm):
    start_date = admin_jalali_field(label=_("start date"), required=False)
    end_date = admin_jalali_field(label=_("end date"), required=False)
    new_phase = forms.ChoiceField(label=_("move to phase"), required=False, choices=())
    phase_note = forms.CharField(
        label=_("phase change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public timeline with the phase change."),
    )

    class Meta:
        model = Project
        fields = (
            "title",
            "description",
            "category",
            "district",
            "neighborhoods",
            "budget",
            "responsible_unit",
            "proposer_kind",
            "proposer_name",
            "proposer_organization",
            "proposer_board",
            "phase",
            "progress",
            "start_date",
            "end_date",
            "latitude",
            "longitude",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = PHASE_TRANSITIONS.get(self.instance.phase, ()) if self.instance.pk else ()
        self.fields["new_phase"].choices = [("", "—")] + [(p.value, p.label) for p in Phase if p in allowed]

    def clean(self):
        data = super().clean()
        district, hoods = data.get("district"), data.get("neighborhoods")
        if district is not None and hoods:
            try:
                check_neighborhoods(district, hoods)
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data


class ProjectImageForm(forms.ModelForm):
    class Meta:
        model = ProjectImage
        fields = ("image", "caption", "position")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            return validate_upload(image, kinds=IMAGE_KINDS)
        return image


class ProjectImageInline(ServiceInline, admin.TabularInline):
    """The gallery: whoever may change the project may add, re-caption and remove its images."""

    model = ProjectImage
    form = ProjectImageForm
    extra = 0

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True

    def has_view_permission(self, request, obj=None):
        return True

    def save_rows(self, request, parent, rows):
        for form, _image in rows.added:
            data = form.cleaned_data
            project_add_image(
                project=parent,
                actor=request.user,
                image=data["image"],
                caption=data.get("caption", ""),
                position=data.get("position"),
            )
        for _form, image in rows.changed:
            project_image_update(actor=request.user, image=image, caption=image.caption, position=image.position)
        for image in rows.deleted:
            project_remove_image(actor=request.user, image=image)


class ProjectUpdateForm(forms.ModelForm):
    image = forms.ImageField(label=_("image"), required=False)

    class Meta:
        model = ProjectUpdate
        fields = ("text",)


class ProjectUpdateInline(ServiceInline, admin.StackedInline):
    """New official updates go through the service (audit, notifications); posted ones stay as they are."""

    model = ProjectUpdate
    form = ProjectUpdateForm
    extra = 1
    readonly_fields = ("author", "created_at")

    @admin.display(description=_("image"))
    def image(self, obj: ProjectUpdate) -> str:
        """A posted update's photos (the form's image box is for a new update)."""
        photos = list(obj.images.all()) if obj is not None and obj.pk else []
        if not photos:
            return "—"
        return format_html_join("، ", '<a href="{}">{}</a>', ((p.image.url, p.caption or _("image")) for p in photos))

    def save_rows(self, request, parent, rows):
        for form, _update in rows.added:
            image = form.cleaned_data.get("image")
            project_post_update(
                project=parent, actor=request.user, text=form.cleaned_data["text"], images=[image] if image else []
            )

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class PhaseChangeInline(ReadOnlyInline, admin.TabularInline):
    """The timeline is written by the phase service."""

    model = PhaseChange
    fields = ("changed_at", "from_phase", "to_phase", "note", "changed_by")
    readonly_fields = fields


class ImportForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("See docs/projects-import.md for the columns."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = scope.scope_to_districts(District.objects.all(), user, "id")
        self.fields["city"].queryset = City.objects.filter(districts__in=districts).distinct().order_by("name")

    def clean_file(self):
        """Refuse an oversized file before it is read into memory."""
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, limits(max_rows=conf.import_max_rows()))
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@admin.register(Project)
class ProjectAdmin(StaffAdmin):
    form = ProjectAdminForm
    district_path = "district"
    change_list_template = "admin/projects/project/change_list.html"
    list_display = (
        "title",
        "district",
        "phase",
        "category",
        "progress",
        "support_count",
        "comment_count",
        "created_at",
    )
    list_filter = (
        "phase",
        "category",
        "proposer_kind",
        ("district__city", admin.RelatedOnlyFieldListFilter),
        ("district", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("district",)
    search_fields = ("title",)
    # Searchable pickers offering only the rows of the user's districts (core.admin.pickers).
    autocomplete_fields = ("neighborhoods", "proposer_organization", "proposer_board")
    scoped_choices = {
        "district": (District, "id"),
        "neighborhoods": (Neighborhood, "district"),
        "proposer_organization": (Organization, "districts"),
        "proposer_board": (TrusteeBoard, "neighborhood__district"),
    }
    readonly_fields = ("support_count", "comment_count", "source_plan", "created_at", "updated_at")
    inlines = (ProjectImageInline, ProjectUpdateInline, PhaseChangeInline)
    actions = ("export_comments",)
    list_per_page = 50

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None:
            fields = [f for f in fields if f not in ("new_phase", "phase_note")]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "phase", "campaign_signals"] if obj is not None else fields

    @admin.display(description=_("signs of a campaign"))
    def campaign_signals(self, obj):
        return campaigns.render(project_campaign_signals(obj), campaigns.SUPPORTS)

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        neighborhoods = form.cleaned_data.get("neighborhoods")
        if not change:
            project_register(actor=request.user, project=obj, neighborhoods=neighborhoods or ())
            return
        project_update(actor=request.user, project=obj, neighborhoods=neighborhoods)
        new_phase = form.cleaned_data.get("new_phase")
        if new_phase:
            project_change_phase(
                project=obj, actor=request.user, to_phase=new_phase, note=form.cleaned_data.get("phase_note", "")
            )

    def delete_model(self, request, obj):
        project_delete(actor=request.user, project=obj)

    # --- import ---------------------------------------------------------------
    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="projects_project_import",
            ),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="projects_project_import_job",
            ),
            path(
                "import/<int:job_id>/progress/",
                self.admin_site.admin_view(self.import_job_progress_view),
                name="projects_project_import_job_progress",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            submission = submit_import(
                actor=request.user,
                city=form.cleaned_data["city"],
                data=upload.read(),
                filename=upload.name,
                max_rows=conf.import_max_rows(),
                background=True,
            )
            if submission.job is not None:
                enqueue_on_commit(import_projects_job, submission.job.pk)
                return HttpResponseRedirect(reverse("admin:projects_project_import_job", args=[submission.job.pk]))
            result = submission.result
            if result.ok:
                self.message_user(
                    request,
                    gettext("%(count)s projects imported.") % {"count": result.created},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:projects_project_changelist"))
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import projects"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/projects/project/import.html", context, status=400 if errors else 200)

    def _import_job(self, request, job_id: int) -> ImportJob:
        """The job, for the staff member who sent it and superusers only."""
        job = get_object_or_404(ImportJob, pk=job_id)
        if not self.has_add_permission(request) or not (
            request.user.is_superuser or job.created_by_id == request.user.pk
        ):
            raise PermissionDenied
        return job

    def import_job_view(self, request, job_id: int):
        """A queued import's progress and outcome; the status part polls its own URL until the task has finished."""
        job = self._import_job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import projects"),
            "job": job,
        }
        return TemplateResponse(request, "admin/projects/project/import_job.html", context)

    def import_job_progress_view(self, request, job_id: int):
        """The status part of the job's page alone (htmx polls it): one row read, whatever the size of the file."""
        job = self._import_job(request, job_id)
        return TemplateResponse(request, "admin/projects/project/import_job_status.html", {"job": job})

    # --- actions --------------------------------------------------------------
    @admin.action(description=_("Export the published comments of the selected projects (XLSX)"))
    def export_comments(self, request, queryset):
        from django.http import HttpResponse

        comments = (
            Comment.objects.filter(project__in=queryset, status=CommentStatus.PUBLISHED)
            .select_related("project__district", "author")
            .order_by("project_id", "created_at", "id")
        )
        body = exports.xlsx_bytes(exports.COMMENT_COLUMNS, exports.comment_rows(comments))
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="comments.xlsx"'
        return response
