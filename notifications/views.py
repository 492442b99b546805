"""Pages: the inbox, marking read, preferences and the sign-in-free unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.web import is_htmx, safe_next, signed_in_required
from notifications.events import EVENTS, Channel
from notifications.filters import NotificationFilter
from notifications.forms import PreferencesForm
from notifications.permissions import notifications_of
from notifications.selectors import digest_of, preferences_of, unread_count
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_unsubscribe,
    preferences_update,
)
from notifications.tokens import read_token

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET"])
def inbox(request):
    filterset = NotificationFilter(request.GET, queryset=notifications_of(request.user))
    queryset = filterset.qs if filterset.is_valid() else notifications_of(request.user)
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    unread_only = filterset.is_valid() and filterset.form.cleaned_data.get("unread") is True
    return render(request, "notifications/inbox.html", {"page_obj": page_obj, "unread_only": unread_only})


def _back(request):
    return redirect(safe_next(request, reverse("notifications:inbox")))


@signed_in_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    if is_htmx(request):
        return render(
            request,
            "notifications/_item_read.html",
            {"notification": notification, "unread": unread_count(request.user)},
        )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(
        request.POST or None, preferences=preferences_of(request.user), digest=digest_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(user=request.user, choices=form.choices(), digest=form.cleaned_data["digest"])
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "channels": Channel.choices})


# Authenticated by the signed token, not a session: mail clients post here (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link turns off; POST turns it off. A bad token changes nothing."""
    wish = read_token(token)
    user = get_user_model().objects.filter(pk=wish.user_id).first() if wish else None
    if wish is None or user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {
        "event": EVENTS[wish.event],
        "channel": Channel(wish.channel),
        "done": False,
    }
    if request.method == "POST":
        preference_unsubscribe(user_id=user.pk, event=wish.event, channel=wish.channel)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
