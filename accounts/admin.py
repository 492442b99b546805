"""Accounts, permission groups, API tokens and sign-in lockouts in the admin: superusers only, through services."""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, CensusEntry, CensusList, Resident, User
from accounts.permissions import can_manage_accounts
from accounts.residency import (
    census_list_delete,
    census_list_replace,
    home_cooldown_error,
    read_census_file,
    residency_allow_early_move,
    residency_mark_verified,
    user_set_home,
)
from accounts.services import (
    api_token_revoke,
    group_delete,
    group_save,
    lockouts_clear,
    user_delete,
    user_save,
    user_set_password,
)
from core.admin import ReadOnlyAdmin, StaffAdmin, adopt, jalali_column, run_for_each, with_reason
from core.persian import format_number
from core.web import add_service_errors
from places.models import City
from places.permissions import can_manage_city, is_city_admin


class AccountsAdmin(StaffAdmin):
    """Whoever changes accounts can grant any role: superusers only, in every city."""

    district_path = None

    def has_module_permission(self, request):
        return can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_add_permission(self, request, *args):
        return can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_accounts(request.user)


class UserChangeFormPhone(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        data = super().clean()
        # The instance still holds the stored home here: a move within the cooldown is a field error.
        if "home_neighborhood" in data:
            error = home_cooldown_error(self.instance, data["home_neighborhood"])
            if error is not None:
                add_service_errors(self, error)
        return data


class UserCreationFormPhone(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "display_name")


class PasswordForm(AdminPasswordChangeForm):
    """The admin's password page sets the password through the service."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password", True) else None
        return user_set_password(user=self.user, password=password)


RESIDENCY_FIELDS = (
    "home_since",
    "residency_status",
    "residency_verified_at",
    "home_move_allowed",
    "mobile_verified_at",
)


@admin.register(User)
class UserAdmin(AccountsAdmin, BaseUserAdmin):
    form = UserChangeFormPhone
    add_form = UserCreationFormPhone
    change_password_form = PasswordForm
    list_display = ("phone", "display_name", "email", "role", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("phone", "display_name", "email")
    ordering = ("-date_joined",)
    filter_horizontal = ("staff_districts", "groups", "user_permissions")
    autocomplete_fields = ("home_neighborhood",)
    readonly_fields = ("last_login", "date_joined", *RESIDENCY_FIELDS)
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Personal info"), {"fields": ("display_name", "email", "national_code", "home_neighborhood")}),
        (_("Residency"), {"fields": RESIDENCY_FIELDS}),
        (_("Role and scope"), {"fields": ("role", "staff_districts", "staff_city")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("phone", "display_name", "usable_password", "password1", "password2")},
        ),
    )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # A home moves through user_set_home (cooldown, residency reset); the rest through user_save.
        new_home = obj.home_neighborhood
        obj.home_neighborhood = User.objects.get(pk=obj.pk).home_neighborhood if change else None
        user_save(
            actor=request.user,
            user=obj,
            staff_districts=data.get("staff_districts"),
            groups=data.get("groups"),
            user_permissions=data.get("user_permissions"),
        )
        user_set_home(user=obj, neighborhood=new_home, actor=request.user)

    def delete_model(self, request, obj):
        user_delete(actor=request.user, user=obj)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AccountsAdmin, BaseGroupAdmin):
    def save_model(self, request, obj, form, change):
        group_save(actor=request.user, group=obj, permissions=form.cleaned_data.get("permissions"))

    def delete_model(self, request, obj):
        group_delete(actor=request.user, group=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(AccountsAdmin):
    """Tokens are issued by signing in and only seen or revoked here; the key is never stored."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    search_fields = ("user__phone", "user__display_name", "name", "prefix")
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "name", "created_at", "last_used_at")
    exclude = ("digest",)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        api_token_revoke(actor=request.user, token=obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.unregister(AccessLog)
    admin.site.unregister(AccessFailureLog)

    @admin.register(AccessAttempt)
    class AccessAttemptAdmin(AccountsAdmin, BaseAccessAttemptAdmin):
        """Deleting a lockout lets the account sign in again; nothing else is edited."""

        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def delete_model(self, request, obj):
            lockouts_clear(actor=request.user, attempts=[obj])

    @admin.register(AccessLog)
    class AccessLogAdmin(ReadOnlyAdmin, AccountsAdmin, BaseAccessLogAdmin):
        pass

    @admin.register(AccessFailureLog)
    class AccessFailureLogAdmin(ReadOnlyAdmin, AccountsAdmin, BaseAccessFailureLogAdmin):
        pass


# --- residency: district staff and city admins ------------------------------------------
@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin, StaffAdmin):
    """Residents of the districts staff serve: their home and residency, never a number or code.

    Two decisions, each with a reason on record: allow an early move (someone
    who has really moved before the cooldown ends) and confirm a residency.
    """

    district_path = "home_neighborhood__district"
    list_display = ("display_name", "home_neighborhood", "residency_status", "home_since_jalali", "home_move_allowed")
    list_filter = ("residency_status", "home_move_allowed")
    list_select_related = ("home_neighborhood",)
    search_fields = ("display_name",)
    fields = ("display_name", "home_neighborhood", *RESIDENCY_FIELDS[:4])
    actions = ("allow_early_move", "mark_residency_verified")
    home_since_jalali = jalali_column("home_since", _("home since"))

    def get_queryset(self, request):
        return super().get_queryset(request).filter(home_neighborhood__isnull=False)

    @admin.action(description=_("Allow an earlier change of home"), permissions=["moderate"])
    def allow_early_move(self, request, queryset):
        def act(reason: str) -> None:
            run_for_each(
                self,
                request,
                queryset,
                lambda user: residency_allow_early_move(actor=request.user, user=user, reason=reason),
                gettext("%(count)s residents may now change their home once."),
            )

        return with_reason(self, request, queryset, gettext("Why may they move earlier?"), act)

    @admin.action(description=_("Confirm the residency"), permissions=["moderate"])
    def mark_residency_verified(self, request, queryset):
        def act(note: str) -> None:
            run_for_each(
                self,
                request,
                queryset,
                lambda user: residency_mark_verified(actor=request.user, user=user, note=note),
                gettext("%(count)s residencies confirmed."),
            )

        return with_reason(self, request, queryset, gettext("What proof of residency did you see?"), act)


class CensusUploadForm(forms.ModelForm):
    file = forms.FileField(
        label=_("List (CSV or XLSX)"),
        help_text=_(
            "Columns: national_code, neighborhood and, where two districts have a neighbourhood of one name, "
            "district_number. Uploading a list for a city that has one replaces it."
        ),
    )

    class Meta:
        model = CensusList
        fields = ("city",)

    def clean(self):
        data = super().clean()
        upload, city = data.get("file"), data.get("city")
        if upload is not None and city is not None:
            self.parsed = read_census_file(city=city, stream=upload, filename=upload.name)
            for message in self.parsed.errors:
                self.add_error("file", message)
        return data

    def validate_unique(self):
        """A second upload for a city replaces its list (the service), so the city being taken is no error."""


@admin.register(CensusList)
class CensusListAdmin(StaffAdmin):
    """A city's census list: city admins upload it; only neighbourhoods and upload details are ever shown."""

    district_path = None
    form = CensusUploadForm
    list_display = ("city", "entry_count", "uploaded_jalali", "uploaded_by")
    list_select_related = ("city", "uploaded_by")
    uploaded_jalali = jalali_column("uploaded_at", _("uploaded"), with_time=True)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if not is_city_admin(user):
            return queryset.none()
        return queryset if can_manage_city(user) else queryset.filter(city_id=user.staff_city_id)

    def has_module_permission(self, request):
        return is_city_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_city_admin(request.user) and (obj is None or can_manage_city(request.user, obj.city_id))

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a new list is a new upload

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) and obj is not None

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("city", "file")
        return ("city", "file_name", "entry_count", "uploaded_jalali", "uploaded_by", "neighbourhoods")

    @admin.display(description=_("residents per neighbourhood"))
    def neighbourhoods(self, obj):
        counts = (
            CensusEntry.objects.filter(city_id=obj.city_id)
            .values_list("neighborhood__name")
            .annotate(count=Count("id"))
            .order_by("neighborhood__name")
        )
        return format_html_join(mark_safe("<br>"), "{}: {}", ((name, format_number(n)) for name, n in counts))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city" and not can_manage_city(request.user):
            kwargs["queryset"] = City.objects.filter(pk=request.user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = census_list_replace(
            actor=request.user,
            city=form.cleaned_data["city"],
            entries=form.parsed.entries,
            file_name=form.cleaned_data["file"].name,
        )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        census_list_delete(actor=request.user, census=obj)
