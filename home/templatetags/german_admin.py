from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def editor_guide_url() -> str:
    """The German edition of Wagtail's editor guide (settings.EDITOR_GUIDE_URL)."""
    return settings.EDITOR_GUIDE_URL


@register.simple_tag
def admin_site_name() -> str:
    """The site's name (settings.WAGTAIL_SITE_NAME) that ends the admin's tab titles."""
    return settings.WAGTAIL_SITE_NAME
