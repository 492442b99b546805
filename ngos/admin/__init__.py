"""Staff side of the registry: the verification queue, plan review, meetings.

Access follows ``ngos.permissions`` and the staff district scope rather than
Django's model permissions, so a district staff member needs no extra grants
and sees only the organisations serving their districts. Records change only
through the services (admin actions), never by editing rows in place.
"""

from ngos.admin import club, organizations  # noqa: F401  (registers the admins)
