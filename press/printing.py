"""The print version: a release as a PDF in the layout of the printed Pressedienst, made with
WeasyPrint from HTML and CSS paged media (press/print/release.html).

- office and service name and the date on the first page, the title below;
- from the second page on, the running title and "Seite N" at the top;
- photos with caption and ©credit, the contact, the address of the text version;
- German hyphenation (`hyphens: auto` with the document's language);
- a tagged PDF/UA-1 document (BITV 2.0 and EN 301 549 ask it of every document a public body
  hands out): WeasyPrint's `pdf/ua-1` variant writes the structure tree in reading order from
  the HTML (headings, paragraphs, lists, quotes, each photo a Figure with its alternative text
  and its caption with the ©credit as text), the language (`/Lang`), the title shown as the
  window title. The running head and foot of the pages (CSS margin boxes) WeasyPrint 68
  leaves as marked content outside the structure tree (it tags them as artifacts only in
  PDF 2.0); `pagination_as_artifacts` marks them as pagination artifacts with pikepdf, as
  PDF/UA-1 asks (Matterhorn 18), so a screen reader skips them.

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
import io
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
# The accessible PDF variant WeasyPrint writes (its VARIANTS; PDF/UA-1 is ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"
# The region a PDF's language is written with when the release's language has none: a German
# release of a German office is de-DE (PDF readers choose the voice of a screen reader by it).
LANGUAGE_REGIONS = {"de": "DE"}


def pdf_language_tag(language: str) -> str:
    """The BCP 47 tag of a PDF's `/Lang` for a Django language code: `de` → `de-DE`,
    `de-at` → `de-AT`, `en` → `en`."""
    base, _, region = (language or "de").replace("_", "-").partition("-")
    region = region or LANGUAGE_REGIONS.get(base.lower(), "")
    return f"{base.lower()}-{region.upper()}" if region else base.lower()


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


def _struct_reachable(root) -> set[tuple[int, int]]:
    """The structure elements (by object id) reachable from the structure tree's root."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.is_indirect and kid.objgen not in seen:
                seen.add(kid.objgen)
                pending.append(kid)
    return seen


def pagination_as_artifacts(pdf_bytes: bytes) -> bytes:
    """The PDF with the content of structure elements outside the structure tree (WeasyPrint's
    page margin boxes: running title, page number, the office's line) marked as
    `/Artifact <</Type /Pagination>>` instead of a dangling MCID, and dropped from the parent
    tree."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes
        reachable = _struct_reachable(root)
        nums = root.ParentTree.Nums
        by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            elements = by_key.get(int(key)) if key is not None else None
            if not isinstance(elements, pikepdf.Array):
                continue
            outside = {
                mcid
                for mcid, element in enumerate(elements)
                if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
            }
            if not outside:
                continue
            operations = []
            for operands, operator in pikepdf.parse_content_stream(page):
                properties = operands[1] if len(operands) == 2 else None
                if (
                    str(operator) == "BDC"
                    and isinstance(properties, pikepdf.Dictionary)
                    and int(properties.get("/MCID", -1)) in outside
                ):
                    operands = [
                        pikepdf.Name.Artifact,
                        pikepdf.Dictionary(Type=pikepdf.Name.Pagination),
                    ]
                operations.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
            for mcid in outside:
                elements[mcid] = None
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


def release_pdf_render(*, context: dict, language: str) -> bytes:
    """The tagged PDF/UA-1 print version; `language`: the release's language (Django code)."""
    html = render_to_string(
        "press/print/release.html", {**context, "language_tag": pdf_language_tag(language)}
    )
    document = weasyprint_html()(string=html, url_fetcher=rendition_fetcher)
    return pagination_as_artifacts(document.write_pdf(pdf_variant=PDF_VARIANT))


def release_pdf(*, etag: str, language: str, context: dict) -> bytes:
    """The PDF of a stored document (cached under its validator), or of a draft (`etag` "")."""
    if not etag:
        return release_pdf_render(context=context, language=language)
    # "ua1": PDFs cached before they were tagged are not served again.
    key = f"press:pdf:ua1:{etag.strip(chr(34))}:{language}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = release_pdf_render(context=context, language=language)
        cache.set(key, pdf, timeout=60 * 60 * 24 * 30)
    return pdf
