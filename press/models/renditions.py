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

A release behind a view restriction (password, login, groups, on it or an ancestor) is not
public either: when a restriction comes to cover it, its photos' renditions are withdrawn like
this (press.publishing.visibility), and its page, text version and head name no public file of
a photo: each one is linked through a checked view (`press_release_photo`), which serves it only
to a request the restriction lets in (`restricted_release_photo`). When no restriction covers
it any more, its document is rebuilt, which makes public renditions again.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from ..blocks import image_rights_expired
from ..documents import document_images
from .documents import release_document_for
from .pages import PressReleasePage
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


def images_shown_by(*, pages) -> set[int]:
    """The photos these pages show (Wagtail's reference index records what a page's row, its
    live version, references)."""
    page_ids = pages.order_by().annotate(pk_text=Cast("pk", output_field=CharField()))
    return {
        int(pk)
        for pk in ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=page_ids.values("pk_text"),
            to_content_type=ContentType.objects.get_for_model(get_image_model()),
        ).values_list("to_object_id", flat=True)
    }


def restricted_release_photo(*, request, release_id: int, image_id: int):
    """The photo of a release behind a view restriction, for a request every restriction over
    the release lets in (as Wagtail's serving of the page asks them); else None, whatever the
    reason (no such release, not live or expired, not restricted, a version whose page is not
    served, a photo it does not show or whose rights have ended), so nothing is told apart."""
    release = PressReleasePage.objects.published().filter(pk=release_id).first()
    if release is None:
        return None
    restrictions = list(release.get_view_restrictions())
    if not restrictions or not all(rule.accept_request(request) for rule in restrictions):
        return None
    # A version is served only while its original is visible, and a restricted one never is.
    if not release.is_original():
        return None
    shown = {image["id"] for image in document_images(release_document_for(release).data)}
    if image_id not in shown:
        return None
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None or image_rights_expired(image):
        return None
    return image
