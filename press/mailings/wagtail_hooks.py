from wagtail import hooks

from .admin import MailingViewSet


@hooks.register("register_admin_viewset")
def mailings_viewset():
    return MailingViewSet()
