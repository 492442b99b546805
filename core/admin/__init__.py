"""Admin pieces shared by every app: writes through services, read-only admins, Persian display, the audit trail.

The admin is one more door to the data, so it writes the way pages and the
API do: through the app's services, which clean the text, check the rule and
leave the audit entry. ``ServiceAdmin`` refuses to save or delete until a
subclass routes ``save_model``/``delete_model`` to a service; inline rows are
written by their inline's ``save_rows`` (``ServiceInline``). Admins and
inlines that write nothing say so (``ReadOnlyAdmin``/``ReadOnlyInline``).

``StaffAdmin`` is the one base of every app's model admins: ``ServiceAdmin``
with the district scope of staff, which ``accounts`` decides from the roles
and hands to the kernel (``core.scope``), so the apps below ``accounts``
(``places``) use the same base. Every value on every admin page is shown in
Jalali dates and Persian digits (``core.admin.display``), so admins name date
columns and read-only date fields as they are, with no Jalali columns of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from core import scope
from core.admin.display import PersianAdminMixin, install
from core.admin.pickers import AutocompleteScopeMixin
from core.forms import AdminJalaliDateInput, JalaliDateField, ReasonForm
from core.persian import format_number, normalize


def _refuses_writes(hook):
    """Mark the default hooks that refuse: the write-path test tells routed hooks from these."""
    hook.refuses_writes = True
    return hook


# --- writes through services --------------------------------------------------------
@dataclass
class InlineRows:
    """What an inline formset asks for, as rows; nothing is written yet.

    ``added`` and ``changed`` pair each form with its row (the row already
    carries the form's values and its parent); ``deleted`` are stored rows.
    """

    added: list[tuple[forms.ModelForm, models.Model]] = field(default_factory=list)
    changed: list[tuple[forms.ModelForm, models.Model]] = field(default_factory=list)
    deleted: list[models.Model] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


def inline_rows(formset, parent: models.Model) -> InlineRows:
    """The rows a validated inline formset adds, changes and deletes, without writing them.

    Also fills the formset's ``new_objects``/``changed_objects``/``deleted_objects``,
    which the admin reads for its change message.
    """
    rows = InlineRows()
    fk = getattr(formset, "fk", None)
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            rows.deleted.append(form.instance)
        elif form.has_changed():
            rows.changed.append((form, form.instance))
    for form in formset.extra_forms:
        if not form.has_changed() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        if fk is not None:
            setattr(form.instance, fk.name, parent)
        rows.added.append((form, form.instance))
    formset.new_objects = [row for _form, row in rows.added]
    formset.changed_objects = [(row, form.changed_data) for form, row in rows.changed]
    formset.deleted_objects = list(rows.deleted)
    return rows


def adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's ``obj`` the row a service saved (the service may have built its own instance).

    The admin then redirects to it and names it as stored, with its cleaned text.
    """
    for f in saved._meta.concrete_fields:
        setattr(obj, f.attname, getattr(saved, f.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class ServiceAdmin:
    """Writes go through the app's services; the defaults here refuse until a subclass routes them.

    A subclass defines ``save_model`` (and ``delete_model`` when it lets anyone
    delete) calling a service. The main form's many-to-many values are the
    service's to save, so ``save_related`` only hands each inline formset to
    its inline's ``save_rows``. Bulk deletion runs ``delete_model`` row by row
    after checking each row's permission, all or nothing.
    """

    @_refuses_writes
    def save_model(self, request, obj, form, change):
        raise ImproperlyConfigured(f"{type(self).__name__}.save_model must call a service.")

    @_refuses_writes
    def delete_model(self, request, obj):
        raise ImproperlyConfigured(f"{type(self).__name__}.delete_model must call a service.")

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        if not all(self.has_delete_permission(request, obj) for obj in rows):
            raise PermissionDenied
        with transaction.atomic():
            for obj in rows:
                self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        rows = inline_rows(formset, form.instance)
        inline = getattr(formset, "admin_inline", None)
        if isinstance(inline, ServiceInline):
            inline.save_rows(request, form.instance, rows)
        elif rows:
            raise ImproperlyConfigured(f"{type(inline).__name__} must save its rows through a service.")

    def get_formsets_with_inlines(self, request, obj=None):
        # Each formset class is made per request: tag it with the inline that writes its rows.
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.admin_inline = inline
            yield formset, inline


class ReadOnlyAdmin(ServiceAdmin):
    """Nobody adds, changes or deletes these rows in the admin, superusers included.

    Actions may still call services (a retry, a decision).
    """

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceInline:
    """An inline whose rows a service writes: define ``save_rows(request, parent, rows)``."""

    @_refuses_writes
    def save_rows(self, request, parent: models.Model, rows: InlineRows) -> None:
        raise ImproperlyConfigured(f"{type(self).__name__}.save_rows must call a service.")


class ReadOnlyInline:
    """Rows shown with their parent and never edited there (history, results, flags).

    The parent admin has already decided who may open the record.
    """

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def run_for_each(modeladmin, request, rows: Iterable, call: Callable, done_message: str) -> int:
    """Call a service per row; report the successes and each refusal with its reason."""
    done = 0
    for obj in rows:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else gettext("Not allowed.")
            modeladmin.message_user(request, f"{obj}: {reason}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": format_number(done)}, messages.SUCCESS)
    return done


def with_reason(modeladmin, request, queryset, title: str, act) -> TemplateResponse | None:
    """An admin action that asks for a reason on an intermediate page, then runs ``act(reason)``."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        act(form.cleaned_data["note"])
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action"),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/with_reason.html", context)


# --- Jalali dates and Persian search -------------------------------------------------
install()


def admin_jalali_field(**kwargs) -> JalaliDateField:
    return JalaliDateField(widget=AdminJalaliDateInput, **kwargs)


# Every date in the admin is entered and shown in the Jalali calendar.
JALALI_DATES = {models.DateField: {"form_class": JalaliDateField, "widget": AdminJalaliDateInput}}


class NormalizedSearchMixin:
    """Admin search also matches the Persian-normalised text (علي finds علی, ۱۲ finds 12)."""

    def get_search_results(self, request, queryset, search_term):
        raw, raw_dup = super().get_search_results(request, queryset, search_term)
        folded = normalize(search_term)
        if folded == search_term:
            return raw, raw_dup
        more, more_dup = super().get_search_results(request, queryset, folded)
        return raw | more, raw_dup or more_dup


# --- the staff scope ------------------------------------------------------------------------
class DistrictScopedAdminMixin:
    """Access by staff role and district scope, the same rule for every app's admin.

    District staff hold no per-model Django permissions: a staff member sees,
    adds, changes and deletes rows of the districts they serve; a city admin
    those of their city. Subclasses narrow add/change/delete where every
    change must go through an admin action, never widen them.

    Set ``district_path`` to the lookup from the model to its district(s),
    e.g. ``"district"``, ``"neighborhood__district"``, ``"districts"`` or
    ``"id"`` (a district itself); ``None`` for rows of no district, which
    every staff member sees unless the subclass narrows it.
    """

    district_path: str | None = "district"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.district_path is None:
            return queryset if scope.is_staff_member(request.user) else queryset.none()
        return scope.scope_to_districts(queryset, request.user, self.district_path)

    def _districts_of(self, obj) -> set[int]:
        """The districts the stored row belongs to (the scope is checked on what is stored, not on a form)."""
        if obj.pk is None:
            return set()
        ids = type(obj)._default_manager.filter(pk=obj.pk).values_list(self.district_path, flat=True)
        return {district_id for district_id in ids if district_id is not None}

    def _in_scope(self, request, obj) -> bool:
        if obj is None or self.district_path is None:
            return scope.is_staff_member(request.user)
        return scope.can_act_in_any_district(request.user, self._districts_of(obj))

    def has_module_permission(self, request):
        return scope.is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_add_permission(self, request, *args):
        return scope.is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_scope(request, obj)


class StaffAdmin(PersianAdminMixin, AutocompleteScopeMixin, DistrictScopedAdminMixin, ServiceAdmin, admin.ModelAdmin):
    """Every app's model admins derive from this: staff in scope act, services write, dates are Jalali.

    ``scoped_choices`` cuts the choices of foreign keys and many-to-many
    fields to the user's districts: ``{field: (model, district lookup from
    that model)}``; an autocomplete for such a field offers the same rows
    (``core.admin.pickers``).
    """

    formfield_overrides = JALALI_DATES
    scoped_choices: dict[str, tuple[type[models.Model], str]] = {}

    def _scoped(self, db_field, request, kwargs: dict) -> dict:
        if db_field.name in self.scoped_choices and "queryset" not in kwargs:
            model, path = self.scoped_choices[db_field.name]
            kwargs["queryset"] = scope.scope_to_districts(model.objects.all(), request.user, path)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped(db_field, request, kwargs))

    # Decision actions (``permissions=["review"]`` / ``["moderate"]``) are for staff; each object's
    # scope is checked again by the service the action calls.
    def has_review_permission(self, request) -> bool:
        return scope.is_staff_member(request.user)

    def has_moderate_permission(self, request) -> bool:
        return scope.is_staff_member(request.user)


class StaffInlineMixin:
    """Inline rows of a record the user may open: the parent admin has already checked the scope."""

    def has_view_permission(self, request, obj=None):
        return scope.is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return scope.is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return scope.is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return scope.is_staff_member(request.user)


from core.admin import audit  # noqa: E402, F401  (registers the audit trail's admin)
