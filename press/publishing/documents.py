"""Keeping release documents current: built when a release is published, rebuilt when
anything a reader sees of it changes elsewhere.

- Publishing (an editor, `publish_scheduled`, the importer) stores the document of the new live
  revision in the same transaction, so the first reader after it already finds it.
- A change that touches many releases — a contact's phone number, a photo's file or focal
  point, a topic's name or slug (or the topic deleted), the office settings, a site's address,
  a moved newsroom — rebuilds the affected
  releases in the background task queue (PRESS["DOCUMENT_TASK_BACKEND"]) in batches, with
  progress in the log. Until a release's new document is stored, readers get its previous one.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.search import index as search_index
from wagtail.signals import page_published, post_page_move

from ..conf import press_setting
from ..documents import release_base_url, releases_prefetch_body
from ..models import (
    PhotoRights,
    PressContact,
    PressReleasePage,
    PressSettings,
    ReleaseDocument,
    Topic,
)
from ..models.documents import DOCUMENT_VERSION
from ..models.office import site_frontends_forget
from ..models.version_queries import site_releases
from .edge import releases_rebuilt

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


def release_document_published(sender, instance, **kwargs) -> None:
    # A scheduled release is "published" into a schedule first and goes live later (then
    # publish_scheduled publishes it again): only a live revision gets a document.
    if instance.live and instance.live_revision_id:
        ReleaseDocument.objects.store(release=instance)


def releases_documents_store(*, releases) -> int:
    """Build and store the documents of these live releases: the photos of all of them
    resolved at once, the office settings looked up once per site, one transaction."""
    releases = list(releases)
    releases_prefetch_body(releases=releases)
    prefetch_related_objects(releases, "topics", "tags", "corrections")
    by_site = {}
    for release in releases:
        # The site's id from Wagtail's cached root paths: get_site() would query each one.
        url_parts = release.get_url_parts()
        by_site.setdefault(url_parts[0] if url_parts else None, []).append(release)
    with transaction.atomic():
        for group in by_site.values():
            first = group[0]
            ReleaseDocument.objects.store_many(
                releases=group, office=first.office_settings(), base=release_base_url(first)
            )
    return len(releases)


@task()
def release_documents_rebuild(*, release_ids: list[int], reason: str) -> int:
    """Rebuild the documents of these live releases, a batch at a time; returns how many."""
    return releases_documents_rebuild_now(release_ids=release_ids, reason=reason)


def releases_documents_rebuild_now(*, release_ids: list[int], reason: str) -> int:
    done = 0
    total = len(release_ids)
    for start in range(0, total, BATCH_SIZE):
        batch = release_ids[start : start + BATCH_SIZE]
        releases = PressReleasePage.objects.live().filter(pk__in=batch).select_related("contact")
        done += releases_documents_store(releases=releases)
        releases_rebuilt(release_ids=batch)
        logger.info("Release documents rebuilt (%s): %s of %s", reason, done, total)
    return done


def releases_rebuild_later(*, releases, reason: str) -> None:
    """Queue a rebuild of these releases' documents once the change is committed."""
    release_ids = list(releases.live().order_by("pk").values_list("pk", flat=True))
    if not release_ids:
        return

    def enqueue():
        release_documents_rebuild.using(backend=press_setting("DOCUMENT_TASK_BACKEND")).enqueue(
            release_ids=release_ids, reason=reason
        )

    transaction.on_commit(enqueue, robust=True)


def contact_saved(sender, instance, **kwargs) -> None:
    releases_rebuild_later(
        releases=PressReleasePage.objects.filter(contact=instance), reason=f"contact {instance.pk}"
    )


def topic_saving(sender, instance, raw=False, **kwargs) -> None:
    # What readers see of a topic is its name and slug: remember them, so that saving only a
    # new description rebuilds nothing.
    if raw or instance.pk is None:
        return
    instance._press_shown = Topic.objects.filter(pk=instance.pk).values_list("name", "slug").first()


def topic_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if created or raw:  # a new topic is on no release yet
        return
    if getattr(instance, "_press_shown", None) == (instance.name, instance.slug):
        return
    releases_rebuild_later(
        releases=PressReleasePage.objects.filter(topics=instance), reason=f"topic {instance.pk}"
    )


def topic_deleting(sender, instance, **kwargs) -> None:
    # The releases are looked up now: once the topic is deleted, nothing links them to it.
    releases_rebuild_later(
        releases=PressReleasePage.objects.filter(topics=instance),
        reason=f"topic {instance.pk} deleted",
    )


def image_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not {
        "file",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
        "title",
        "description",
    } & set(update_fields):
        return
    image_releases_rebuild_later(image_id=instance.pk)


def image_releases_rebuild_later(*, image_id: int) -> None:
    page_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
        to_object_id=str(image_id),
    ).values_list("object_id", flat=True)
    releases_rebuild_later(
        releases=PressReleasePage.objects.filter(pk__in=[int(pk) for pk in page_ids]),
        reason=f"image {image_id}",
    )


def photo_rights_saved(sender, instance, **kwargs) -> None:
    # The photo's credit, licence and rights end are in the documents of the releases using it,
    # and its credit in the image's search entry (the admin's image search finds it by credit).
    image_releases_rebuild_later(image_id=instance.image_id)
    search_index.insert_or_update_object(instance.image)


def office_settings_saved(sender, instance, created=False, **kwargs) -> None:
    if created:  # made with the defaults on first use, which is what the documents show
        return
    # The site's versions too: their addresses and office are the site's.
    releases_rebuild_later(
        releases=site_releases(instance.site), reason=f"office settings of site {instance.site_id}"
    )


def site_saved(sender, instance, **kwargs) -> None:
    releases_rebuild_later(releases=site_releases(instance), reason=f"site {instance.pk}")


def page_moved(sender, instance, **kwargs) -> None:
    releases_rebuild_later(
        releases=PressReleasePage.objects.descendant_of(instance, inclusive=True),
        reason=f"page {instance.pk} moved",
    )


def documents_missing_build(sender, **kwargs) -> None:
    """After `migrate`: releases that went live before documents existed get theirs at once,
    and documents of an older DOCUMENT_VERSION (a release made before topics or photo
    downloads, say) are rebuilt with the code that now runs, in the task queue: an existing
    site (and `make run`) needs no extra step, `migrate` does not wait for every rendition,
    and readers after a deployment do not build them one by one."""
    live = PressReleasePage.objects.live().exclude(live_revision=None)
    missing = live.exclude(pk__in=ReleaseDocument.objects.values("release_id"))
    count = 0
    batch = []
    for release in missing.select_related("contact").iterator(chunk_size=BATCH_SIZE):
        batch.append(release)
        if len(batch) == BATCH_SIZE:
            count += releases_documents_store(releases=batch)
            batch = []
    count += releases_documents_store(releases=batch)
    if count:
        logger.info("Built %s missing release documents.", count)
    # Documents of an older shape (e.g. before photos had print and web sizes) are rebuilt in
    # the task queue, so `migrate` does not wait for every rendition and no reader makes them.
    releases_rebuild_later(
        releases=live.filter(document__version__lt=DOCUMENT_VERSION), reason="document version"
    )


def document_signals_connect(app_config) -> None:
    page_published.connect(
        release_document_published, sender=PressReleasePage, dispatch_uid="press.documents.publish"
    )
    post_save.connect(contact_saved, sender=PressContact, dispatch_uid="press.documents.contact")
    pre_save.connect(topic_saving, sender=Topic, dispatch_uid="press.documents.topic_saving")
    post_save.connect(topic_saved, sender=Topic, dispatch_uid="press.documents.topic")
    pre_delete.connect(topic_deleting, sender=Topic, dispatch_uid="press.documents.topic_delete")
    post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="press.documents.image")
    post_save.connect(
        photo_rights_saved, sender=PhotoRights, dispatch_uid="press.documents.photo_rights"
    )
    post_save.connect(
        office_settings_saved, sender=PressSettings, dispatch_uid="press.documents.settings"
    )
    post_save.connect(site_saved, sender=Site, dispatch_uid="press.documents.site")
    # Which sites name a frontend is cached (press.models.office.site_frontends).
    for signal in (post_save, post_delete):
        signal.connect(
            site_frontends_forget, sender=PressSettings, dispatch_uid="press.documents.frontends"
        )
    post_page_move.connect(page_moved, dispatch_uid="press.documents.move")
    post_migrate.connect(
        documents_missing_build, sender=app_config, dispatch_uid="press.documents.migrate"
    )
