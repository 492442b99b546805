"""Admin pieces shared by this app's model admins."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member, staff_district_ids
from core.forms import AdminJalaliDateInput, JalaliDateField


class StaffRoleAdminMixin:
    """Access follows the portal's staff roles (scoped by district elsewhere), not per-model permissions."""

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, *args):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_staff_member(request.user)


def admin_jalali_field(**kwargs) -> JalaliDateField:
    return JalaliDateField(widget=AdminJalaliDateInput, **kwargs)


def in_scope(queryset, user, path: str = "pk"):
    """Rows of a geography queryset the user serves (``path`` leads to the district id)."""
    scope = staff_district_ids(user)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{path}__in": scope})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
