"""Accounts, permission groups, API tokens and sign-in lockouts in the admin: superusers only, through services."""

from datetime import timedelta

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin.residency import RESIDENCY_FIELDS
from accounts.forms import WriteOnlyInput
from accounts.models import ApiToken, User
from accounts.permissions import can_manage_accounts
from accounts.residency import home_cooldown_error, user_set_home
from accounts.services import (
    api_token_revoke,
    group_delete,
    group_save,
    lockouts_clear,
    user_delete,
    user_save,
    user_set_password,
)
from core.admin import ReadOnlyAdmin, StaffAdmin
from core.admin.display import display_text
from core.persian import format_number
from core.web import add_service_errors

# "New" for the campaign signs: accounts created within the last day.
RECENT = timedelta(hours=24)


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


# What each of Django's four permissions on a model lets staff do; their stored names are English.
PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """``پروژه‌ها | ویرایش پروژه``: the app, then what the permission allows, in the page's language."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        allowed = gettext(PERMISSION_ACTIONS[action]) % {"model": model._meta.verbose_name}
    else:
        allowed = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {allowed}"


class PermissionLabelsMixin:
    """Permission pickers name each permission in Persian (``permission_label``)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.remote_field.model is Permission:
            field.label_from_instance = permission_label
        return field


class PasswordStateWidget(ReadOnlyPasswordHashWidget):
    """Whether the account has a password, without its hash's algorithm, salt and characters."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if any(entry.get("value") for entry in context["summary"]):
            context["summary"] = [{"label": gettext("This account has a password.")}]
        return context


class UserChangeFormPhone(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordStateWidget()
        if "national_code" in self.fields:
            # As on the profile: written, never shown again, not even to staff.
            self.fields["national_code"].widget = WriteOnlyInput(attrs={"dir": "ltr", "autocomplete": "off"})
            if self.instance.national_code:
                self.fields["national_code"].help_text = _(
                    "A national code is on file and is never shown. To replace it, type the new one; "
                    "leave the box empty to keep it."
                )

    def clean_national_code(self):
        # The box is never filled in, so an empty one keeps the code on file.
        return self.cleaned_data.get("national_code") or self.instance.national_code

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


class JoinedFilter(admin.SimpleListFilter):
    title = _("date joined")
    parameter_name = "joined"

    def lookups(self, request, model_admin):
        return [("24h", _("In the last 24 hours")), ("7d", _("In the last 7 days"))]

    def queryset(self, request, queryset):
        since = {"24h": RECENT, "7d": timedelta(days=7)}.get(self.value())
        return queryset.filter(date_joined__gte=timezone.now() - since) if since else queryset


class RecentNetworkFilter(admin.SimpleListFilter):
    """The sign-up networks that made the most accounts in the last 24 hours, each with its count.

    A network is a keyed label of the address (``accounts.identity.network_key``):
    many new accounts from one label is what a campaign looks like, and the
    address itself is never kept. Choosing one lists every account made from it.
    """

    title = _("sign-up network (accounts made in the last 24 hours)")
    parameter_name = "network"
    shown = 10

    def lookups(self, request, model_admin):
        busiest = (
            User.objects.filter(date_joined__gte=timezone.now() - RECENT)
            .exclude(signup_network="")
            .values("signup_network")
            .annotate(accounts=Count("pk"))
            .order_by("-accounts", "signup_network")[: self.shown]
        )
        return [
            (row["signup_network"], f"{row['signup_network']} ({format_number(row['accounts'])})") for row in busiest
        ]

    def queryset(self, request, queryset):
        return queryset.filter(signup_network=self.value()) if self.value() else queryset


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, AccountsAdmin, BaseUserAdmin):
    form = UserChangeFormPhone
    add_form = UserCreationFormPhone
    change_password_form = PasswordForm
    list_display = (
        "mobile_number",
        "display_name",
        "email",
        "role",
        "is_staff",
        "is_active",
        "date_joined",
        "network_column",
    )
    list_filter = ("role", "is_staff", "is_superuser", "is_active", JoinedFilter, RecentNetworkFilter)
    search_fields = ("phone", "display_name", "email")
    ordering = ("-date_joined",)
    filter_horizontal = ("groups", "user_permissions")
    autocomplete_fields = ("home_neighborhood", "staff_districts")
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

    @admin.display(description=_("Mobile number"), ordering="phone")
    def mobile_number(self, obj: User) -> str:
        return display_text(obj.phone_local)

    def get_queryset(self, request):
        # How many accounts the row's network made in the last 24 hours: one subquery, not one query a row.
        recent = (
            User.objects.filter(signup_network=OuterRef("signup_network"), date_joined__gte=timezone.now() - RECENT)
            .order_by()
            .values("signup_network")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(network_recent=Coalesce(Subquery(recent, output_field=IntegerField()), Value(0)))
        )

    @admin.display(description=_("sign-up network"), ordering="signup_network")
    def network_column(self, obj):
        if not obj.signup_network:
            return "—"
        recent = getattr(obj, "network_recent", 0)
        count = ngettext(
            "%(count)s account from it in the last 24 hours", "%(count)s accounts from it in the last 24 hours", recent
        ) % {"count": format_number(recent)}
        return format_html(
            '<a href="?network={}"><code dir="ltr">{}</code></a> <span class="help">{}</span>',
            obj.signup_network,
            obj.signup_network,
            count,
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
class GroupAdmin(PermissionLabelsMixin, AccountsAdmin, BaseGroupAdmin):
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
