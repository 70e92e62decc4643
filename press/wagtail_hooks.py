from django.contrib import messages
from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.userbar import AccessibilityItem, ContentCheckerItem
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView as ModelAdminIndexView

from . import admin_views
from .a11y_checks import body_findings
from .blocks import body_check_data
from .http import edge_page, edge_tag
from .models import PressContact, PressReleasePage, Topic
from .spreadsheets import SpreadsheetFormulasNeutralised


class PressContactIndexView(SpreadsheetFormulasNeutralised, ModelAdminIndexView):
    """The contacts' listing; its CSV export is run by no spreadsheet as formulas (a phone
    number starting with `+` shows as text)."""


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
    index_view_class = PressContactIndexView
    ordering = ("name",)


modeladmin_register(PressContactAdmin)


class TopicViewSet(SnippetViewSet):
    """The office's managed list of topics, in the admin menu beside the contacts."""

    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 305
    add_to_admin_menu = True
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]


register_snippet(TopicViewSet)


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


@hooks.register("before_serve_page", order=-100)
def edge_page_noted(page, request, serve_args, serve_kwargs):
    """The edge cache files a page's answers under its tags; whether an answer is public is
    decided by press.edge.EdgeCacheMiddleware once it is made (first of the hooks, so that a
    password form another hook answers with is known to be a page's too)."""
    edge_page(request, page=page)
    site = Site.find_for_request(request)
    if site is not None and site.root_page_id == page.pk:
        edge_tag(request, "releases")  # a home page lists the latest releases


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


@hooks.register("register_admin_urls")
def photo_placeholders_url():
    return [
        path(
            "press/photo-placeholders/<int:image_id>/",
            admin_views.photo_placeholders,
            name="press_photo_placeholders",
        )
    ]


@hooks.register("insert_editor_js")
def photo_placeholders_js():
    """The image block's Stimulus controller, told where to ask for a photo's credit and alt."""
    return format_html(
        '<script src="{}" data-url="{}"></script>',
        static("press/admin/photo-placeholders.js"),
        reverse("press_photo_placeholders", args=[0]),
    )


@hooks.register("insert_editor_js")
def date_input_keeps_typed_text():
    """The release's date pickers leave typed dates to the form
    (press/static/press/admin/date-input.js)."""
    return format_html('<script src="{}"></script>', static("press/admin/date-input.js"))


# The newsroom's page listing: its releases with their release date, embargo and state. A page
# viewset for releases is, in Wagtail 8, also the explorer listing of every parent that holds
# only releases (PageViewSet.parent_models: the newsroom).


class FormattedDateColumn(Column):
    """A date (or a moment, in the site's time zone) as the admin's language writes it."""

    def __init__(self, name, *, datetime: bool = False, **kwargs):
        self.datetime = datetime
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        value = super().get_value(instance)
        if not value:
            return ""
        if self.datetime:
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        return date_format(value, "SHORT_DATE_FORMAT")


def release_listing_columns() -> list:
    # PageViewSet.columns: the page listing's default columns, as Wagtail's docs extend them.
    columns = [column for column in PageViewSet.columns if column.name != "type"]
    title_at = next(i for i, column in enumerate(columns) if column.name == "title")
    columns[title_at + 1 : title_at + 1] = [
        FormattedDateColumn(
            "release_date", label=_("Release date"), sort_key="release_date", width="12%"
        ),
        FormattedDateColumn(
            "go_live_at",
            label=_("Embargo until"),
            sort_key="go_live_at",
            datetime=True,
            width="14%",
        ),
    ]
    return columns


class PressReleaseViewSet(PageViewSet):
    model = PressReleasePage
    icon = "doc-full"
    columns = release_listing_columns()


@hooks.register("register_admin_viewset")
def press_release_viewset():
    return PressReleaseViewSet("press_releases")


@hooks.register("insert_global_admin_css")
def photo_rights_admin_css():
    # The image listing's credit, rights end and "rights expired" mark
    # (press/templates/wagtailimages/images/).
    return format_html('<link rel="stylesheet" href="{}">', static("press/admin/photo-rights.css"))


@hooks.register("insert_global_admin_css")
def header_admin_css():
    # A listing header's sort order no longer clips the screen's title ("Bilde").
    return format_html('<link rel="stylesheet" href="{}">', static("press/admin/header.css"))


class ScheduledMenuItem(ActionMenuItem):
    """In place of Wagtail's "Page locked": what the lock is for, a scheduled publication,
    and when it goes live (the banner above says how to cancel it)."""

    name = "action-press-scheduled"
    label = _("Scheduled")
    template_name = "press/admin/action_menu_scheduled.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        revision = parent_context["page"].scheduled_revision
        context["go_live_at"] = revision.approved_go_live_at if revision else None
        return context


@hooks.register("construct_page_action_menu")
def scheduled_not_locked(menu_items, request, context):
    page = context.get("page")
    if page is None or getattr(page, "scheduled_revision", None) is None:
        return
    menu_items[:] = [
        ScheduledMenuItem(order=item.order) if item.name == "action-page-locked" else item
        for item in menu_items
    ]


# Accessibility before publishing (press.a11y_checks): a photo without a usable alternative
# text is refused at its field (ImageWithCreditBlock.clean); what a person should look at but
# may keep is said as a warning each time the release is saved.


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def release_accessibility_warnings(request, page):
    if not isinstance(page.specific_deferred, PressReleasePage):
        return
    body = page.specific.body
    for finding in body_findings(body_check_data(body)):
        if not finding.serious:
            messages.warning(
                request, format_html("{}: {}", gettext("Accessibility"), finding.message)
            )


class PressContentCheckerItem(ContentCheckerItem):
    """Wagtail's content checker (axe, in the preview's Checks panel and the userbar), with the
    plugin's alternative-text rule: besides Wagtail's file extensions, camera file names
    (IMG_1234, DSC01234) and alternative texts that are one word with digits; and axe's own
    rules for photos (missing or redundant alternative text) and link purpose."""

    axe_run_only = [*ContentCheckerItem.axe_run_only, "image-alt", "image-redundant-alt"]
    axe_custom_checks = [
        {
            "id": "check-image-alt-text",
            "options": {
                "pattern": (
                    r"\.(avif|gif|jpe?g|png|svg|webp|tiff?|heic|bmp)$|_"
                    r"|^(img|dsc|dscn|dji|pxl)[-_ ]?\d+|^[\w.-]*\d[\w.-]*$"
                )
            },
        },
        *[
            check
            for check in ContentCheckerItem.axe_custom_checks
            if check["id"] != "check-image-alt-text"
        ],
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "alt-text-quality": {
            "error_name": _("Image alt text looks like a file name"),
            "help_text": _("Describe what the photo shows, in a sentence"),
        },
        "image-alt": {
            "error_name": _("Image without alternative text"),
            "help_text": _("Describe what the photo shows, in a sentence"),
        },
        "image-redundant-alt": {
            "error_name": _("Alternative text repeats the text around the image"),
            "help_text": _("Describe what the photo shows instead"),
        },
    }


@hooks.register("construct_wagtail_userbar")
def content_checker_extended(request, items, page):
    # Wagtail's documented way to customise the checker: replace its item with a subclass.
    for index, item in enumerate(items):
        if type(item) in (ContentCheckerItem, AccessibilityItem):
            items[index] = PressContentCheckerItem(in_editor=item.in_editor)
