"""The host's German admin: Wagtail's Help menu leads to the German editor guide."""

from django.conf import settings
from wagtail import hooks

# Help menu items whose targets are only in English: Wagtail's release notes for editors.
ENGLISH_ONLY_HELP_ITEMS = {"whats-new-in-wagtail-"}


@hooks.register("construct_help_menu")
def help_menu_in_german(request, menu_items):
    for item in menu_items:
        if item.name == "editor-guide":
            item.url = settings.EDITOR_GUIDE_URL
    menu_items[:] = [
        item
        for item in menu_items
        if not any(item.name.startswith(prefix) for prefix in ENGLISH_ONLY_HELP_ITEMS)
    ]
