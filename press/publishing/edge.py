"""Purging the edge cache by tag (surrogate keys): what each change drops, and the backend that
sends it to Varnish.

Every public answer is filed under tags (press.edge.EdgeCacheMiddleware sends them in the
`xkey` header): `release-<id>` (a release's page, text, PDF, kit, API answers and every page
listing it), `newsroom-<id>` (a newsroom's pages, filters, topic pages and feeds), `page-<id>`
(any page), `releases` (lists across newsrooms: API lists, sitemaps, the home page), `topics`
(answers listing every topic), `topic-<id>`, `contact-<id>`, `site-<id>` (everything showing
that site's office settings) and `versions-<translation key>` (a release's answers that link its
versions in other languages: its page, the press API's detail and ninjs). A change purges exactly the tags of what it alters, once its
transaction has committed; a backend without tags (Cloudflare, CloudFront) gets the addresses
press.publishing.purge works out instead.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, PageViewRestriction, Revision, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from ..http import edge_next_change_forget
from ..models import (
    PhotoRights,
    PressContact,
    PressIndexPage,
    PressReleasePage,
    PressSettings,
    ReleaseDocument,
    Topic,
)

logger = logging.getLogger("wagtail.frontendcache")

# Tags per PURGE request: Varnish refuses request headers beyond 8 KiB (http_req_hdr_len).
TAGS_PER_REQUEST = 200


class VarnishXkeyBackend(HTTPBackend):
    """Wagtail's HTTP (Varnish) backend that also purges by tag: a PURGE with the tags in the
    `xkey-purge` header, which the shipped VCL (deploy/varnish/default.vcl) hands to
    `xkey.purge()`. Addresses are purged as by HTTPBackend (`PURGE <path>`) when asked; a
    release's change sends its tags alone (press.publishing.signals).

    WAGTAILFRONTENDCACHE = {"varnish": {
        "BACKEND": "press.publishing.edge.VarnishXkeyBackend",
        "LOCATION": "http://127.0.0.1:6081", "TIMEOUT": 5}}
    """

    def __init__(self, params):
        params = dict(params)
        self.location = params["LOCATION"].rstrip("/")
        self.timeout = float(params.pop("TIMEOUT", 5))
        super().__init__(params)

    def purge(self, url) -> None:
        # As HTTPBackend, with a timeout: a hung Varnish must not hold up a publish.
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.send(PurgeRequest(url=self.location + path, headers={"Host": host}), what=url)

    def purge_tags(self, tags: list[str]) -> None:
        for start in range(0, len(tags), TAGS_PER_REQUEST):
            chunk = tags[start : start + TAGS_PER_REQUEST]
            request = PurgeRequest(url=self.location + "/", headers={"xkey-purge": " ".join(chunk)})
            self.send(request, what="tags " + " ".join(chunk))

    def send(self, request, *, what: str) -> None:
        try:
            with urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (HTTPError, URLError, OSError) as error:
            # A lost purge is bounded: no answer is kept past its max-age or its next scheduled
            # change (press.edge), so it is logged, never raised into a publish.
            logger.error("Couldn't purge %s from %s: %s", what, self.location, error)


def tag_backends() -> list:
    return [backend for backend in get_backends().values() if hasattr(backend, "purge_tags")]


def edge_purge(*, tags) -> None:
    """Drop every answer filed under any of these tags, once the current transaction commits
    (at once outside one): a reader in between must not put the old answer back."""
    tags = sorted(set(tags))
    backends = tag_backends() if tags else []
    if not backends:
        return

    def send():
        for backend in backends:
            backend.purge_tags(tags)

    transaction.on_commit(send, robust=True)


def page_tags(page) -> list[str]:
    """The tags of a page's own answers (its page, and for a release its API answers)."""
    tags = [f"page-{page.pk}"]
    if isinstance(page, PressReleasePage):
        tags += [f"release-{page.pk}", f"versions-{page.translation_key}"]
    elif isinstance(page, PressIndexPage):
        tags.append(f"newsroom-{page.pk}")
    return tags


def release_tags(*, release_id: int, parent_id: int | None, translation_key=None) -> list[str]:
    """What a release's change drops: its own answers, its newsroom's lists and feeds (every
    page, filter, year and topic), the lists across newsrooms, and the answers of its versions
    in other languages, which link it (`translation_key`)."""
    tags = [f"release-{release_id}", f"page-{release_id}", "releases"]
    if parent_id is not None:
        tags += [f"newsroom-{parent_id}", f"page-{parent_id}"]
    if translation_key is not None:
        tags.append(f"versions-{translation_key}")
    return tags


def releases_tags(*, release_ids) -> list[str]:
    """The tags of these releases' changes; their newsrooms found in one query."""
    rows = list(
        Page.objects.filter(pk__in=list(release_ids)).values_list("pk", "path", "translation_key")
    )
    parent_paths = {path[: -Page.steplen] for _pk, path, _key in rows}
    parents = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    tags = []
    for pk, path, key in rows:
        tags += release_tags(
            release_id=pk, parent_id=parents.get(path[: -Page.steplen]), translation_key=key
        )
    return tags


def subtree_tags(page) -> list[str]:
    """Everything at or below `page`, and the list its parent shows it in."""
    release_type = ContentType.objects.get_for_model(PressReleasePage)
    newsroom_type = ContentType.objects.get_for_model(PressIndexPage)
    tags = ["releases"]
    rows = Page.objects.filter(path__startswith=page.path).values_list(
        "pk", "content_type_id", "translation_key"
    )
    for pk, content_type_id, key in rows:
        tags.append(f"page-{pk}")
        if content_type_id == release_type.pk:
            tags += [f"release-{pk}", f"versions-{key}"]
        elif content_type_id == newsroom_type.pk:
            tags.append(f"newsroom-{pk}")
    parent = page.get_parent()
    if parent is not None:
        tags += page_tags(parent.specific)
    return tags


# --- what each change drops ---------------------------------------------------------------------


def page_changed(sender, instance, **kwargs) -> None:
    # Any page published or unpublished: its own answers (a release's wider purge, with its
    # newsroom and the lists, is press.publishing.signals' after the change commits).
    edge_purge(tags=page_tags(instance))


def page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    tags = subtree_tags(instance)
    for parent in (parent_page_before, parent_page_after):
        if parent is not None:
            tags += page_tags(parent.specific)
    edge_purge(tags=tags)


def restriction_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        edge_purge(tags=subtree_tags(page))


def contact_changed(sender, instance, raw=False, **kwargs) -> None:
    # Pages show the contact from its row; the API answers from the release documents, which
    # are rebuilt in the task queue and purged again when they are (releases_rebuilt).
    if not raw:
        edge_purge(tags=[f"contact-{instance.pk}"])


def topic_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        edge_purge(tags=[f"topic-{instance.pk}", "topics"])


def office_settings_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        edge_purge(tags=[f"site-{instance.site_id}"])


def site_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        edge_purge(tags=[f"site-{instance.pk}"])


def releases_rebuilt(*, release_ids) -> None:
    """The documents of these releases were rebuilt (a contact, topic, photo, the office
    settings changed): every answer showing them goes, now that readers get the new ones."""
    edge_purge(tags=releases_tags(release_ids=release_ids))


def next_change_forget(sender, instance=None, **kwargs) -> None:
    # A go-live scheduled, an expiry or a photo's rights end set: the lifetimes of the next
    # answers must end by then (press.edge remembers the next one).
    if isinstance(instance, (Page, Revision, PhotoRights, ReleaseDocument)):
        edge_next_change_forget()


def edge_signals_connect() -> None:
    post_save.connect(next_change_forget, dispatch_uid="press.edge.next_change")
    post_delete.connect(next_change_forget, dispatch_uid="press.edge.next_change_delete")
    page_published.connect(next_change_forget, dispatch_uid="press.edge.next_change_publish")
    page_published.connect(page_changed, dispatch_uid="press.edge.published")
    page_unpublished.connect(page_changed, dispatch_uid="press.edge.unpublished")
    post_page_move.connect(page_moved, dispatch_uid="press.edge.moved")
    post_save.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="press.edge.restriction"
    )
    pre_delete.connect(
        restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="press.edge.restriction_delete",
    )
    post_save.connect(contact_changed, sender=PressContact, dispatch_uid="press.edge.contact")
    post_delete.connect(
        contact_changed, sender=PressContact, dispatch_uid="press.edge.contact_delete"
    )
    post_save.connect(topic_changed, sender=Topic, dispatch_uid="press.edge.topic")
    post_delete.connect(topic_changed, sender=Topic, dispatch_uid="press.edge.topic_delete")
    post_save.connect(
        office_settings_changed, sender=PressSettings, dispatch_uid="press.edge.settings"
    )
    post_save.connect(site_changed, sender=Site, dispatch_uid="press.edge.site")
