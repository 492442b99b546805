"""Searchable pickers in the admin: Django's autocomplete, limited to what the referring field accepts.

A staff member's change form offers the rows of the districts they serve
(``StaffAdmin.scoped_choices``); the autocomplete that fills the form must offer
the same rows and no others, or a district's staff member could read every
neighbourhood's and organisation's name through it. The autocomplete view asks
the target admin for its rows; ``referring_choices`` narrows them to the
choices of the form field that asked (app_label/model_name/field_name in the
request), as the source admin builds that field for this user. Results are
labelled by the target admin's ``autocomplete_label`` (a neighbourhood with its
district), the same label the chosen values show.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet


def is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def referring_choices(admin_site, request) -> QuerySet | None:
    """The rows the referring form field accepts for this user, or ``None`` when no registered field asked."""
    params = request.GET
    try:
        model = apps.get_model(params.get("app_label", ""), params.get("model_name", ""))
        field = model._meta.get_field(params.get("field_name", ""))
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    source_admin = admin_site._registry.get(model)
    if source_admin is None or not field.is_relation or field.auto_created:
        return None
    formfield = source_admin.formfield_for_dbfield(field, request)
    return getattr(formfield, "queryset", None)


class AutocompleteScopeMixin:
    """On every staff admin: as an autocomplete's target, answer only the referring field's choices.

    Narrowed in ``get_queryset``, which the autocomplete view reads before it
    searches, so an admin with its own ``get_search_results`` cannot skip it.
    ``autocomplete_select_related`` names what ``autocomplete_label`` reads.
    """

    autocomplete_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_autocomplete(request):
            return queryset
        if self.autocomplete_select_related:
            queryset = queryset.select_related(*self.autocomplete_select_related)
        choices = referring_choices(self.admin_site, request)
        if choices is None:
            return queryset.none()
        return queryset.filter(pk__in=choices.values("pk"))

    def autocomplete_label(self, obj) -> str:
        return str(obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A related field names its rows as the target admin's autocomplete does."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        remote = getattr(db_field, "remote_field", None)
        target = self.admin_site._registry.get(remote.model) if remote is not None else None
        if formfield is not None and isinstance(target, AutocompleteScopeMixin) and hasattr(formfield, "queryset"):
            formfield.label_from_instance = target.autocomplete_label
            if target.autocomplete_select_related:
                formfield.queryset = formfield.queryset.select_related(*target.autocomplete_select_related)
        return formfield


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answer, each row named by its admin's ``autocomplete_label``."""

    def serialize_result(self, obj, to_field_name):
        label = getattr(self.model_admin, "autocomplete_label", str)
        return {"id": str(getattr(obj, to_field_name)), "text": label(obj)}


def install(site) -> None:
    """The site's autocomplete view answers with the labelled rows."""

    def autocomplete_view(request):
        return LabelledAutocompleteJsonView.as_view(admin_site=site)(request)

    site.autocomplete_view = autocomplete_view
