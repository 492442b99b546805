"""One FilterSet per list, shared by the page and the API endpoint that show it.

Search folds the query with the same Persian normaliser that filled the
``*_normalized`` columns, so «علي» finds «علی».
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter
from core.persian import normalize
from neighborhoods.models import (
    OPEN_STATUSES,
    NeedCategory,
    NeedReport,
    NeedStatus,
    TrusteeBoard,
    TrusteeCategory,
    Trusteeship,
)
from places.models import Area, City, District, Neighborhood


def _search(field: str):
    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = normalize(value)
        # Both sides are case-folded by normalize(), so a plain LIKE matches and can
        # use the trigram index on PostgreSQL (UPPER(...) LIKE could not).
        return queryset.filter(**{f"{field}__contains": query}) if query else queryset

    return method


class CityFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method=_search("name_normalized"))

    class Meta:
        model = City
        fields = ["search"]


class DistrictFilter(django_filters.FilterSet):
    city = django_filters.ModelChoiceFilter(label=_("City"), queryset=City.objects.all())
    search = django_filters.CharFilter(label=_("Search"), method=_search("name_normalized"))

    class Meta:
        model = District
        fields = ["city", "search"]


class NeighborhoodFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Neighbourhood name"), method=_search("name_normalized"))
    city = django_filters.ModelChoiceFilter(label=_("City"), field_name="district__city", queryset=City.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=District.objects.select_related("city"))
    area = django_filters.ModelChoiceFilter(label=_("Area"), queryset=Area.objects.all())

    class Meta:
        model = Neighborhood
        fields = ["search", "city", "district", "area"]


class TrusteeBoardFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Neighbourhood name"), method=_search("neighborhood__name_normalized"))
    city = django_filters.ModelChoiceFilter(
        label=_("City"), field_name="neighborhood__district__city", queryset=City.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="neighborhood__district", queryset=District.objects.select_related("city")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), field_name="neighborhood__area", queryset=Area.objects.all()
    )
    neighborhood = django_filters.ModelChoiceFilter(label=_("Neighbourhood"), queryset=Neighborhood.objects.all())
    category = django_filters.ChoiceFilter(
        label=_("Member category"), choices=TrusteeCategory.choices, method="filter_category"
    )

    class Meta:
        model = TrusteeBoard
        fields = ["search", "city", "district", "area", "neighborhood", "category"]

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Boards with an active member who represents ``value``."""
        return queryset.filter(pk__in=Trusteeship.objects.active().filter(category=value).values("board_id"))


class NeedReportFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method=_search("search_normalized"))
    city = django_filters.ModelChoiceFilter(
        label=_("City"), field_name="neighborhood__district__city", queryset=City.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="neighborhood__district", queryset=District.objects.select_related("city")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), field_name="neighborhood__area", queryset=Area.objects.all()
    )
    neighborhood = django_filters.ModelChoiceFilter(label=_("Neighbourhood"), queryset=Neighborhood.objects.all())
    category = django_filters.ChoiceFilter(label=_("Category"), choices=NeedCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NeedStatus.choices)
    open = BooleanFilter(label=_("Still open"), method="filter_open")
    mine = BooleanFilter(label=_("Reported by me"), method="filter_mine")

    class Meta:
        model = NeedReport
        fields = ["search", "city", "district", "area", "neighborhood", "category", "status", "open", "mine"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """The reporter's own reports; anonymous visitors get none."""
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(reporter=user)
