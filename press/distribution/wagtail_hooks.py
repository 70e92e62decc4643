from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from ..models import PressReleasePage
from .admin import DistributionViewSetGroup, EmbargoSendViewSet, JournalistImportViewSet


class EmbargoSendMenuItem(PageMenuItem):
    label = _("Send to lists under embargo")
    icon_name = "mail"
    url_name = "press_embargo_send:index"

    def is_shown(self, user):
        return isinstance(self.page.specific_deferred, PressReleasePage) and (
            self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def embargo_send_header_button(page, user, view_name, next_url=None):
    yield EmbargoSendMenuItem(page=page, priority=41)


@hooks.register("register_page_listing_more_buttons")
def embargo_send_listing_button(page, user, next_url=None):
    yield EmbargoSendMenuItem(page=page, priority=46)


@hooks.register("register_admin_viewset")
def distribution_viewsets():
    return [DistributionViewSetGroup(), JournalistImportViewSet(), EmbargoSendViewSet()]
