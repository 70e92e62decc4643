"""The admin's view of subscriptions: subscribers (export, delete) and the consent log (read
only).

Editors never add or edit a subscriber: an address enters only by its owner's consent."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from ..mailings.admin import RestrictedPolicy
from ..spreadsheets import SpreadsheetFormulasNeutralised
from .models import ConsentRecord, Subscriber


class ExportIndexView(SpreadsheetFormulasNeutralised, IndexView):
    """A listing whose CSV export no spreadsheet runs as formulas: an address or a consent
    text is typed by whoever subscribes."""


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
    index_view_class = ExportIndexView
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
    index_view_class = ExportIndexView
    inspect_view_enabled = True
    form_fields = ["consent_text"]


register_permission_policy(Subscriber, RestrictedPolicy(Subscriber, denied=("add", "change")))
register_permission_policy(
    ConsentRecord, RestrictedPolicy(ConsentRecord, denied=("add", "change", "delete"))
)


class SubscriptionsViewSetGroup(ViewSetGroup):
    menu_label = _("Subscriptions")
    menu_icon = "mail"
    menu_order = 310
    items = (SubscriberViewSet, ConsentRecordViewSet)
