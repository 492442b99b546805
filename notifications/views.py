"""Pages: the inbox, marking read, preferences, the sign-in-free unsubscribe link, and following."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from civic_portal.ratelimit import TOO_MANY_MESSAGE, hit
from notifications import services
from notifications.events import EVENTS, Channel
from notifications.filters import NotificationFilter
from notifications.forms import PreferencesForm
from notifications.permissions import notifications_of
from notifications.selectors import digest_of, is_subscribed_to_id, preferences_of, unread_count
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_unsubscribe,
    preferences_update,
)
from notifications.subscriptions import kind_named
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
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    if request.headers.get("HX-Request"):
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


# --- following --------------------------------------------------------------------------
def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
def follow(request, kind: str, pk: int):
    """Follow or stop following (``action=unfollow``) a project, neighbourhood, district or organisation.

    htmx gets the button back (same id, so focus stays on it); a plain form
    post is redirected to ``next`` with a message, so it works without JavaScript.
    """
    if not request.user.is_authenticated:
        back = (request.headers.get("HX-Current-URL") if _is_htmx(request) else None) or request.get_full_path()
        if _is_htmx(request):  # a whole page, not a sign-in form swapped into the button
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(back).url
            return response
        return redirect_to_login(back)
    spec = kind_named(kind)
    if spec is None:
        raise Http404
    target = get_object_or_404(spec.model, pk=pk)
    unfollowing = request.POST.get("action") == "unfollow"
    # Drafts and rejected organisations are not public; whoever follows one may still leave it.
    if not spec.is_visible_to(request.user, target) and not (
        unfollowing and is_subscribed_to_id(user=request.user, model=spec.model, pk=target.pk)
    ):
        raise Http404
    error = None
    if not hit("project_follow", f"user:{request.user.pk}"):
        error = TOO_MANY_MESSAGE
    else:
        # Following is a subscription; not to be confused with the email unsubscribe link above.
        (services.unsubscribe if unfollowing else services.subscribe)(user=request.user, target=target)
    back = _safe_next(request, spec.url_of(target))
    if _is_htmx(request):
        following = services.is_subscribed(user=request.user, target=target)
        context = {"follow_kind": kind, "follow_target": target, "is_following": following, "next": back}
        return render(request, "notifications/_follow_button.html", {**context, "follow_error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("You no longer follow this.") if unfollowing else _("You now follow this."))
    return redirect(back)
