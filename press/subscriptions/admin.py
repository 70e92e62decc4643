"""The admin's view of subscriptions: subscribers (export, delete), the consent log (read only)
and the mailings with their sent / pending / failed counts (read only).

Editors never add or edit a subscriber: an address enters only by its owner's consent."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..models import ConsentRecord, Mailing, Subscriber


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


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = "press_subscribers"
    icon = "mail"
    menu_label = _("Subscribers")
    list_display = ["email", "state", "language", "created_at", "confirmed_at"]
    list_filter = ["state"]
    search_fields = ["email"]
    list_export = ["email", "state", "language", "created_at", "confirmed_at", "unsubscribed_at"]
    export_filename = "subscribers"
    inspect_view_enabled = True
    form_fields = ["email"]


class ConsentRecordViewSet(ModelViewSet):
    model = ConsentRecord
    name = "press_consents"
    icon = "doc-full"
    menu_label = _("Consent records")
    list_display = ["subscriber", "channel", "scope", "agreed_at", "confirmed_at"]
    list_filter = ["channel"]
    search_fields = ["subscriber__email"]
    list_export = ["subscriber", "channel", "consent_text", "scope", "agreed_at", "confirmed_at"]
    export_filename = "consent-records"
    inspect_view_enabled = True
    form_fields = ["consent_text"]


class MailingViewSet(ModelViewSet):
    model = Mailing
    name = "press_mailings"
    icon = "mail"
    menu_label = _("Mailings")
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


register_permission_policy(Subscriber, RestrictedPolicy(Subscriber, denied=("add", "change")))
for _model in (ConsentRecord, Mailing):
    register_permission_policy(_model, RestrictedPolicy(_model, denied=("add", "change", "delete")))


class SubscriptionsViewSetGroup(ViewSetGroup):
    menu_label = _("Subscriptions")
    menu_icon = "mail"
    menu_order = 310
    items = (SubscriberViewSet, ConsentRecordViewSet, MailingViewSet)
