"""Absolute addresses: one rule for every channel.

Pages, text versions and photo downloads are addressed below the root URL of the site that
serves them (`site_root_url`); rendition files keep the address their storage gives when it is
absolute (MEDIA_URL or a bucket on a CDN), else they are below the same root, which serves
MEDIA_URL too. Only what is rendered for one request and stored nowhere (a preview) is
addressed below the root that request reached (`request_root_url`), so an editor sees the
photos whatever address the admin is reached at.

Above press.conf (PRESS["BASE_URL"]) and below the blocks and templates that give addresses;
it reads Wagtail's Site, so unlike press.conf it is imported only once the models are loaded.
"""

from django.conf import settings
from wagtail.models import Site

from .conf import press_setting


def site_root_url(site=None) -> str:
    """The root of a site's absolute addresses, without a trailing slash: PRESS["BASE_URL"],
    else the site's root URL (hostname and port), else WAGTAILADMIN_BASE_URL."""
    configured = press_setting("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if site is not None:
        return site.root_url.rstrip("/")
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def request_root_url(request) -> str:
    """The root the request reached the CMS at (scheme, host and port), without a slash."""
    return request.build_absolute_uri("/").rstrip("/")


def base_url(request=None) -> str:
    """The root of absolute addresses for a request: the site it is for (Wagtail's
    Site.find_for_request, the default site for an unknown host), else the configured one."""
    if request is not None and not press_setting("BASE_URL"):
        site = Site.find_for_request(request)
        if site is not None:
            return site_root_url(site)
    return site_root_url(None)


def mail_root_url() -> str:
    """The root of the addresses in a mail (confirm, unsubscribe, embargo links), which is sent
    outside any request: PRESS["BASE_URL"], else the default site's root URL (the site the CMS
    serves under its own address, which `load_demo_content --addr` gives the demo), else
    WAGTAILADMIN_BASE_URL. The links then lead where the releases in the same mail do."""
    if not press_setting("BASE_URL"):
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None:
            return site_root_url(site)
    return site_root_url(None)
