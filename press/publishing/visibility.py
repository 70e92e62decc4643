"""The visibility fact stored on release documents: whether a view restriction on the release
or one of its ancestors covers it (`ReleaseDocument.restricted`, read by the visibility rule).

It changes when a view restriction is added, changed or removed, and when a page moves (its
ancestors change). Each change rewrites the fact of every stored document below the page, in
one UPDATE, asked of the database (the restrictions and the tree as they are now):

- a view restriction: a new one hides the documents below its page before it is written, and
  the fact is worked out again once it is saved or deleted, so no reader ever sees a release a
  restriction covers, whether or not the caller holds a transaction;
- a move: Wagtail's move saves the moved page inside its own transaction once the tree is
  rewritten; the fact is rewritten there (`pre_page_move` names the page, `post_save` of that
  page does the work), so it commits with the move.

Publishing stores the fact with the document (`ReleaseDocumentQuerySet.store_many`); live,
expiry and the site are read from the page's row on every request.

The photos follow the fact (press.models.renditions): when a restriction comes to cover a
release (a restriction saved, a move below one), the renditions of its photos leave the public
storage in the same transaction (their files once it commits), unless a visible page shows the
photo; its readers get them through the checked view. When none covers it any more (the
restriction deleted, a move out), its document, which names the renditions withdrawn, is
rebuilt in the task queue, which makes public ones again.
"""

import threading

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move, pre_page_move

from ..models import PressReleasePage, ReleaseDocument
from ..models.documents import view_restrictions_over
from ..models.renditions import images_shown_by, photos_renditions_withdraw
from .documents import releases_rebuild_later

# Pages Wagtail is moving in this thread, between pre_page_move and the save inside the move.
moving = threading.local()


def documents_restricted_refresh(*, path: str) -> int:
    """Work out `restricted` again for every stored document of a release at or below the page
    at `path`; returns how many documents were rewritten."""
    covered = Page.objects.filter(pk=OuterRef("release_id")).filter(
        Exists(view_restrictions_over(OuterRef("path")))
    )
    return ReleaseDocument.objects.filter(release__path__startswith=path).update(
        restricted=Exists(covered)
    )


def releases_restricted_below(*, path: str) -> set[int]:
    """The releases at or below the page at `path` whose stored fact says restricted."""
    return set(
        ReleaseDocument.objects.filter(release__path__startswith=path, restricted=True).values_list(
            "release_id", flat=True
        )
    )


def restrictions_apply(*, path: str, restricted_before: set[int] | None) -> None:
    """Work out the fact below the page at `path` again, and let the photos follow it: the
    releases now covered lose their public renditions, those no longer covered get their
    documents rebuilt. `restricted_before`: the releases covered before the change; None when
    a restriction was just added over all of them (they are hidden before it is written)."""
    documents_restricted_refresh(path=path)
    restricted = releases_restricted_below(path=path)
    newly_restricted = restricted if restricted_before is None else restricted - restricted_before
    newly_public = set() if restricted_before is None else restricted_before - restricted
    if newly_restricted:
        photos_renditions_withdraw(
            image_ids=images_shown_by(pages=Page.objects.filter(pk__in=newly_restricted))
        )
    if newly_public:
        releases_rebuild_later(
            releases=PressReleasePage.objects.filter(pk__in=newly_public),
            reason="no view restriction any more",
        )


def documents_hide_below(*, path: str) -> None:
    ReleaseDocument.objects.filter(release__path__startswith=path, restricted=False).update(
        restricted=True
    )


def page_path(page_id) -> str | None:
    return Page.objects.filter(pk=page_id).values_list("path", flat=True).first()


def restriction_saving(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is not None:
        return
    path = page_path(instance.page_id)
    if path is not None:
        documents_hide_below(path=path)


def restriction_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    path = page_path(instance.page_id)
    if path is None:
        return
    if created:
        restrictions_apply(path=path, restricted_before=None)
    else:  # another password or other groups: what it covers stays covered
        documents_restricted_refresh(path=path)


def restriction_deleted(sender, instance, **kwargs) -> None:
    # A page deleted with its restrictions takes its releases and their documents with it.
    path = page_path(instance.page_id)
    if path is not None:
        restrictions_apply(path=path, restricted_before=releases_restricted_below(path=path))


def moving_pages() -> set:
    if not hasattr(moving, "pages"):
        moving.pages = set()
    return moving.pages


def page_moving(sender, instance, **kwargs) -> None:
    moving_pages().add(instance.pk)


def page_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Page) or instance.pk not in moving_pages():
        return
    moving_pages().discard(instance.pk)
    page_restrictions_apply(page_id=instance.pk)


def page_restrictions_apply(*, page_id) -> None:
    path = page_path(page_id)
    restrictions_apply(path=path, restricted_before=releases_restricted_below(path=path))


def page_moved(sender, instance, **kwargs) -> None:
    # A move that saved no page in between (not Wagtail's own action): rewrite it now.
    if instance.pk in moving_pages():
        moving_pages().discard(instance.pk)
        page_restrictions_apply(page_id=instance.pk)


def visibility_signals_connect() -> None:
    pre_save.connect(
        restriction_saving, sender=PageViewRestriction, dispatch_uid="press.visibility.saving"
    )
    post_save.connect(
        restriction_saved, sender=PageViewRestriction, dispatch_uid="press.visibility.saved"
    )
    post_delete.connect(
        restriction_deleted, sender=PageViewRestriction, dispatch_uid="press.visibility.deleted"
    )
    pre_page_move.connect(page_moving, dispatch_uid="press.visibility.moving")
    post_save.connect(page_saved, dispatch_uid="press.visibility.page_saved")
    post_page_move.connect(page_moved, dispatch_uid="press.visibility.moved")
