"""The inbox filter, shared by the inbox page and ``/api/v1/notifications/``."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter
from notifications.models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(
        label=_("Unread only"), method="filter_unread", help_text=_("true: only notifications not yet read.")
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
