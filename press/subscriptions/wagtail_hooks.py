from wagtail import hooks

from .admin import SubscriptionsViewSetGroup


@hooks.register("register_admin_viewset")
def subscriptions_viewsets():
    return SubscriptionsViewSetGroup()
