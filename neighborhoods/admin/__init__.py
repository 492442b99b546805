"""Staff admin for neighbourhood houses, boards, decrees and need reports.

Access follows ``neighborhoods.permissions`` (role and district scope), not
Django's per-model permission flags: district staff see and change only their
districts' rows, and every write goes through a service. Dates are entered
and shown in the Jalali calendar. Geography itself is ``places.admin``.
"""

from neighborhoods.admin import announcements, boards, houses  # noqa: F401  (registers the admins)
