"""Thin HTTP wrappers: the embargo reading views for journalists, the photo originals and the
photos of releases behind a view restriction."""

import mimetypes
import re
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from .blocks import DOWNLOAD_SPECS, image_file_name, image_rights_expired, photo_size_spec
from .conf import press_setting
from .documents import (
    PHOTO_ORIGINAL,
    release_body_data,
    release_render_text_for,
    release_serialize,
)
from .http import attachment_disposition, etag_from, response_conditional
from .models import images_visible
from .models.embargo import (
    embargo_go_live_at,
    embargo_link_for_token,
    embargo_notice,
    embargo_photo_ids,
    embargo_release_version,
)
from .models.renditions import restricted_release_photo
from .ninjs import ninjs_response, release_ninjs


def _reader_private(response: HttpResponse) -> HttpResponse:
    # An answer for this reader alone (an embargo link's, whose address is the secret, or a
    # restricted release's photo): no shared cache keeps it, no index lists it, and no link
    # followed from it carries the address away in a Referer header.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _embargo_release_or_404(token: str):
    link = embargo_link_for_token(token=token)
    if link is None:
        raise Http404(_("Embargo link invalid, expired or revoked."))
    return link.release.specific


def file_response(file, *, attachment_name: str | None = None) -> FileResponse:
    """A stored file (a rendition, an original) streamed from its storage, typed by its name;
    as a download under `attachment_name` when given."""
    name = attachment_name or file.name
    response = FileResponse(
        file.storage.open(file.name, "rb"),
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    if attachment_name:
        response["Content-Disposition"] = attachment_disposition(attachment_name)
    return response


def embargo_photo_sizes() -> dict[str, str]:
    """The rendition sizes an embargo reading offers, by the name its address carries: the
    srcset widths ("800") and the download sizes ("print", "web")."""
    widths = {str(width): f"width-{width}" for width in press_setting("IMAGE_WIDTHS")}
    return {**widths, **DOWNLOAD_SPECS}


def _embargo_renditions_private(data, *, body: list[dict], token: str, request):
    """Every rendition address in an embargo reading's data (body, page head, JSON-LD) becomes
    the token-checked `press_embargo_photo` view's: the files sit in the public storage, and a
    reader given their addresses could keep reading them after the link is revoked."""
    sizes = embargo_photo_sizes()
    images = get_image_model().objects.in_bulk(
        {block["value"]["image"]["id"] for block in body if _is_photo(block)}
    )
    replacements = {}
    for image in images.values():
        made = image.get_renditions(*sizes.values())
        for size, spec in sizes.items():
            replacements[made[spec].url] = reverse(
                "press_embargo_photo", kwargs={"token": token, "image_id": image.pk, "size": size}
            )

    def private(value):
        if isinstance(value, str):
            for public, checked in replacements.items():
                if public in value:
                    # An address made absolute (the site's root before /media/) stays absolute.
                    value = re.sub(
                        r"(https?://[^\s\"'<>,]*?)?" + re.escape(public),
                        lambda found, checked=checked, public=public: (
                            request.build_absolute_uri(checked)
                            if found.group(1) or public.startswith(("http://", "https://"))
                            else checked
                        ),
                        value,
                    )
            return value
        if isinstance(value, dict):
            return {key: private(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(private(item) for item in value)
        return value

    return private(data)


def _is_photo(block: dict) -> bool:
    return block["type"] == "image" and bool(block["value"].get("image"))


def _embargo_downloads(body: list[dict], *, token: str) -> None:
    """The original downloads of an embargo reading carry the link's token: the photo view
    then serves this release's originals (and only these) before the release is public."""
    images = [block["value"]["image"] for block in body if block["type"] == "image"]
    suffix = "?" + urlencode({"embargo": token})
    for image in images:
        if image and "?" not in image["url"]:
            image["url"] += suffix


@require_safe
def embargo_release(request, token: str):
    release = _embargo_release_or_404(token)
    if release.is_visible():
        return redirect(release.url)
    version = embargo_release_version(release=release)
    version.draft_rendering = True  # built from the revision; nothing stored for it
    context = version.get_context(request)
    # The head's photo list holds the same image data as the body: one pass covers both.
    _embargo_downloads(context["document"]["body"], token=token)
    context["document"] = _embargo_renditions_private(
        context["document"], body=context["document"]["body"], token=token, request=request
    )
    context["release_meta"] = context["document"]["meta"]
    context.update(
        embargo_notice=embargo_notice(release=release),
        embargo_text_url=reverse("press_embargo_text", kwargs={"token": token}),
    )
    response = TemplateResponse(request, "press/embargo_release_page.html", context)
    return _reader_private(response)


@require_safe
def embargo_release_text(request, token: str):
    release = _embargo_release_or_404(token)
    if release.is_visible():
        query = request.META.get("QUERY_STRING", "")
        return redirect(release.url + "text/" + (f"?{query}" if query else ""))
    version = embargo_release_version(release=release)
    body = release_body_data(release=version, request=request, renditions=False)
    _embargo_downloads(body, token=token)
    text = release_render_text_for(release=version, request=request, body=body)
    notice = embargo_notice(release=release).upper()
    response = HttpResponse(f"{notice}\n\n{text}", content_type="text/plain; charset=utf-8")
    # The same `?download=1` as the public text version: a file to keep instead of a page.
    download = request.GET.get("download") in {"1", "true", "ja", "yes"}
    response["Content-Disposition"] = attachment_disposition(
        version.text_file_name(), inline=not download
    )
    return _reader_private(response)


@require_safe
def embargo_release_ninjs(request, token: str):
    """The embargoed release as ninjs 3.1 with `embargoedUntil`, for a news desk's system."""
    release = _embargo_release_or_404(token)
    if release.is_visible():
        return redirect(reverse("press_api:releases_ninjs", kwargs={"id": release.pk}))
    version = embargo_release_version(release=release)
    body = release_body_data(release=version, request=request)
    _embargo_downloads(body, token=token)
    body = _embargo_renditions_private(body, body=body, token=token, request=request)
    api = release_serialize(release=version, request=request, body=body)
    # The reader holds the embargo addresses, not the public ones (404 before go-live).
    api["html_url"] = request.build_absolute_uri(reverse("press_embargo", args=[token]))
    api["text_url"] = request.build_absolute_uri(reverse("press_embargo_text", args=[token]))
    text = release_render_text_for(release=version, request=request, body=body)
    item = release_ninjs(
        api,
        text=text,
        language=translation.get_language(),
        office_name=version.office_settings(request).office_name,
        version=str(version.latest_revision_id or ""),
        embargoed_until=embargo_go_live_at(release=release),
    )
    return _reader_private(ninjs_response(item))


def _embargo_photo_ids(token: str) -> set[int]:
    """The photos of the version an embargo link shows (nothing for a dead link)."""
    link = embargo_link_for_token(token=token)
    if link is None:
        return set()
    return embargo_photo_ids(release=link.release)


@require_safe
def embargo_photo(request, token: str, image_id: int, size: str):
    """A photo of an embargo reading in one of its sizes, while the link is active.

    The rendition is made (or found) through Wagtail's `get_rendition` and streamed from its
    storage; its own public address is never handed out, so revoking the link (which deletes
    the renditions no visible page needs) ends the reading of the photos too."""
    spec = embargo_photo_sizes().get(size)
    if spec is None or image_id not in _embargo_photo_ids(token):
        raise Http404(_("Embargo link invalid, expired or revoked."))
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None or image_rights_expired(image):
        raise Http404(_("No such photo, or it is not public."))
    return _reader_private(file_response(image.get_rendition(spec).file))


def _photo_for(request, image_id: int):
    """(image, public) if the reader may download its original: a visible page shows it, the
    reader holds an embargo link to a release showing it, or is an editor (previews of drafts
    link the same view); else (None, True). Only the first is cacheable by others."""
    image = images_visible().filter(pk=image_id).first()
    if image is not None:
        return image, True
    token = request.GET.get("embargo")
    allowed = (
        request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")
    ) or (token is not None and image_id in _embargo_photo_ids(token))
    if allowed:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is not None and image_rights_expired(image) and token is not None:
            return None, True  # an embargo reader gets no photo whose rights have ended
        return image, False
    return None, True


@require_safe
def photo_original(request, image_id: int, file_name: str):
    """A photo's original as an attachment, only while a visible page shows it.

    Originals live in the private storage (never served by the web server or readable in the
    bucket); a photo of a draft, scheduled (embargoed), private or withdrawn release, or one no
    page uses, is a 404 like any unknown address."""
    image, public = _photo_for(request, image_id)
    if image is None or image_file_name(image) != file_name:
        raise Http404(_("No such photo, or it is not public."))

    def render():
        response = file_response(image.file, attachment_name=file_name)
        if image.file_size:
            response["Content-Length"] = str(image.file_size)
        return response

    response = response_conditional(
        request=request,
        etag=etag_from("photo-original", image.pk, image.file.name, image.file_hash),
        last_modified=image.created_at,
        public=public,
        render=render,
    )
    if not public:
        _reader_private(response)
    return response


@require_safe
def release_photo(request, release_id: int, image_id: int, size: str):
    """A photo of a release behind a view restriction (password, login, groups), for a reader
    the restriction lets in: the page links each size here instead of the rendition's public
    address (PressReleasePage.photo_addresses_checked), and its original.

    The same restrictions as Wagtail's serving of the page are asked of the request
    (`PageViewRestriction.accept_request`, on the release and its ancestors); anything else is
    a 404 like an unknown address, so no one learns that the release or the photo exists.
    Never kept by a shared cache: the answer is for this reader."""
    image = restricted_release_photo(request=request, release_id=release_id, image_id=image_id)
    if image is None:
        raise Http404(_("No such photo, or it is not public."))
    if size == PHOTO_ORIGINAL:
        return _reader_private(file_response(image.file, attachment_name=image_file_name(image)))
    spec = photo_size_spec(size=size, image_width=image.width)
    if spec is None:
        raise Http404(_("No such photo, or it is not public."))
    return _reader_private(file_response(image.get_rendition(spec).file))
