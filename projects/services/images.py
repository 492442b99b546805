"""The gallery of a project: images added, captioned, reordered and removed by district staff."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction

from accounts.models import User
from core.audit import log_action
from core.uploads import IMAGE_KINDS, validate_upload
from projects.models import Project, ProjectImage
from projects.services.projects import require_district


@transaction.atomic
def project_add_image(
    *, project: Project, actor: User | None, image: File, caption: str = "", position: int | None = None
) -> ProjectImage:
    """Attach a re-encoded copy of an image to the project's gallery (at the end unless ``position`` is given)."""
    require_district(actor, project.district_id)
    safe = validate_upload(image, kinds=IMAGE_KINDS)
    if position is None:
        position = project.images.count()
    added = ProjectImage.objects.create(project=project, image=safe, caption=caption.strip(), position=position)
    log_action(actor=actor, action="project.image_added", target=project, note=added.caption)
    return added


@transaction.atomic
def project_image_update(*, actor: User | None, image: ProjectImage, caption: str, position: int) -> ProjectImage:
    """Change an image's caption or place in the gallery."""
    require_district(actor, image.project.district_id)
    image.caption = caption.strip()
    image.position = position
    image.save(update_fields=["caption", "position"])
    return image


@transaction.atomic
def project_remove_image(*, actor: User | None, image: ProjectImage) -> None:
    """Take an image out of the gallery."""
    require_district(actor, image.project.district_id)
    log_action(actor=actor, action="project.image_removed", target=image.project, note=image.caption)
    image.delete()
