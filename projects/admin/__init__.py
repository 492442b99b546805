"""Staff back office: projects with import and updates, the moderation queue, rounds, ideas, settings."""

from projects.admin import budgeting, comments, ideas, plans, projects, settings  # noqa: F401
