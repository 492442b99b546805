"""Comments: posting, editing, deleting, flagging and moderating.

Every status change goes through ``_set_status`` with the comment row locked,
so the project's published-comment counter moves by exactly the right amount.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import MobileNotVerified, MobileReason
from core.audit import log_action
from core.pagecache import bumps_batched
from core.text import clean_text
from places.models import City, CityParticipationSettings, District, ModerationPolicy
from projects import conf
from projects.models import Comment, CommentFlag, CommentStatus, FlagReason, Project
from projects.moderation import contains_flagged_word, flagged_words
from projects.notices import notify_parent_author, schedule_decision_notice
from projects.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_flag_comment,
    can_moderate_comment,
    comment_denial_reason,
)
from projects.topics import bump_project


def _clean_comment_text(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    limit = conf.comment_max_length()
    if len(text) > limit:
        raise ValidationError({"text": _("A comment can be at most %(limit)s characters long.") % {"limit": limit}})
    return text


def _initial_status(policy: str, auto_flagged: bool) -> str:
    if policy == ModerationPolicy.POST and not auto_flagged:
        return CommentStatus.PUBLISHED
    return CommentStatus.PENDING


def _set_status(comment: Comment, status: str, *, extra_fields: Iterable[str] = (), announce: bool = True) -> None:
    """Save ``comment`` with a new status and move the project's counter accordingly.

    ``announce=False`` leaves the reply notice of a newly published comment to
    the caller: a moderator's approval sends it after the undo delay instead.
    """
    was_visible = comment.status == CommentStatus.PUBLISHED
    comment.status = status
    fields = {"status", *extra_fields}
    if status == CommentStatus.PUBLISHED and comment.published_at is None:
        comment.published_at = timezone.now()
        fields.add("published_at")
    comment.save(update_fields=sorted(fields))
    delta = int(status == CommentStatus.PUBLISHED) - int(was_visible)
    if delta:
        Project.objects.filter(pk=comment.project_id).update(comment_count=F("comment_count") + delta)
        bump_project(comment.project_id)  # cached pages show the counter
    if announce and status == CommentStatus.PUBLISHED and not was_visible:
        notify_parent_author(comment)


def _locked(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("project__district", "parent", "author")
        .get(pk=comment.pk)
    )


def city_settings_for(project: Project) -> CityParticipationSettings:
    """The city's settings: no query when the project came with ``district__city__participation_settings``."""
    district = project.district
    if District.city.is_cached(district) and City.participation_settings.is_cached(district.city):
        return CityParticipationSettings.for_project(project)
    return CityParticipationSettings.for_city(district.city_id)


def _holds(text: str, city_settings: CityParticipationSettings) -> bool:
    """Whether the project's city's word list holds ``text`` for a moderator (the list comes from the cache)."""
    words = flagged_words(city_settings.city_id, use_defaults=city_settings.use_default_flagged_words)
    return contains_flagged_word(text, words=words)


@transaction.atomic
@bumps_batched()
def comment_post(*, project: Project, author: User, text: str, parent: Comment | None = None) -> Comment:
    """Post a comment or a reply; the city's policy and the word list decide whether it shows at once."""
    city_settings = city_settings_for(project)
    reason = comment_denial_reason(author, project, city_settings)
    if reason:
        if isinstance(reason, MobileReason):
            raise MobileNotVerified(reason)
        raise PermissionDenied(reason)
    text = _clean_comment_text(text)
    if parent is not None:
        if parent.project_id != project.pk:
            raise ValidationError({"parent": _("That comment belongs to another project.")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("You can reply only to a top-level comment.")})
        if parent.status != CommentStatus.PUBLISHED:
            raise ValidationError({"parent": _("You can reply only to a published comment.")})
    auto_flagged = _holds(text, city_settings)
    policy = city_settings.moderation_policy
    comment = Comment.objects.create(
        project=project, parent=parent, author=author, text=text, auto_flagged=auto_flagged
    )
    _set_status(comment, _initial_status(policy, auto_flagged))
    return comment


@transaction.atomic
@bumps_batched()
def comment_edit(*, comment: Comment, actor: User, text: str) -> Comment:
    """Let the author fix a comment within the edit window; it is checked again as if new."""
    locked = _locked(comment)
    if not can_edit_comment(actor, locked):
        raise PermissionDenied(_("This comment can no longer be edited."))
    text = _clean_comment_text(text)
    city_settings = city_settings_for(locked.project)
    auto_flagged = _holds(text, city_settings)
    policy = city_settings.moderation_policy
    locked.text = text
    locked.auto_flagged = auto_flagged
    locked.edited_at = timezone.now()
    _set_status(locked, _initial_status(policy, auto_flagged), extra_fields=("text", "auto_flagged", "edited_at"))
    return locked


@transaction.atomic
@bumps_batched()
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """The author withdraws a comment; its text is erased, replies to it stay."""
    locked = _locked(comment)
    if not can_delete_comment(actor, locked):
        raise PermissionDenied(_("You cannot delete this comment."))
    locked.text = ""
    _set_status(locked, CommentStatus.DELETED, extra_fields=("text",))
    return locked


@transaction.atomic
@bumps_batched()
def comment_flag(*, comment: Comment, user: User, reason: str, note: str = "") -> CommentFlag:
    """Record a citizen's flag; enough open flags hide the comment until staff decide."""
    locked = _locked(comment)
    if not can_flag_comment(user, locked):
        raise PermissionDenied(_("You cannot flag this comment."))
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(comment=locked, user=user, reason=reason, note=clean_text(note)[:300])
    except IntegrityError:
        raise ValidationError(_("You have already flagged this comment."), code="duplicate") from None
    locked.open_flag_count += 1
    locked.save(update_fields=["open_flag_count"])
    threshold = city_settings_for(locked.project).flags_to_hide
    if locked.open_flag_count >= threshold and locked.status == CommentStatus.PUBLISHED:
        _set_status(locked, CommentStatus.HIDDEN)
        log_action(
            actor=None,
            action="comment.hidden_by_flags",
            target=locked,
            note=_("%(count)s flags") % {"count": locked.open_flag_count},
        )
    comment.status, comment.open_flag_count = locked.status, locked.open_flag_count
    return flag


@transaction.atomic
@bumps_batched()
def comment_moderate(*, comment: Comment, actor: User, approve: bool, reason: str = "") -> Comment:
    """A moderator publishes or rejects a comment (with a reason the author sees); open flags are closed.

    The flags closed and the status replaced are kept with the decision, so an
    undo puts the comment back in the queue exactly as it was. Every notice the
    decision causes (the author's, a reply's to the parent's author) waits for
    the undo delay.
    """
    locked = _locked(comment)
    if not can_moderate_comment(actor, locked):
        raise PermissionDenied(_("You cannot moderate comments in this district."))
    if locked.status not in (CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.PUBLISHED):
        raise ValidationError(_("This comment has already been decided on or deleted."), code="decided")
    reason = clean_text(reason)
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the comment; its author will see it.")})
    locked.moderated_by = actor
    locked.moderated_at = timezone.now()
    locked.flags.filter(resolved=False).update(resolved=True, resolved_at=locked.moderated_at)
    locked.open_flag_count = 0
    locked.moderation_reason = reason
    previous = locked.status
    locked.status_before_decision = previous
    fields = ("open_flag_count", "moderated_by", "moderated_at", "moderation_reason", "status_before_decision")
    status = CommentStatus.PUBLISHED if approve else CommentStatus.REJECTED
    _set_status(locked, status, extra_fields=fields, announce=False)
    log_action(
        actor=actor,
        action="comment.approved" if approve else "comment.rejected",
        target=locked,
        note=reason,
        changes={"status": [previous, locked.status]},
    )
    schedule_decision_notice(locked)
    return locked


@transaction.atomic
@bumps_batched()
def comment_moderation_undo(*, comment: Comment, actor: User) -> Comment:
    """Take back an approval or rejection: the comment is back in the queue as it was, and nobody is told.

    A moderator's slip is fixed in one click: the flags the decision closed are
    open again and the comment has its earlier status (waiting, hidden after
    flags, published with flags). The audit trail keeps both the decision and
    its undoing. A notice already sent (after the delay) stays sent.
    """
    locked = _locked(comment)
    if not can_moderate_comment(actor, locked):
        raise PermissionDenied(_("You cannot moderate comments in this district."))
    if locked.status not in (CommentStatus.PUBLISHED, CommentStatus.REJECTED) or locked.moderated_at is None:
        raise ValidationError(_("This comment has no decision to undo."), code="undecided")
    previous = locked.status
    reopened = locked.flags.filter(resolved=True, resolved_at=locked.moderated_at).update(
        resolved=False, resolved_at=None
    )
    locked.open_flag_count += reopened
    restored = locked.status_before_decision or CommentStatus.PENDING
    locked.moderated_by = None
    locked.moderated_at = None
    locked.moderation_reason = ""
    locked.status_before_decision = ""
    fields = ("open_flag_count", "moderated_by", "moderated_at", "moderation_reason", "status_before_decision")
    _set_status(locked, restored, extra_fields=fields, announce=False)
    log_action(
        actor=actor,
        action="comment.decision_undone",
        target=locked,
        changes={"status": [previous, locked.status]},
    )
    return locked


@transaction.atomic
@bumps_batched()
def comment_moderate_many(*, comments: Iterable[Comment], actor: User, approve: bool, reason: str = "") -> int:
    """Bulk approve or reject from the moderation queue; all or nothing."""
    count = 0
    for comment in comments:
        comment_moderate(comment=comment, actor=actor, approve=approve, reason=reason)
        count += 1
    return count
