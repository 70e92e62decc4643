"""Thin HTTP wrappers: the embargo reading views for journalists."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .documents import release_render_text_for
from .http import attachment_disposition
from .models.embargo import embargo_link_for_token, embargo_notice


def embargo_release_version(*, release):
    """What goes live: the approved scheduled revision, else the latest draft."""
    revision = release.scheduled_revision or release.get_latest_revision()
    return revision.as_object() if revision is not None else release


def _embargo_private(response: HttpResponse) -> HttpResponse:
    # The address is the secret: no shared cache keeps it, no index lists it, and no link
    # followed from the page carries it away in a Referer header.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _embargo_release_or_404(token: str):
    link = embargo_link_for_token(token=token)
    if link is None:
        raise Http404(_("Embargo link invalid, expired or revoked."))
    return link.release.specific


@require_GET
def embargo_release(request, token: str):
    release = _embargo_release_or_404(token)
    if release.is_visible():
        return redirect(release.url)
    version = embargo_release_version(release=release)
    version.draft_rendering = True  # built from the revision; nothing stored for it
    context = version.get_context(request)
    context.update(
        embargo_notice=embargo_notice(release=release),
        embargo_text_url=request.path + "text/",
    )
    response = TemplateResponse(request, "press/embargo_release_page.html", context)
    return _embargo_private(response)


@require_GET
def embargo_release_text(request, token: str):
    release = _embargo_release_or_404(token)
    if release.is_visible():
        return redirect(release.url + "text/")
    version = embargo_release_version(release=release)
    text = release_render_text_for(release=version, request=request)
    notice = embargo_notice(release=release).upper()
    response = HttpResponse(f"{notice}\n\n{text}", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = attachment_disposition(version.text_file_name(), inline=True)
    return _embargo_private(response)
