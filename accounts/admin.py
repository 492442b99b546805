from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import access_snapshot, user_record_access_change


class UserChangeFormPhone(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationFormPhone(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "display_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeFormPhone
    add_form = UserCreationFormPhone
    list_display = ("phone", "display_name", "email", "role", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("phone", "display_name", "email")
    ordering = ("-date_joined",)
    filter_horizontal = ("staff_districts", "groups", "user_permissions")
    autocomplete_fields = ("home_neighborhood",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Personal info"), {"fields": ("display_name", "email", "national_code", "home_neighborhood")}),
        (_("Role and scope"), {"fields": ("role", "staff_districts", "staff_city")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def save_model(self, request, obj, form, change):
        # The row as it was, before the form's values are written (many-to-many fields are saved later).
        request._access_before = access_snapshot(User.objects.get(pk=obj.pk) if change else User())
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_record_access_change(actor=request.user, user=form.instance, before=request._access_before)

    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("phone", "display_name", "usable_password", "password1", "password2")},
        ),
    )
