from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home.views import favicon_ico, robots_txt
from press.api.v2 import api_router
from press.sitemaps import news_sitemap, press_sitemaps

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": press_sitemaps}, name="sitemap"),
    path("sitemap-news.xml", news_sitemap, name="sitemap_news"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links.
    path("favicon.ico", favicon_ico, name="favicon_ico"),
    path("api/v2/", api_router.urls),
    path("", include("press.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# German pages keep their addresses; a version in another language is served below its
# language's prefix (/en/…, /de-x-ls/…), where LocaleMiddleware activates that language.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
