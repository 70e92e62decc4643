from django.http import Http404
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import admin_views
from .models import PressContact, PressReleasePage


class PressContactAdmin(ModelAdmin):
    model = PressContact
    menu_label = _("Press contacts")
    menu_icon = "user"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ("name", "email", "phone")
    search_fields = ("name", "email", "phone")
    list_export = ("name", "email", "phone")
    export_filename = _("press-contacts")
    ordering = ("name",)


modeladmin_register(PressContactAdmin)


# Embargo share links: a page per release, reached from the release's header and listing menus.


class EmbargoLinksMenuItem(PageMenuItem):
    label = _("Create embargo link")
    icon_name = "link"
    url_name = "press_embargo_links:index"

    def is_shown(self, user):
        return isinstance(self.page.specific_deferred, PressReleasePage) and (
            self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def embargo_links_header_button(page, user, view_name, next_url=None):
    yield EmbargoLinksMenuItem(page=page, priority=40)


@hooks.register("register_page_listing_more_buttons")
def embargo_links_listing_button(page, user, next_url=None):
    yield EmbargoLinksMenuItem(page=page, priority=45)


@hooks.register("register_admin_viewset")
def embargo_links_viewset():
    return admin_views.EmbargoLinksViewSet()


@hooks.register("before_serve_page")
def release_expired_not_served(page, request, serve_args, serve_kwargs):
    """Wagtail serves a live page until publish_scheduled unpublishes it; a release whose expiry
    has passed is gone at once (page and text version), like in every listing."""
    if (
        isinstance(page, PressReleasePage)
        and page.expire_at is not None
        and page.expire_at <= timezone.now()
    ):
        raise Http404(gettext("This press release has expired."))


@hooks.register("insert_global_admin_js")
def date_input_keeps_typed_text():
    """The date pickers leave typed dates to the form (press/static/press/admin/date-input.js)."""
    return format_html('<script src="{}"></script>', static("press/admin/date-input.js"))
