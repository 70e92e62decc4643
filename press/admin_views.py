"""The admin page of a release's embargo share links: create, copy, revoke.

Registered as a Wagtail admin viewset (`EmbargoLinksViewSet`). Not a ModelViewSet: that lists
and edits a whole model, while these links belong to one release and are shown on its page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.images import get_image_model, get_permission_policy

from .blocks import image_rights
from .models import EmbargoShareLink, PressReleasePage
from .models.embargo import embargo_default_expiry, embargo_link_create, embargo_notice


class EmbargoShareLinkForm(forms.ModelForm):
    class Meta:
        model = EmbargoShareLink
        fields = ["note", "expires_at"]
        widgets = {"expires_at": AdminDateTimeInput}

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires_at


def _release_for_editor(request, page_id: int):
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
                _("Embargo link created: %(url)s")
                % {"url": request.build_absolute_uri(link.get_absolute_url())},
            )
            return redirect("press_embargo_links:index", page_id=release.pk)
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
            "page_title": _("Embargo links"),
            "page_subtitle": release.title,
            "header_icon": "link",
            "release_visible": release.is_visible(),
            "embargo_notice": embargo_notice(release=release),
            "now": timezone.now(),
        },
    )


@require_http_methods(["POST"])
def embargo_link_revoke(request, page_id: int, link_id: int):
    release = _release_for_editor(request, page_id)
    link = get_object_or_404(EmbargoShareLink, pk=link_id, release=release)
    link.revoke()
    messages.success(request, _("Embargo link revoked."))
    return redirect("press_embargo_links:index", page_id=release.pk)


class EmbargoLinksViewSet(ViewSet):
    name = "press_embargo_links"
    url_prefix = "press/embargo-links"
    icon = "link"

    def get_urlpatterns(self):
        return [
            path("<int:page_id>/", embargo_links_admin, name="index"),
            path("<int:page_id>/<int:link_id>/revoke/", embargo_link_revoke, name="revoke"),
        ]


def photo_placeholders(request, image_id: int):
    """What an image block uses when its credit and alt text stay empty: the library photo's
    credit and its description (else its title), for the block's field placeholders."""
    image = get_object_or_404(get_image_model(), pk=image_id)
    policy = get_permission_policy()
    if not policy.user_has_permission_for_instance(request.user, "choose", image):
        raise PermissionDenied
    rights = image_rights(image)
    return JsonResponse(
        {"credit": rights.credit if rights else "", "alt": image.description or image.title}
    )
