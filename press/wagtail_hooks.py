from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .snippets import PressContact


class PressContactAdmin(ModelAdmin):
    model = PressContact
    menu_label = _("Pressekontakte")
    menu_icon = "user"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ("name", "email", "phone")
    search_fields = ("name", "email", "phone")
    list_export = ("name", "email", "phone")
    export_filename = "pressekontakte"
    ordering = ("name",)


modeladmin_register(PressContactAdmin)
