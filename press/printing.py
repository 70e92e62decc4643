"""The print version: a release as a PDF in the layout of the printed Pressedienst, made with
WeasyPrint from HTML and CSS paged media (press/print/release.html).

- office and service name and the date on the first page, the title below;
- from the second page on, the running title and "Seite N" at the top;
- photos with caption and ©credit, the contact, the address of the text version;
- German hyphenation (`hyphens: auto` with the document's language).

The PDF is made from the release's stored document and kept in Django's cache under the
document's validator, which every process reads from the database: a new publication makes a
new key, and a lost cache only costs a rendering.

WeasyPrint is the optional extra `wagtail-press-releases[pdf]` (it needs Pango): it is imported
only when a PDF is rendered, so a site without it loads the models and migrates; its releases
offer no print version (`pdf_available`), and the check press.I001 says how to turn it on.

Photos reach WeasyPrint through `press-rendition:<image id>/<width>` addresses that only the
fetcher below resolves (from the image storage); it fetches nothing else, so no address in a
release can make the server request anything.
"""

import importlib.util
import logging
import mimetypes

from django.core.cache import cache
from django.template.loader import render_to_string
from PIL import ImageFile
from wagtail.images import get_image_model

logger = logging.getLogger(__name__)

RENDITION_SCHEME = "press-rendition:"
PRINT_WIDTH = 800  # pixels of the photos in print (about 15 cm at 135 dpi)
PDF_EXTRA = "wagtail-press-releases[pdf]"


def pdf_available() -> bool:
    """Whether WeasyPrint can be imported here (the `pdf` extra is installed).

    A look-up without importing it (WeasyPrint is slow to import and needs Pango only when a
    PDF is made), asked on each use so that a test can take the package away in-process."""
    try:
        return importlib.util.find_spec("weasyprint") is not None
    except (ImportError, ValueError):  # blocked, or an entry without a spec: absent
        return False


def weasyprint_html():
    """WeasyPrint's `HTML` class, imported on the first PDF a process renders."""
    from weasyprint import HTML

    # WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when
    # imported; that would let a cut-off upload pass the plugin's image checks (press.images).
    # The print version only embeds renditions Wagtail made, which are whole, so the default
    # comes back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML


def rendition_fetcher(url: str):
    """WeasyPrint's URL fetcher: the photos of the release, nothing else."""
    if not url.startswith(RENDITION_SCHEME):
        raise ValueError(f"The print version fetches no outside address ({url[:80]})")
    image_id, _, width = url.removeprefix(RENDITION_SCHEME).partition("/")
    image = get_image_model().objects.get(pk=int(image_id))
    rendition = image.get_rendition(f"width-{int(width)}")
    with rendition.file.open("rb") as source:
        data = source.read()
    from weasyprint.urls import URLFetcherResponse

    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})


def release_pdf_render(*, context: dict) -> bytes:
    html = render_to_string("press/print/release.html", context)
    return weasyprint_html()(string=html, url_fetcher=rendition_fetcher).write_pdf()


def release_pdf(*, etag: str, language: str, context: dict) -> bytes:
    """The PDF of a stored document (cached under its validator), or of a draft (`etag` "")."""
    if not etag:
        return release_pdf_render(context=context)
    key = f"press:pdf:{etag.strip(chr(34))}:{language}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = release_pdf_render(context=context)
        cache.set(key, pdf, timeout=60 * 60 * 24 * 30)
    return pdf
