"""Staff back office: projects with import and updates, the moderation queue, rounds, ideas, flagged words."""

from projects.admin import budgeting, comments, flagged_words, ideas, plans, projects  # noqa: F401
