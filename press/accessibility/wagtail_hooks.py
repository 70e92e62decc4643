"""Editors see the barrier reports in the admin: the open ones first, with the reply
deadline, and mark them answered. Reports only come in through the public form."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import BarrierReport


class NoAddingPolicy(ModelPermissionPolicy):
    """The model's permissions without "add": reports come only from the public form."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action != "add"]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)


class DueColumn(Column):
    def get_value(self, instance):
        return date_format(instance.reply_due, "SHORT_DATE_FORMAT") if instance.is_open else ""


class BarrierReportViewSet(ModelViewSet):
    model = BarrierReport
    name = "press_barrier_reports"
    icon = "warning"
    menu_label = _("Barrier reports")
    menu_order = 320
    add_to_admin_menu = True
    list_display = [
        Column("created_at", label=_("received at"), sort_key="created_at"),
        "description",
        "page_url",
        DueColumn("reply_due", label=_("answer due by")),
        BooleanColumn("is_open", label=_("open")),
        "answered_at",
    ]
    list_filter = ["answered_at"]
    search_fields = ["description", "page_url", "name", "email"]
    inspect_view_enabled = True


register_permission_policy(BarrierReport, NoAddingPolicy(BarrierReport))


@hooks.register("register_admin_viewset")
def barrier_reports_viewset():
    return BarrierReportViewSet()
