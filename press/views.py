"""Thin HTTP wrappers: the embargo reading views for journalists and their admin page."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.widgets import AdminDateTimeInput

from .embargo import (
    EmbargoShareLink,
    embargo_default_expiry,
    embargo_go_live_at,
    embargo_link_create,
    embargo_link_for_token,
)
from .selectors import release_is_visible
from .serializers import release_render_text_for


def embargo_time_format(*, moment: datetime.datetime) -> str:
    """`07. Februar 2023, 10:00 Uhr` in the site's time zone."""
    with translation.override("de"):
        return date_format(timezone.localtime(moment), "d. F Y, H:i") + " Uhr"


def embargo_notice(*, release) -> str:
    go_live_at = embargo_go_live_at(release=release)
    if go_live_at is None:
        return "Sperrfrist: noch nicht terminiert. Bitte nicht vorab berichten."
    return f"Sperrfrist bis {embargo_time_format(moment=go_live_at)}"


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
        raise Http404("Sperrfrist-Link ungültig, abgelaufen oder widerrufen.")
    return link.release.specific


@require_GET
def embargo_release(request, token: str):
    release = _embargo_release_or_404(token)
    if release_is_visible(release):
        return redirect(release.url)
    version = embargo_release_version(release=release)
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
    if release_is_visible(release):
        return redirect(release.url + "text/")
    version = embargo_release_version(release=release)
    text = release_render_text_for(release=version, request=request)
    notice = embargo_notice(release=release).upper()
    response = HttpResponse(f"{notice}\n\n{text}", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.text_file_name()}"'
    return _embargo_private(response)


# Admin: the share links of one release.


class EmbargoShareLinkForm(forms.ModelForm):
    class Meta:
        model = EmbargoShareLink
        fields = ["note", "expires_at"]
        widgets = {"expires_at": AdminDateTimeInput}

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("Das Ablaufdatum muss in der Zukunft liegen."))
        return expires_at


def _release_for_editor(request, page_id: int):
    from .models import PressReleasePage

    release = get_object_or_404(PressReleasePage, pk=page_id)
    if not release.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return release


@require_http_methods(["GET", "POST"])
def embargo_links_admin(request, page_id: int):
    release = _release_for_editor(request, page_id)
    form = EmbargoShareLinkForm(initial={"expires_at": embargo_default_expiry(release=release)})
    if request.method == "POST":
        form = EmbargoShareLinkForm(request.POST)
        if form.is_valid():
            link = embargo_link_create(
                release=release,
                user=request.user,
                expires_at=form.cleaned_data["expires_at"],
                note=form.cleaned_data["note"],
            )
            messages.success(
                request,
                _("Sperrfrist-Link erstellt: %(url)s")
                % {"url": request.build_absolute_uri(link.get_absolute_url())},
            )
            return redirect("press_embargo_links", page_id=release.pk)
    links = [
        {"link": link, "url": request.build_absolute_uri(link.get_absolute_url())}
        for link in release.embargo_links.select_related("created_by")
    ]
    return TemplateResponse(
        request,
        "press/embargo_links_admin.html",
        {
            "release": release,
            "links": links,
            "form": form,
            "page_title": _("Sperrfrist-Links"),
            "page_subtitle": release.title,
            "header_icon": "link",
            "release_visible": release_is_visible(release),
            "embargo_notice": embargo_notice(release=release),
            "now": timezone.now(),
        },
    )


@require_http_methods(["POST"])
def embargo_link_revoke(request, page_id: int, link_id: int):
    release = _release_for_editor(request, page_id)
    link = get_object_or_404(EmbargoShareLink, pk=link_id, release=release)
    link.revoke()
    messages.success(request, _("Sperrfrist-Link widerrufen."))
    return redirect("press_embargo_links", page_id=release.pk)
