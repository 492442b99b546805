"""``{% load follows %}{% follow_button neighborhood %}``: a follow button for any page."""

from __future__ import annotations

from django import template

from projects.services.follows import follow_field, is_following

register = template.Library()


@register.inclusion_tag("projects/_follow_button.html", takes_context=True)
def follow_button(context, target, next_url: str = ""):
    """Render the follow / unfollow button for ``target`` (one query when signed in)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "follow_kind": follow_field(target),
        "follow_target": target,
        "is_following": is_following(user=user, target=target) if user is not None else False,
        "next": next_url,
    }
