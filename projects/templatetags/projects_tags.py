"""Small template helpers for the project pages."""

from __future__ import annotations

from django import template

from projects.permissions import can_edit_comment

register = template.Library()


@register.filter
def editable_by(comment, user) -> bool:
    """``{% if comment|editable_by:user %}``: the author is still inside the edit window."""
    return can_edit_comment(user, comment)
