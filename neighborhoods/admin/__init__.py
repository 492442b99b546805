"""Staff admin for geography, boards, decrees and need reports.

Access follows ``neighborhoods.permissions`` (role and district scope), not
Django's per-model permission flags: district staff see and change only their
districts' rows, and every write goes through a service. Dates are entered
and shown in the Jalali calendar.
"""

from neighborhoods.admin import boards, places  # noqa: F401  (registers the admins)
