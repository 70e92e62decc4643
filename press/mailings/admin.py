"""The admin's view of the mailings with their sent / pending / failed counts (read only)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Mailing


class RestrictedPolicy(ModelPermissionPolicy):
    """The model's permissions, without the actions `denied`."""

    def __init__(self, model, *, denied: tuple[str, ...]):
        super().__init__(model)
        self.denied = denied

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.denied]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)


class MailingViewSet(ModelViewSet):
    model = Mailing
    name = "press_mailings"
    icon = "mail"
    menu_label = _("Mailings")
    menu_order = 311
    add_to_admin_menu = True
    list_display = [
        "release",
        "kind",
        "created_at",
        "sent_count",
        "pending_count",
        "failed_count",
        "maybe_twice_count",
    ]
    list_filter = ["kind"]
    inspect_view_enabled = True
    form_fields = ["release"]


register_permission_policy(Mailing, RestrictedPolicy(Mailing, denied=("add", "change", "delete")))
