"""The host site's own small answers: robots.txt and /favicon.ico."""

from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request):
    """Crawlers may read everything public and find it all in the sitemap. The admin is not
    for them; embargo links send `noindex` themselves, and are secret anyway."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('wagtailadmin_home')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def favicon_ico(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links: the static file's
    current (in production: hashed) address, resolved per request since it changes with it."""
    return HttpResponseRedirect(static("home/favicon.ico"))
