"""Renditions of photos that stop being public: removed, files and all.

Renditions live in the public storage (MEDIA_ROOT or the bucket's `public/` prefix): whoever
has a rendition's address reads it. So when a photo stops being public — its release is
unpublished or deleted, an embargo link that showed it is revoked, its rights end — the
renditions no visible page still needs are deleted through Wagtail's rendition model, and
their files through the storage's own `delete` once the change is committed (Wagtail deletes
them too, from its task queue; doing it here means the addresses are dead as soon as the
change is, whatever backend runs that queue). A photo that a visible page still shows keeps
its renditions: that page's stored document names them.

Deleted renditions are made again when they are next asked for (a release published again
stores a new document, which makes them).
"""

from django.db import transaction
from wagtail.images import get_image_model

from .visibility import images_visible


def image_ids_in(body) -> set[int]:
    """The photos of a release body (its image blocks)."""
    return {
        block.value["image"].pk
        for block in body
        if block.block_type == "image" and block.value["image"] is not None
    }


def photos_renditions_withdraw(*, image_ids) -> int:
    """Delete the renditions of these photos unless a visible page shows the photo; their files
    leave the storage when the transaction commits. Returns how many renditions were deleted."""
    image_ids = set(image_ids)
    if not image_ids:
        return 0
    still_public = set(images_visible().filter(pk__in=image_ids).values_list("pk", flat=True))
    withdrawn = image_ids - still_public
    if not withdrawn:
        return 0
    renditions = list(
        get_image_model().get_rendition_model().objects.filter(image_id__in=withdrawn)
    )
    files = [(rendition.file.storage, rendition.file.name) for rendition in renditions]
    for rendition in renditions:
        rendition.delete()

    def files_delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(files_delete, robust=True)
    return len(renditions)
