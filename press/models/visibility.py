"""What the public may see besides releases: the site's other pages and the images they show.

Releases themselves: `PressReleasePage.objects.visible()` (press.models.pages).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from .pages import PressReleasePage
from .versions import site_roots_paths


def pages_visible(*, site=None) -> QuerySet:
    """Every page anyone may read: visible releases and the site's other live, public pages."""
    others = (
        Page.objects.live()
        .public()
        .filter(expired=False)
        .exclude(expire_at__lte=timezone.now())
        .not_type(PressReleasePage)
    )
    if site is not None:
        # Below the site's root page or one of its translations (the versions' home pages).
        others = others.alias(site_root_path=Substr("path", 1, len(site.root_page.path))).filter(
            site_root_path__in=site_roots_paths(site)
        )
    release_ids = PressReleasePage.objects.visible(site=site).order_by().values("pk")
    return Page.objects.filter(pk__in=others.values("pk")) | Page.objects.filter(pk__in=release_ids)


def images_visible(*, site=None) -> QuerySet:
    """Images a visible page shows; nothing else is listed publicly.

    A scheduled release's photos are uploaded before it goes live, so an image is listed only
    once a visible page uses it, and never once its rights have ended. Wagtail's reference index records what a page row references,
    and a live page's row holds its published revision: a photo only in a draft stays hidden,
    and so does an uploaded photo no page uses yet.
    """
    image_model = get_image_model()
    page_ids = (
        pages_visible(site=site)
        .order_by()
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )
    image_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=page_ids,
        to_content_type=ContentType.objects.get_for_model(image_model),
    ).values("to_object_id")
    return (
        image_model.objects.annotate(pk_text=Cast("pk", output_field=CharField()))
        .filter(pk_text__in=image_ids)
        # A photo whose rights have ended is served to nobody, whoever shows it.
        .exclude(photo_rights__rights_end__lte=timezone.now())
        .order_by("pk")
    )
