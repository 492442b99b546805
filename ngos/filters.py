"""FilterSets shared by the directory pages and the API lists."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filterfields import FastSelect, OneQueryModelChoiceFilter
from core.persian import normalize
from ngos.models import (
    FieldOfActivity,
    LicenceStatus,
    Opportunity,
    OpportunityStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    licence_status_q,
)
from places.models import City, District, Neighborhood


def search_terms(value: str) -> list[str]:
    return [term for term in normalize(value).split(" ") if term][:8]


class OrganizationFilter(django_filters.FilterSet):
    """Directory filters. Without ``status`` only verified organisations are listed.

    The queryset it filters is already limited to what the user may see
    (``Organization.objects.visible_to``), so ``status=draft`` finds only a
    manager's own drafts or, for staff, the drafts in their districts.
    """

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"), widget=FastSelect)
    field = django_filters.ChoiceFilter(
        choices=FieldOfActivity.choices, method="filter_field", label=_("Field of activity"), widget=FastSelect
    )
    city = OneQueryModelChoiceFilter(queryset=City.objects.order_by("name"), label=_("City"))
    district = OneQueryModelChoiceFilter(
        queryset=District.objects.order_by("city_id", "number"), field_name="districts", label=_("District")
    )
    neighborhood = OneQueryModelChoiceFilter(
        queryset=Neighborhood.objects.order_by("district_id", "name"),
        field_name="neighborhoods",
        label=_("Neighbourhood"),
    )
    licence = django_filters.ChoiceFilter(
        choices=LicenceStatus.choices, method="filter_licence", label=_("Licence status"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(choices=OrganizationStatus.choices, label=_("Status"), widget=FastSelect)
    ordering = django_filters.OrderingFilter(
        widget=FastSelect,
        fields=(
            ("name_normalized", "name"),
            ("verified_at", "verified"),
            ("licence_expires_on", "licence_expiry"),
        ),
        field_labels={
            "name_normalized": _("Name"),
            "verified_at": _("Date verified"),
            "licence_expires_on": _("Licence expiry"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=OrganizationStatus.VERIFIED)
        return super().filter_queryset(queryset)

    def filter_search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(search_normalized__contains=term)
        return queryset

    def filter_field(self, queryset, name, value):
        return queryset.filter(activities__code=value)

    def filter_licence(self, queryset, name, value):
        return queryset.filter(licence_status_q(value))


class OpportunityFilter(django_filters.FilterSet):
    """Open calls for volunteers; by default only those still open and not past."""

    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.order_by("city_id", "number"), label=_("District")
    )
    organization = django_filters.NumberFilter(field_name="organization_id", label=_("Organisation"))
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices, label=_("Status"))

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=OpportunityStatus.OPEN, date__gte=timezone.localdate())
        return super().filter_queryset(queryset)
