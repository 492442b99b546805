"""``{% load follows %}{% follow_button neighborhood %}``: the follow button of any followable object's page."""

from __future__ import annotations

from django import template

from notifications.services import is_subscribed
from notifications.subscriptions import kind_of

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target, next_url: str = ""):
    """The follow / unfollow button for ``target``: one query for a signed-in visitor, none for others."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    kind = kind_of(target)
    if kind is None:
        raise template.TemplateSyntaxError(f"{type(target).__name__} is not a kind of thing people can follow.")
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "follow_kind": kind.name,
        "follow_target": target,
        "is_following": is_subscribed(user=user, target=target) if user is not None else False,
        "next": next_url,
    }
