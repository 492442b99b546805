"""The neighbourhood admin of ``places`` with this app's neighbourhood house on the same page."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceInline, StaffInlineMixin
from neighborhoods.models import NeighborhoodHouse
from neighborhoods.services import house_delete, house_save
from places.admin import NeighborhoodAdmin
from places.models import Neighborhood


class NeighborhoodHouseInline(StaffInlineMixin, ServiceInline, admin.StackedInline):
    """The house belongs to the neighbourhood: whoever may change the one may change the other."""

    model = NeighborhoodHouse
    extra = 0
    max_num = 1

    def save_rows(self, request, parent, rows):
        for _form, house in rows.added + rows.changed:
            house_save(actor=request.user, house=house)
        for house in rows.deleted:
            house_delete(actor=request.user, house=house)


admin.site.unregister(Neighborhood)


@admin.register(Neighborhood)
class NeighborhoodWithHouseAdmin(NeighborhoodAdmin):
    """The geography admin of ``places`` with this app's neighbourhood house on the same page."""

    list_display = (*NeighborhoodAdmin.list_display, "has_house")
    list_select_related = (*NeighborhoodAdmin.list_select_related, "house")
    inlines = [NeighborhoodHouseInline]

    @admin.display(description=_("neighbourhood house"), boolean=True)
    def has_house(self, obj) -> bool:
        return hasattr(obj, "house")
