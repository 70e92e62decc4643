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
"""

import threading

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move, pre_page_move

from ..models import ReleaseDocument
from ..models.documents import view_restrictions_over

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


def restriction_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    # A page deleted with its restrictions takes its releases and their documents with it.
    path = page_path(instance.page_id)
    if path is not None:
        documents_restricted_refresh(path=path)


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
    documents_restricted_refresh(path=page_path(instance.pk))


def page_moved(sender, instance, **kwargs) -> None:
    # A move that saved no page in between (not Wagtail's own action): rewrite it now.
    if instance.pk in moving_pages():
        moving_pages().discard(instance.pk)
        documents_restricted_refresh(path=page_path(instance.pk))


def visibility_signals_connect() -> None:
    pre_save.connect(
        restriction_saving, sender=PageViewRestriction, dispatch_uid="press.visibility.saving"
    )
    post_save.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="press.visibility.saved"
    )
    post_delete.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="press.visibility.deleted"
    )
    pre_page_move.connect(page_moving, dispatch_uid="press.visibility.moving")
    post_save.connect(page_saved, dispatch_uid="press.visibility.page_saved")
    post_page_move.connect(page_moved, dispatch_uid="press.visibility.moved")
