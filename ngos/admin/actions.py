"""What this app's admins share: records staff decide on through actions (asking why: ``core.admin.with_reason``)."""

from __future__ import annotations

from core.admin import ReadOnlyAdmin, StaffAdmin


class ReviewAdmin(ReadOnlyAdmin, StaffAdmin):
    """Rows staff see in their districts and never edit in place; decisions are actions calling services."""
