"""A host that mounts the plugin's URLs elsewhere than cms/urls.py does: the press API below
`service/`, API v2 at `headless/v2/`, the sitemaps at `maps/press.xml` and `maps/news.xml` (used by
tests/test_notifications.py to show that purging follows the host's URLconf)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.contrib.sitemaps.views import sitemap

from press.api.v2 import api_router
from press.sitemaps import news_sitemap, press_sitemaps

urlpatterns = [
    path("maps/press.xml", sitemap, {"sitemaps": press_sitemaps}),
    path("maps/news.xml", news_sitemap),
    path("headless/v2/", api_router.urls),
    path("service/", include("press.urls")),
    path("", include(wagtail_urls)),
]
