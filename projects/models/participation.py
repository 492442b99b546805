"""Citizen participation: comments and flags, and supports.

Each city's rules for them (``CityParticipationSettings``) live in ``places``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import public_name
from core.persian import normalize


class FlaggedWord(models.Model):
    """A word or phrase that sends a comment in one city to the moderators automatically."""

    city = models.ForeignKey(
        "places.City", on_delete=models.CASCADE, related_name="flagged_words", verbose_name=_("city")
    )
    word = models.CharField(_("word or phrase"), max_length=100)
    word_normalized = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = _("flagged word")
        verbose_name_plural = _("flagged words")
        ordering = ["city_id", "word_normalized"]
        constraints = [
            models.UniqueConstraint(fields=["city", "word_normalized"], name="flaggedword_unique_per_city"),
        ]

    def __str__(self) -> str:
        return self.word

    def save(self, *args, **kwargs):
        self.refresh_normalized()
        super().save(*args, **kwargs)

    def refresh_normalized(self) -> None:
        self.word = " ".join(self.word.split())
        self.word_normalized = normalize(self.word)


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden after flags, awaiting review")
    REJECTED = "rejected", _("Rejected")
    DELETED = "deleted", _("Deleted by its author")


# What the moderation queue holds: everything a moderator still has to decide.
QUEUE_STATUSES = (CommentStatus.PENDING, CommentStatus.HIDDEN)
# An author also sees their own comments that are not public, with the outcome.
OWN_STATUSES = (CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.REJECTED)


class CommentQuerySet(models.QuerySet):
    def published(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PUBLISHED)

    def visible_to(self, user) -> CommentQuerySet:
        """Published comments, plus the viewer's own ones still awaiting a decision."""
        condition = Q(status=CommentStatus.PUBLISHED)
        if getattr(user, "is_authenticated", False):
            condition |= Q(author=user, status__in=OWN_STATUSES)
        return self.filter(condition)

    def moderation_queue(self) -> CommentQuerySet:
        return self.filter(Q(status__in=QUEUE_STATUSES) | Q(status=CommentStatus.PUBLISHED, open_flag_count__gt=0))


class Comment(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="comments", verbose_name=_("project")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # Empty once the author deleted their account: the thread stays readable, the person is gone.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    auto_flagged = models.BooleanField(
        _("flagged by the word list"), default=False, help_text=_("The text contains a word from the flagged list.")
    )
    open_flag_count = models.PositiveIntegerField(_("open flags"), default=0)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderation_reason = models.TextField(_("reason"), blank=True)
    # What the standing decision replaced (waiting, hidden after flags, published with flags): an undo goes back to it.
    # The database default lets bulk loaders and code from before this column add comments.
    status_before_decision = models.CharField(
        _("status before the decision"),
        max_length=12,
        choices=CommentStatus.choices,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["project", "status", "created_at"], name="comment_project_status"),
            models.Index(fields=["parent", "status", "created_at"], name="comment_parent_status"),
            # A project page's threads (top-level comments, newest first) and the API's
            # published comments (oldest first): each read walks one small index range.
            models.Index(
                fields=["project", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="comment_project_threads",
            ),
            models.Index(
                fields=["project", "created_at", "id"],
                condition=Q(status="published"),
                name="comment_project_published",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def author_name(self) -> str:
        """The author's display name, or "deleted user" once their account is gone (no query with ``author`` loaded)."""
        return public_name(self.author)

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED


class FlagReason(models.TextChoices):
    INSULT = "insult", _("Insult or hate")
    SPAM = "spam", _("Spam or advertising")
    PERSONAL_DATA = "personal_data", _("Personal information")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class CommentFlag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags", verbose_name=_("comment"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags", verbose_name=_("flagged by")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)
    # The decision time of the moderation that closed the flag: undoing that decision opens it again.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment flag")
        verbose_name_plural = _("comment flags")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="comment_flag_once_per_user")]

    def __str__(self) -> str:
        return self.get_reason_display()


class Support(models.Model):
    """A citizen's support (vote) for a project; the database allows one per account and one per person.

    ``voter_key`` is a keyed hash of the mobile number (accounts.identity): it
    stays when the account is deleted, so signing up again buys no second support.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="supports", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_supports",
        verbose_name=_("citizen"),
    )
    voter_key = models.CharField(_("voter key"), max_length=64, editable=False)
    # The supporter's home district when the support was cast; a later move does not change it.
    district = models.ForeignKey(
        "places.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cast as resident of"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="support_one_per_citizen"),
            models.UniqueConstraint(fields=["project", "voter_key"], name="support_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.project_id}"


class ModerationQueueItem(Comment):
    """The moderation queue in the admin: comments awaiting a decision or carrying open flags."""

    class Meta:
        proxy = True
        verbose_name = _("comment to moderate")
        verbose_name_plural = _("moderation queue")
