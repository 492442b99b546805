"""The one FilterSet of the project list, shared by the page, the API and the open-data export."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filterfields import FastSelect, OneQueryModelChoiceField, OneQueryModelChoiceFilter
from places.models import City, District, Neighborhood
from projects.models import Category, Phase, Project
from projects.models.project import ORDERING_CHOICES


class NeighborhoodChoiceField(OneQueryModelChoiceField):
    def label_from_instance(self, obj: Neighborhood) -> str:
        return f"{obj.name} — {obj.district.name}"


class NeighborhoodFilter(OneQueryModelChoiceFilter):
    field_class = NeighborhoodChoiceField


class ProjectFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or description…")}),
    )
    city = OneQueryModelChoiceFilter(
        label=_("City"), field_name="district__city", queryset=City.objects.order_by("name")
    )
    district = OneQueryModelChoiceFilter(label=_("District"), queryset=District.objects.order_by("city_id", "number"))
    neighborhood = NeighborhoodFilter(
        label=_("Neighbourhood"),
        field_name="neighborhoods",
        queryset=Neighborhood.objects.select_related("district").order_by("district__number", "name"),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices, widget=FastSelect)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices, widget=FastSelect)
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ORDERING_CHOICES, method="filter_ordering", empty_label=None, widget=FastSelect
    )

    class Meta:
        model = Project
        fields = ("search", "city", "district", "neighborhood", "phase", "category", "ordering")

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_ordering(self, queryset, name, value):
        # Applied in ``filter_queryset`` below so that a missing value still sorts.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.ordered(self.form.cleaned_data.get("ordering"))
