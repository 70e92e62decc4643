"""When a photo's rights end: it leaves every release showing it, at that moment.

`press_photo_rights_expire` (cron, every minute, next to Wagtail's `publish_scheduled`) finds
the photos whose rights end has come and that have not been handled yet. For each such photo:

- its renditions are deleted with their public files (press.models.renditions), so the
  addresses already handed out stop serving it; the original is served only through the plugin's view,
  which refuses an expired photo (press.models.visibility.images_visible);
- the documents of the live releases showing it are rebuilt in the task queue
  (PRESS["DOCUMENT_TASK_BACKEND"], the machinery a changed contact uses), without the photo;
- then each of those releases is purged from frontend caches and announced by webhook
  (`release.updated`).

Between the rights end and the job's run (up to a minute), readers never see the photo either:
every stored document knows the earliest rights end of its photos and is rebuilt on read once
it has passed (press.models.documents.document_is_current).
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from ..conf import press_setting
from ..models import PhotoRights, PressReleasePage
from ..models.renditions import photos_renditions_withdraw
from .documents import releases_documents_rebuild_now
from .signals import release_change_notify
from .webhooks import RELEASE_UPDATED

logger = logging.getLogger(__name__)


def releases_showing_images(*, image_ids: list[int]) -> list[int]:
    """The live releases whose published content shows any of these images (Wagtail's
    reference index holds what each page row, the live version, references)."""
    page_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
        to_object_id__in=[str(pk) for pk in image_ids],
    ).values_list("object_id", flat=True)
    return list(
        PressReleasePage.objects.live()
        .filter(pk__in={int(pk) for pk in page_ids})
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@task()
def releases_photo_withdraw(*, release_ids: list[int], reason: str) -> int:
    """Rebuild these releases' documents (the expired photos drop out), then purge and
    announce each one that is public."""
    done = releases_documents_rebuild_now(release_ids=release_ids, reason=reason)
    for release in PressReleasePage.objects.visible().filter(pk__in=release_ids):
        release_change_notify(release=release, event=RELEASE_UPDATED)
    return done


def photos_expired_withdraw(*, now=None) -> list[int]:
    """Carry out every rights end that has come and is not handled yet; returns the images."""
    now = now or timezone.now()
    with transaction.atomic():
        rights = (
            PhotoRights.objects.select_for_update(skip_locked=True)
            .filter(rights_end__lte=now, expiry_handled_at=None)
            .order_by("pk")
        )
        image_ids = [row.image_id for row in rights]
        if not image_ids:
            return []
        release_ids = releases_showing_images(image_ids=image_ids)
        # No visible page shows a photo whose rights ended (images_visible): every rendition
        # goes, and its file leaves the public storage when this commits.
        photos_renditions_withdraw(image_ids=image_ids)
        PhotoRights.objects.filter(pk__in=image_ids).update(expiry_handled_at=now)
        reason = "rights ended: image " + ", ".join(str(pk) for pk in image_ids)
        logger.info("Photo rights ended (%s): %s releases affected", reason, len(release_ids))
        if release_ids:

            def enqueue():
                releases_photo_withdraw.using(
                    backend=press_setting("DOCUMENT_TASK_BACKEND")
                ).enqueue(release_ids=release_ids, reason=reason)

            transaction.on_commit(enqueue, robust=True)
    return image_ids
